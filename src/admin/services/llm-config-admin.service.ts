import { Inject, Injectable } from '@nestjs/common';
import { TokenLedgerService } from '../../billing/ledger/token-ledger.service';
import { APP_CONFIG, type AppConfig } from '../../config/config.module';
import { type FieldError, InvalidInputError } from '../../common/errors/domain-error';
import {
  allowedModels,
  allowedSelection,
  fallbackLevelForModel,
  LlmError,
  LlmGatewayClient,
  resolveModelChain,
} from '../../llm';
import {
  type LlmConfigPatch,
  type LlmConfigView,
  TenantLlmConfigService,
} from '../../tenants/services/tenant-llm-config.service';

export interface LlmTestResult {
  ok: boolean;
  model: string;
  latencyMs: number;
  error?: string;
}

const TEST_MAX_TOKENS = 16;

/** A shop's own OpenRouter key and models, and a way to check them before switching them on. */
@Injectable()
export class LlmConfigAdminService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly llmConfig: TenantLlmConfigService,
    private readonly gateway: LlmGatewayClient,
    private readonly ledger: TokenLedgerService,
  ) {}

  get(tenantId: string): Promise<LlmConfigView> {
    return this.llmConfig.getView(tenantId);
  }

  /** Refuses (400) a model outside the allowlist before anything is stored. */
  update(tenantId: string, patch: LlmConfigPatch): Promise<LlmConfigView> {
    const allowed = allowedModels(this.config);
    const errors: FieldError[] = [];
    const check = (field: string, model: string) => {
      if (!allowed.has(model)) {
        errors.push({ field, reason: `model not allowed; allowed: ${[...allowed].join(', ')}` });
      }
    };
    if (patch.modelDefault) check('modelDefault', patch.modelDefault);
    patch.modelFallback?.forEach((m, i) => check(`modelFallback.${i}`, m));
    if (errors.length > 0) throw new InvalidInputError('Invalid LLM configuration', errors);
    return this.llmConfig.update(tenantId, patch);
  }

  /**
   * One tiny real call with the shop's stored key and models (active or not: an operator tests
   * before switching it on). The call is recorded in token_usage as operation 'test' with
   * nothing charged: it is the operator's check, not the shop's question.
   */
  async test(tenantId: string): Promise<LlmTestResult> {
    const settings = await this.llmConfig.getLlmConfig(tenantId);
    const models = resolveModelChain(allowedSelection(settings, this.config), this.config);
    const started = Date.now();
    try {
      const result = await this.gateway.complete({
        messages: [{ role: 'user', content: 'Responde solo con la palabra: ok' }],
        models,
        maxTokens: TEST_MAX_TOKENS,
        apiKey: settings.apiKey,
        tenantId,
        operation: 'test',
        temperature: 0,
      });
      await this.ledger.recordUsage({
        tenantId,
        ...result.usage,
        model: result.model,
        operation: 'test',
        latencyMs: result.latencyMs,
        fallbackLevel: fallbackLevelForModel(result.modelIndex),
        inboundWamid: null,
        seq: 0,
      });
      return { ok: true, model: result.model, latencyMs: result.latencyMs };
    } catch (err) {
      if (!(err instanceof LlmError)) throw err;
      return {
        ok: false,
        model: models[0] ?? '',
        latencyMs: Date.now() - started,
        error: redact(`${err.kind}: ${err.providerMessage || err.message}`, settings.apiKey),
      };
    }
  }
}

/** A provider could echo the key back in an error; it must not reach the response. */
function redact(text: string, apiKey: string | undefined): string {
  return apiKey ? text.split(apiKey).join('[redacted]') : text;
}

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BillingService } from '../billing/billing.service';
import { APP_CONFIG, type AppConfig } from '../config/config.module';
import { fallbackLevelForModel, LlmError, LlmGateway, resolveModelChain } from '../llm';
import { TenantLlmConfigService } from '../tenants/tenant-llm-config.service';

export interface LlmTestResult {
  ok: boolean;
  model: string;
  latencyMs: number;
  error?: string;
}

const TEST_MAX_TOKENS = 16;

/**
 * One tiny real call with the shop's stored key and models (active or not: an operator tests
 * before switching it on). The call is recorded in token_usage as operation 'test' with
 * nothing charged: it is the operator's check, not the shop's question.
 */
@Injectable()
export class LlmConfigTester {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly llmConfig: TenantLlmConfigService,
    private readonly gateway: LlmGateway,
    private readonly billing: BillingService,
  ) {}

  async test(tenantId: string): Promise<LlmTestResult> {
    const settings = await this.llmConfig.getLlmConfig(tenantId);
    const models = resolveModelChain(settings, this.config);
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
      await this.db.transaction((tx) =>
        this.billing.recordUsage(tx, {
          tenantId,
          ...result.usage,
          model: result.model,
          operation: 'test',
          latencyMs: result.latencyMs,
          fallbackLevel: fallbackLevelForModel(result.modelIndex),
          inboundWamid: null,
          seq: 0,
        }),
      );
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

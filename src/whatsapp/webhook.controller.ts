import {
  BadRequestException,
  Body,
  Controller,
  ForbiddenException,
  Get,
  Header,
  HttpCode,
  Inject,
  Logger,
  Post,
  Query,
  ServiceUnavailableException,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import { timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../config/config.module';
import { InboxService } from '../inbox/inbox.service';
import { Metrics } from '../observability/metrics';
import type { InboundMessageEvent, InboundStatusEvent } from './inbound-event';
import { SignatureGuard } from './signature.guard';
import { parseWebhook } from './webhook-parser';

@ApiTags('whatsapp')
@Controller('webhooks/whatsapp')
export class WebhookController {
  private readonly log = new Logger(WebhookController.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly inbox: InboxService,
    private readonly metrics: Metrics,
  ) {}

  /** Meta's subscription handshake: echo hub.challenge when the verify token matches. */
  @Get()
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiOperation({
    summary: 'Webhook verification handshake (hub.mode/hub.verify_token/hub.challenge)',
  })
  verify(@Query() query: Record<string, string | string[] | undefined>): string {
    const mode = one(query['hub.mode']);
    const token = one(query['hub.verify_token']);
    const challenge = one(query['hub.challenge']);
    if (
      mode !== 'subscribe' ||
      !token ||
      !challenge ||
      !sameSecret(token, this.config.WHATSAPP_VERIFY_TOKEN)
    ) {
      throw new ForbiddenException('Verification failed');
    }
    return challenge;
  }

  /**
   * Receives messages and delivery statuses. Stores first, enqueues, answers 200 fast: no
   * LLM or Graph call on this path. PostgreSQL unavailable → 503 so Meta retries.
   */
  @Post()
  @HttpCode(200)
  @UseGuards(SignatureGuard)
  @ApiExcludeEndpoint()
  async receive(@Body() raw: Buffer): Promise<{ ok: true }> {
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      this.metrics.webhookRequests.inc({ outcome: 'not_json' });
      throw new BadRequestException('Body is not valid JSON');
    }

    const { events, skipped, recognized } = parseWebhook(body);
    for (const s of skipped) this.metrics.webhookSkipped.inc({ reason: s.reason }, s.count);
    if (!recognized) {
      this.metrics.webhookRequests.inc({ outcome: 'not_whatsapp' });
      this.log.warn('Signed webhook that is not a WhatsApp Business Account payload; ignored');
      return { ok: true };
    }
    if (skipped.length) this.log.warn(`Webhook items ignored: ${JSON.stringify(skipped)}`);

    const messages = events.filter((e): e is InboundMessageEvent => e.kind === 'message');
    const statuses = events.filter((e): e is InboundStatusEvent => e.kind === 'status');
    try {
      await this.inbox.storeMessages(messages);
      await this.inbox.applyStatuses(statuses);
    } catch (err) {
      this.metrics.webhookRequests.inc({ outcome: 'storage_unavailable' });
      this.log.error(`Could not store webhook events: ${(err as Error).message}`);
      throw new ServiceUnavailableException('Storage unavailable, retry later');
    }
    this.metrics.webhookRequests.inc({ outcome: 'ok' });
    return { ok: true };
  }
}

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

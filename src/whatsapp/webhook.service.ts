import { Injectable, Logger } from '@nestjs/common';
import { InvalidInputError } from '../common/errors/domain-error';
import { StorageUnavailableError } from '../common/errors/storage-unavailable.error';
import { InboxService } from '../inbox/services/inbox.service';
import { MetricsService } from '../observability/metrics.service';
import type { InboundMessageEvent, InboundStatusEvent } from './inbound-event';
import { parseWebhook } from './webhook-parser';

/**
 * Turns a verified webhook body into stored messages and applied receipts. Stores first and
 * enqueues: no LLM or Graph call on this path. PostgreSQL unavailable → StorageUnavailable
 * (503) so Meta retries; anything Meta sent that we cannot use is counted and dropped.
 */
@Injectable()
export class WebhookService {
  private readonly log = new Logger(WebhookService.name);

  constructor(
    private readonly inbox: InboxService,
    private readonly metrics: MetricsService,
  ) {}

  async receive(raw: Buffer): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      this.metrics.webhookRequests.inc({ outcome: 'not_json' });
      throw new InvalidInputError('Body is not valid JSON');
    }

    const { events, skipped, recognized } = parseWebhook(body);
    for (const s of skipped) this.metrics.webhookSkipped.inc({ reason: s.reason }, s.count);
    if (!recognized) {
      this.metrics.webhookRequests.inc({ outcome: 'not_whatsapp' });
      this.log.warn('Signed webhook that is not a WhatsApp Business Account payload; ignored');
      return;
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
      throw new StorageUnavailableError('Storage unavailable, retry later');
    }
    this.metrics.webhookRequests.inc({ outcome: 'ok' });
  }
}

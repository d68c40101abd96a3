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
    const started = process.hrtime.bigint();
    const outcome = await this.ingest(raw).catch((err: unknown) => {
      this.observe(
        started,
        err instanceof StorageUnavailableError ? 'storage_unavailable' : 'rejected',
      );
      throw err;
    });
    this.observe(started, outcome);
  }

  private observe(started: bigint, outcome: string): void {
    this.metrics.webhookIngestDuration.observe(
      { outcome },
      Number(process.hrtime.bigint() - started) / 1e9,
    );
  }

  private async ingest(raw: Buffer): Promise<'ok' | 'not_whatsapp'> {
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      this.metrics.webhookRequests.inc({ outcome: 'not_json' });
      throw new InvalidInputError('Body is not valid JSON');
    }

    const { events, skipped, ignoredFields, recognized } = parseWebhook(body);
    for (const s of skipped) this.metrics.webhookSkipped.inc({ reason: s.reason }, s.count);
    if (!recognized) {
      this.metrics.webhookRequests.inc({ outcome: 'not_whatsapp' });
      this.log.warn('Signed webhook that is not a WhatsApp Business Account payload; ignored');
      return 'not_whatsapp';
    }
    if (skipped.length) {
      this.log.warn({
        event: 'webhook_skipped',
        msg: 'Webhook items ignored',
        skipped,
        ignoredFields,
      });
    }

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
    if (messages.length) {
      // The correlation id of the whole path: the worker's and the reply's lines carry it too.
      this.log.log({ event: 'webhook_stored', wamids: messages.map((m) => m.wamid) });
    }
    return 'ok';
  }
}

import { Injectable, Logger } from '@nestjs/common';
import type { InboundMessage, OutboundMessage } from '../../inbox/inbox.types';
import { OutboxService } from '../../inbox/services/outbox.service';
import { graphErrorCodeLabel } from '../../observability/metric-labels';
import { MetricsService } from '../../observability/metrics.service';
import { GraphApiClient } from '../../whatsapp/graph-api.client';
import { GraphApiError } from '../../whatsapp/graph-api.errors';

/**
 * Sends prepared replies through the Graph API, each at most once: the row is claimed
 * 'sending' first, so a job retried after a crash in the middle of the Graph call does not
 * send it again (the outbox marks it 'unknown' instead).
 */
@Injectable()
export class ReplySenderService {
  private readonly log = new Logger(ReplySenderService.name);

  constructor(
    private readonly outbox: OutboxService,
    private readonly graph: GraphApiClient,
    private readonly metrics: MetricsService,
  ) {}

  /** Blue ticks and "typing…" while the answer is prepared; not worth failing the job over. */
  async markRead(message: InboundMessage): Promise<void> {
    await this.graph.markRead(message.phoneNumberId, message.wamid).catch((err: Error) => {
      this.log.debug(`mark read failed for ${message.wamid}: ${err.message}`);
    });
  }

  /** Sends the rows in order (reply first); a Graph failure stops and is thrown. */
  async deliverAll(rows: OutboundMessage[]): Promise<void> {
    for (const row of rows) await this.deliver(row);
  }

  /** Sends a prepared row once. Returns false when it had already been sent (or may have been). */
  async deliver(row: OutboundMessage): Promise<boolean> {
    if (!(await this.outbox.claimForSending(row.id))) {
      this.metrics.outbound.inc({ outcome: 'already_sent', error_code: 'none' });
      return false;
    }
    return this.send(row);
  }

  /**
   * The Graph call for a row already claimed 'sending'. The row id travels as
   * biz_opaque_callback_data, which Meta echoes in the status webhooks: a reply whose wamid was
   * never stored (a crash right after Meta accepted it) is still recognized as delivered.
   */
  async send(row: OutboundMessage): Promise<boolean> {
    try {
      const sent = await this.graph.sendRaw(row.phoneNumberId, {
        ...row.request,
        biz_opaque_callback_data: `outbound:${row.id}`,
      });
      await this.outbox.markSent(row.id, sent.wamid);
      this.metrics.outbound.inc({ outcome: 'sent', error_code: 'none' });
      return true;
    } catch (err) {
      const e = err instanceof GraphApiError ? err : null;
      await this.outbox.markFailed(row.id, e?.code ?? null, (err as Error).message);
      this.metrics.outbound.inc({
        outcome: e?.kind ?? 'error',
        error_code: graphErrorCodeLabel(e?.code),
      });
      this.log.warn(`Reply ${row.id} not sent: ${(err as Error).message}`);
      throw err;
    }
  }
}

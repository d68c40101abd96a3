import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** After this many deferrals (~30 s) a message goes ahead anyway: order must not mean stuck. */
export const MAX_DEFERRALS = 60;
/** An earlier message unanswered for this long is left behind (it failed or is stuck). */
const STALE_AFTER_SECONDS = 120;

/**
 * One chat is answered in the order its messages were sent, while different chats run in
 * parallel. Meta delivers at least once and out of order, and BullMQ runs jobs in
 * parallel, so a job first checks whether an earlier message of the same chat (by Meta's
 * timestamp, then arrival) is still waiting to be answered; if so it is delayed a little and
 * tried again. The database is the arbiter, so this holds across workers and restarts.
 */
@Injectable()
export class ChatOrder {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async mustWait(wamid: string, deferrals: number): Promise<boolean> {
    if (deferrals >= MAX_DEFERRALS) return false;
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM inbound_messages me
         JOIN inbound_messages earlier
           ON earlier.phone_number_id = me.phone_number_id
          AND earlier.from_wa_id = me.from_wa_id
          AND (earlier.sent_at, earlier.id) < (me.sent_at, me.id)
        WHERE me.wamid = $1
          AND earlier.status IN ('received', 'queued', 'processing')
          AND earlier.received_at > now() - make_interval(secs => $2)
        LIMIT 1`,
      [wamid, STALE_AFTER_SECONDS],
    );
    return rows.length > 0;
  }

  /** 300–500 ms, jittered so deferred jobs of busy chats do not wake in lockstep. */
  retryDelayMs(): number {
    return 300 + Math.floor(Math.random() * 200);
  }
}

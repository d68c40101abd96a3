import { Injectable } from '@nestjs/common';
import type { IgnoreReason, InboundMessage } from '../inbox.types';
import {
  type FinalStatus,
  InboundMessagesRepository,
} from '../repositories/inbound-messages.repository';

/** After this many deferrals (~30 s) a message goes ahead anyway: order must not mean stuck. */
export const MAX_DEFERRALS = 60;
/** An earlier message unanswered for this long is left behind (it failed or is stuck). */
const STALE_AFTER_SECONDS = 120;

/**
 * The worker's side of the inbox: claim a message, keep each chat in order, record how it
 * ended.
 */
@Injectable()
export class InboundMessagesService {
  constructor(private readonly repo: InboundMessagesRepository) {}

  /** Marks the message as being processed; null if it is gone or already done. */
  claim(wamid: string): Promise<InboundMessage | null> {
    return this.repo.claim(wamid);
  }

  finish(
    wamid: string,
    status: FinalStatus,
    detail: { ignoreReason?: IgnoreReason; error?: string; tenantId?: string } = {},
  ): Promise<void> {
    return this.repo.finish(wamid, status, detail);
  }

  find(wamid: string): Promise<InboundMessage | null> {
    return this.repo.find(wamid);
  }

  /**
   * Who wrote to these business numbers since `since`, and when last: Meta's 24-hour
   * customer window is open for a person whose last message is less than a day old.
   */
  lastWrittenBy(
    phoneNumberIds: string[],
    since: Date,
  ): Promise<{ fromWaId: string | null; fromUserId: string | null; sentAt: Date }[]> {
    return this.repo.lastWrittenBy(phoneNumberIds, since);
  }

  /** The edits and deletes of a message, newest first. */
  changesOf(wamid: string): Promise<InboundMessage[]> {
    return this.repo.changesOf(wamid);
  }

  /**
   * Takes a message no worker has claimed yet out of the way (its job will find nothing to
   * claim); false when it is being answered or done. The one arbiter between an edit and
   * its original: only one of them is ever answered.
   */
  supersede(wamid: string, reason: IgnoreReason): Promise<boolean> {
    return this.repo.supersede(wamid, reason);
  }

  /** Keeps the reason of a failed attempt on the row (BullMQ retries the job). */
  recordAttemptError(wamid: string, error: string): Promise<void> {
    return this.repo.recordError(wamid, error);
  }

  /**
   * One chat is answered in the order its messages were sent, while different chats run in
   * parallel. Meta delivers at least once and out of order, and BullMQ runs jobs in parallel,
   * so a job first checks whether an earlier message of the same chat is still waiting to be
   * answered; if so it is delayed a little and tried again. The database is the arbiter, so
   * this holds across workers and restarts.
   */
  async mustWaitForEarlier(wamid: string, deferrals: number): Promise<boolean> {
    if (deferrals >= MAX_DEFERRALS) return false;
    return this.repo.hasEarlierUnanswered(wamid, STALE_AFTER_SECONDS);
  }

  /** 300–500 ms, jittered so deferred jobs of busy chats do not wake in lockstep. */
  retryDelayMs(): number {
    return 300 + Math.floor(Math.random() * 200);
  }
}

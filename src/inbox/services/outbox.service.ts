import { Injectable } from '@nestjs/common';
import type { SqlExecutor } from '../../database/sql-executor';
import type { OutboundMessage, PreparedOutbound } from '../inbox.types';
import { OutboundMessagesRepository } from '../repositories/outbound-messages.repository';

/**
 * What we send, at most once per inbound message and purpose: a reply is stored 'pending' with
 * its charge (in the caller's transaction), claimed 'sending' right before the Graph call, and
 * marked 'sent' with Meta's wamid or 'failed' with its error.
 */
@Injectable()
export class OutboxService {
  constructor(private readonly repo: OutboundMessagesRepository) {}

  /** Everything already prepared for an inbound message, reply first, in creation order. */
  findPrepared(inboundWamid: string): Promise<OutboundMessage[]> {
    return this.repo.findByInbound(inboundWamid);
  }

  /** Stores the message to send; returns the existing row if one was already prepared. */
  prepare(executor: SqlExecutor, message: PreparedOutbound): Promise<OutboundMessage> {
    return this.repo.insertOnce(executor, message);
  }

  /** The answers an A/B experiment routed in [from, to): their arm and fallback level. */
  experimentAnswers(
    experiment: string,
    from: Date,
    to: Date,
  ): Promise<
    {
      inboundWamid: string;
      tenantId: string | null;
      arm: 'a' | 'b';
      fallbackLevel: string | null;
    }[]
  > {
    return this.repo.experimentAnswers(experiment, from, to);
  }

  /**
   * Claims a row for sending. False when it was sent already or a crash left it 'sending': a
   * retry cannot know whether Meta got it, so it is marked 'unknown' rather than risk a duplicate.
   */
  async claimForSending(id: string): Promise<boolean> {
    if (await this.repo.claimForSending(id)) return true;
    await this.repo.markUnknownIfSending(id);
    return false;
  }

  /** Replies stuck 'unknown' past the delay, claimed for their single re-send. */
  claimUnknownForResend(olderThanSeconds: number, limit = 100): Promise<OutboundMessage[]> {
    return this.repo.claimUnknownForResend(olderThanSeconds, limit);
  }

  markStaleResendsUnknown(olderThanSeconds: number): Promise<number> {
    return this.repo.markStaleResendsUnknown(olderThanSeconds);
  }

  markSent(id: string, wamid: string): Promise<void> {
    return this.repo.markSent(id, wamid);
  }

  markFailed(id: string, errorCode: number | null, errorTitle: string): Promise<void> {
    return this.repo.markFailed(id, errorCode, errorTitle);
  }
}

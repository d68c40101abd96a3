import { Injectable } from '@nestjs/common';
import { encode } from 'gpt-tokenizer';
import type { SqlExecutor } from '../../database/sql-executor';
import {
  ConversationTurnsRepository,
  type Exchange,
  type TurnRow,
} from '../repositories/conversation-turns.repository';

export type Turn = TurnRow;
export type { Exchange };

/** Turns older than this are not context any more: the owner has moved on. */
const MAX_AGE_MINUTES = 30;
const MAX_TURNS = 8;

/**
 * Recent turns of one chat, newest last, within a token budget (gpt-tokenizer counts), so
 * memory never costs the shop more than the budget however long the chat gets.
 */
@Injectable()
export class ConversationsService {
  constructor(private readonly turns: ConversationTurnsRepository) {}

  /** Retention: the text of turns older than `cutoff` (chat memory needs minutes) is blanked. */
  blankBefore(cutoff: Date): Promise<number> {
    return this.turns.blankBefore(cutoff);
  }

  /** Retention: turns older than `cutoff` (the messages' own retention) are deleted. */
  deleteBefore(cutoff: Date): Promise<number> {
    return this.turns.deleteBefore(cutoff);
  }

  /** A deleted shop's chat memory. */
  eraseTenant(tenantId: string): Promise<number> {
    return this.turns.deleteOfTenant(tenantId);
  }

  async recent(
    tenantId: string,
    waId: string,
    budgetTokens: number,
    beforeWamid?: string,
  ): Promise<Turn[]> {
    const rows = await this.turns.newest(tenantId, waId, {
      maxAgeMinutes: MAX_AGE_MINUTES,
      limit: MAX_TURNS,
      excludeWamid: beforeWamid ?? null,
    });
    const turns: Turn[] = [];
    let used = 0;
    for (const r of rows) {
      const cost = encode(r.content).length + 4; // + role/format overhead per message
      if (used + cost > budgetTokens) break;
      used += cost;
      turns.unshift(r);
    }
    // A context that starts with an answer has lost its question: drop it.
    while (turns[0]?.role === 'assistant') turns.shift();
    return turns;
  }

  /** Every question asked in a shop's chats in [from, to), per chat (wa_id) in time order. */
  questionsBetween(
    tenantId: string,
    from: Date,
    to: Date,
  ): Promise<{ waId: string; inboundWamid: string; createdAt: Date }[]> {
    return this.turns.questionsBetween(tenantId, from, to);
  }

  /** Questions followed within `withinSeconds` by another of the same intent from the same chat. */
  followedBySameIntent(wamids: string[], withinSeconds: number): Promise<Set<string>> {
    return this.turns.followedBySameIntent(wamids, withinSeconds);
  }

  /** The intent the answer to one message was given under (null when none was recorded). */
  intentOf(tenantId: string, inboundWamid: string): Promise<string | null> {
    return this.turns.intentOf(tenantId, inboundWamid);
  }

  /** Records the exchange inside the caller's transaction (with the reply and its charge). */
  append(executor: SqlExecutor, exchange: Exchange): Promise<void> {
    return this.turns.insertExchange(executor, exchange);
  }
}

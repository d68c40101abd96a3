import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { encode } from 'gpt-tokenizer';
import { DataSource, type EntityManager } from 'typeorm';

export interface Turn {
  role: 'user' | 'assistant';
  content: string;
  intent: string | null;
  createdAt: Date;
}

/** Turns older than this are not context any more: the owner has moved on. */
const MAX_AGE_MINUTES = 30;
const MAX_TURNS = 8;

/**
 * Recent turns of one chat, newest last, within a token budget (gpt-tokenizer counts), so
 * memory never costs the shop more than the budget however long the chat gets.
 */
@Injectable()
export class ConversationsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async recent(
    tenantId: string,
    waId: string,
    budgetTokens: number,
    beforeWamid?: string,
  ): Promise<Turn[]> {
    const rows: { role: Turn['role']; content: string; intent: string | null; created_at: Date }[] =
      await this.db.query(
        `SELECT role, content, intent, created_at FROM conversation_turns
          WHERE tenant_id = $1 AND wa_id = $2 AND created_at > now() - make_interval(mins => $3)
            AND ($4::text IS NULL OR inbound_wamid <> $4)
          ORDER BY id DESC LIMIT $5`,
        [tenantId, waId, MAX_AGE_MINUTES, beforeWamid ?? null, MAX_TURNS],
      );
    const turns: Turn[] = [];
    let used = 0;
    for (const r of rows) {
      const cost = encode(r.content).length + 4; // + role/format overhead per message
      if (used + cost > budgetTokens) break;
      used += cost;
      turns.unshift({
        role: r.role,
        content: r.content,
        intent: r.intent,
        createdAt: r.created_at,
      });
    }
    // A context that starts with an answer has lost its question: drop it.
    while (turns[0]?.role === 'assistant') turns.shift();
    return turns;
  }

  /** Records the exchange; a retried job writes nothing twice (unique per wamid and role). */
  async append(
    executor: Pick<EntityManager, 'query'>,
    turn: { tenantId: string; waId: string; inboundWamid: string; intent: string | null },
    userText: string,
    assistantText: string,
  ): Promise<void> {
    await executor.query(
      `INSERT INTO conversation_turns (tenant_id, wa_id, role, content, intent, inbound_wamid)
       VALUES ($1, $2, 'user', $3, $5, $6), ($1, $2, 'assistant', $4, $5, $6)
       ON CONFLICT (inbound_wamid, role) DO NOTHING`,
      [turn.tenantId, turn.waId, userText, assistantText, turn.intent, turn.inboundWamid],
    );
  }
}

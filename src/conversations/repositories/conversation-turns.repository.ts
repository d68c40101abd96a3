import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { affectedCount, type SqlExecutor } from '../../database/sql-executor';

export interface TurnRow {
  role: 'user' | 'assistant';
  content: string;
  intent: string | null;
  createdAt: Date;
}

export interface Exchange {
  tenantId: string;
  waId: string;
  inboundWamid: string;
  intent: string | null;
  userText: string;
  assistantText: string;
}

/** The only code that names conversation_turns in SQL. */
@Injectable()
export class ConversationTurnsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Retention: the words of turns older than `cutoff` are blanked; who asked, when, with
   * what intent and which message stay (cost per conversation and experiment reports read
   * them) until deleteBefore. Returns the rows blanked.
   */
  async blankBefore(cutoff: Date): Promise<number> {
    const result: unknown = await this.db.query(
      `UPDATE conversation_turns SET content = '' WHERE created_at < $1 AND content <> ''`,
      [cutoff],
    );
    return affectedCount(result);
  }

  /** Retention: turns older than `cutoff` are deleted. Returns the rows deleted. */
  async deleteBefore(cutoff: Date): Promise<number> {
    const result: unknown = await this.db.query(
      `DELETE FROM conversation_turns WHERE created_at < $1`,
      [cutoff],
    );
    return affectedCount(result);
  }

  async deleteOfTenant(tenantId: string): Promise<number> {
    const result: unknown = await this.db.query(
      `DELETE FROM conversation_turns WHERE tenant_id = $1`,
      [tenantId],
    );
    return affectedCount(result);
  }

  /** Newest first: a chat's turns younger than maxAgeMinutes, other than those of one message. */
  async newest(
    tenantId: string,
    waId: string,
    options: { maxAgeMinutes: number; limit: number; excludeWamid: string | null },
  ): Promise<TurnRow[]> {
    const rows: {
      role: TurnRow['role'];
      content: string;
      intent: string | null;
      created_at: Date;
    }[] = await this.db.query(
      `SELECT role, content, intent, created_at FROM conversation_turns
          WHERE tenant_id = $1 AND wa_id = $2 AND created_at > now() - make_interval(mins => $3)
            AND ($4::text IS NULL OR inbound_wamid <> $4)
          ORDER BY id DESC LIMIT $5`,
      [tenantId, waId, options.maxAgeMinutes, options.excludeWamid, options.limit],
    );
    return rows.map((r) => ({
      role: r.role,
      content: r.content,
      intent: r.intent,
      createdAt: r.created_at,
    }));
  }

  /** The questions of a shop's chats in [from, to), per chat in time order. */
  async questionsBetween(
    tenantId: string,
    from: Date,
    to: Date,
  ): Promise<{ waId: string; inboundWamid: string; createdAt: Date }[]> {
    const rows: { wa_id: string; inbound_wamid: string; created_at: Date }[] = await this.db.query(
      `SELECT wa_id, inbound_wamid, created_at FROM conversation_turns
        WHERE tenant_id = $1 AND role = 'user' AND created_at >= $2 AND created_at < $3
        ORDER BY wa_id, created_at, id`,
      [tenantId, from, to],
    );
    return rows.map((r) => ({
      waId: r.wa_id,
      inboundWamid: r.inbound_wamid,
      createdAt: r.created_at,
    }));
  }

  /**
   * Which of these questions the same chat followed, within `withinSeconds`, with another
   * question of the same intent (the owner asking again: the answer did not serve).
   */
  async followedBySameIntent(wamids: string[], withinSeconds: number): Promise<Set<string>> {
    if (wamids.length === 0) return new Set();
    const rows: { inbound_wamid: string }[] = await this.db.query(
      `SELECT a.inbound_wamid FROM conversation_turns a
        WHERE a.inbound_wamid = ANY($1::text[]) AND a.role = 'user' AND a.intent IS NOT NULL
          AND EXISTS (
            SELECT 1 FROM conversation_turns b
             WHERE b.tenant_id = a.tenant_id AND b.wa_id = a.wa_id AND b.role = 'user'
               AND b.intent = a.intent AND b.inbound_wamid <> a.inbound_wamid
               AND b.created_at > a.created_at
               AND b.created_at <= a.created_at + make_interval(secs => $2))`,
      [wamids, withinSeconds],
    );
    return new Set(rows.map((r) => r.inbound_wamid));
  }

  /** The intent recorded with one message's exchange (null: none recorded, or no exchange). */
  async intentOf(tenantId: string, inboundWamid: string): Promise<string | null> {
    const rows: { intent: string | null }[] = await this.db.query(
      `SELECT intent FROM conversation_turns
        WHERE tenant_id = $1 AND inbound_wamid = $2 AND role = 'user'`,
      [tenantId, inboundWamid],
    );
    return rows[0]?.intent ?? null;
  }

  /** The question and its answer; a retried job writes nothing twice (unique per wamid and role). */
  async insertExchange(executor: SqlExecutor, e: Exchange): Promise<void> {
    await executor.query(
      `INSERT INTO conversation_turns (tenant_id, wa_id, role, content, intent, inbound_wamid)
       VALUES ($1, $2, 'user', $3, $5, $6), ($1, $2, 'assistant', $4, $5, $6)
       ON CONFLICT (inbound_wamid, role) DO NOTHING`,
      [e.tenantId, e.waId, e.userText, e.assistantText, e.intent, e.inboundWamid],
    );
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { returnedRows, type SqlExecutor } from '../../../database/sql-executor';
import {
  ACTION_TTL_SECONDS,
  type ActionKind,
  type ActionPayload,
  type ActionResult,
  type ActionStatus,
  type PendingAction,
} from '../actions.types';

/** What a new row is given; the id, the expiry and later states come from the database. */
export type NewPendingAction = Pick<
  PendingAction,
  'tenantId' | 'tenantUserId' | 'chatWaId' | 'inboundWamid' | 'kind' | 'payload'
> & { status: 'choosing' | 'pending' };

/** Who may touch an action: its shop and the chat it was proposed in. */
export interface ActionOwner {
  tenantId: string;
  tenantUserId: string;
}

/**
 * The only code that names pending_actions in SQL. Every transition out of a state is a
 * conditional UPDATE … WHERE status = …, so two taps (or two workers) race on the row and
 * exactly one of them wins.
 */
@Injectable()
export class PendingActionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** Inserts the action, or returns the one this message already proposed (a retried job). */
  async insert(a: NewPendingAction): Promise<PendingAction> {
    const rows = (await this.db.query(
      `INSERT INTO pending_actions (tenant_id, tenant_user_id, chat_wa_id, inbound_wamid, kind,
                                    payload, status, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, now() + make_interval(secs => $8))
       ON CONFLICT ON CONSTRAINT pending_actions_once DO NOTHING
       RETURNING *`,
      [
        a.tenantId,
        a.tenantUserId,
        a.chatWaId,
        a.inboundWamid,
        a.kind,
        JSON.stringify(a.payload),
        a.status,
        ACTION_TTL_SECONDS,
      ],
    )) as Record<string, unknown>[];
    if (rows[0]) return toAction(rows[0]);
    const [existing] = (await this.db.query(
      `SELECT * FROM pending_actions WHERE tenant_id = $1 AND inbound_wamid = $2`,
      [a.tenantId, a.inboundWamid],
    )) as Record<string, unknown>[];
    return toAction(existing);
  }

  async find(id: string, tx: SqlExecutor = this.db): Promise<PendingAction | null> {
    const [row] = (await tx.query(`SELECT * FROM pending_actions WHERE id = $1`, [id])) as Record<
      string,
      unknown
    >[];
    return row ? toAction(row) : null;
  }

  /** pending → executed, only if still pending, not expired, and this chat's. */
  async claimForExecution(
    tx: SqlExecutor,
    id: string,
    owner: ActionOwner,
    wamid: string,
  ): Promise<PendingAction | null> {
    const [row] = returnedRows<Record<string, unknown>>(
      await tx.query(
        `UPDATE pending_actions
            SET status = 'executed', decided_wamid = $4, decided_at = now()
          WHERE id = $1 AND tenant_id = $2 AND tenant_user_id = $3
            AND status = 'pending' AND expires_at > now()
         RETURNING *`,
        [id, owner.tenantId, owner.tenantUserId, wamid],
      ),
    );
    return row ? toAction(row) : null;
  }

  /** A claimed action the store refused (negative stock, product gone): it stays refused. */
  async setOutcome(
    tx: SqlExecutor,
    id: string,
    status: Extract<ActionStatus, 'executed' | 'refused'>,
    result: ActionResult,
  ): Promise<void> {
    await tx.query(`UPDATE pending_actions SET status = $2, result = $3::jsonb WHERE id = $1`, [
      id,
      status,
      JSON.stringify(result),
    ]);
  }

  /** pending/choosing → cancelled, only if still open and this chat's. */
  async cancel(id: string, owner: ActionOwner, wamid: string): Promise<PendingAction | null> {
    const [row] = returnedRows<Record<string, unknown>>(
      await this.db.query(
        `UPDATE pending_actions
            SET status = 'cancelled', decided_wamid = $4, decided_at = now()
          WHERE id = $1 AND tenant_id = $2 AND tenant_user_id = $3
            AND status IN ('pending', 'choosing') AND expires_at > now()
         RETURNING *`,
        [id, owner.tenantId, owner.tenantUserId, wamid],
      ),
    );
    return row ? toAction(row) : null;
  }

  /** The action, locked until the caller's transaction ends (a pick reads, then writes). */
  async lock(tx: SqlExecutor, id: string): Promise<PendingAction | null> {
    const [row] = (await tx.query(`SELECT * FROM pending_actions WHERE id = $1 FOR UPDATE`, [
      id,
    ])) as Record<string, unknown>[];
    return row ? toAction(row) : null;
  }

  /**
   * A product chosen from the list: the new payload, and 'pending' once every line has its
   * product (the 10 minutes start again). Only while choosing, not expired, in this chat.
   */
  async choose(
    tx: SqlExecutor,
    id: string,
    owner: ActionOwner,
    payload: ActionPayload,
    status: 'choosing' | 'pending',
  ): Promise<PendingAction | null> {
    const [row] = returnedRows<Record<string, unknown>>(
      await tx.query(
        `UPDATE pending_actions
            SET payload = $4::jsonb, status = $5,
                expires_at = now() + make_interval(secs => $6)
          WHERE id = $1 AND tenant_id = $2 AND tenant_user_id = $3
            AND status = 'choosing' AND expires_at > now()
         RETURNING *`,
        [
          id,
          owner.tenantId,
          owner.tenantUserId,
          JSON.stringify(payload),
          status,
          ACTION_TTL_SECONDS,
        ],
      ),
    );
    return row ? toAction(row) : null;
  }

  /** The chat's newest open action (for a typed "sí" / "no"). */
  async latestOpen(owner: ActionOwner): Promise<PendingAction | null> {
    const [row] = (await this.db.query(
      `SELECT * FROM pending_actions
        WHERE tenant_id = $1 AND tenant_user_id = $2 AND status IN ('pending', 'choosing')
          AND expires_at > now()
        ORDER BY created_at DESC LIMIT 1`,
      [owner.tenantId, owner.tenantUserId],
    )) as Record<string, unknown>[];
    return row ? toAction(row) : null;
  }

  /**
   * executed → undone for the chat's last executed action (or the one given) within the
   * window, locked so a second "deshacer" waits and then finds nothing left to undo.
   */
  async claimForUndo(
    tx: SqlExecutor,
    owner: ActionOwner,
    wamid: string,
    windowSeconds: number,
    id: string | null,
  ): Promise<PendingAction | null> {
    const [row] = returnedRows<Record<string, unknown>>(
      await tx.query(
        `UPDATE pending_actions
            SET status = 'undone', undo_wamid = $3, undone_at = now()
          WHERE id = (
                  SELECT id FROM pending_actions
                   WHERE tenant_id = $1 AND tenant_user_id = $2 AND status = 'executed'
                     AND decided_at > now() - make_interval(secs => $4)
                     AND ($5::uuid IS NULL OR id = $5::uuid)
                   ORDER BY decided_at DESC LIMIT 1
                   FOR UPDATE)
            AND status = 'executed'
         RETURNING *`,
        [owner.tenantId, owner.tenantUserId, wamid, windowSeconds, id],
      ),
    );
    return row ? toAction(row) : null;
  }

  async saveUndo(tx: SqlExecutor, id: string, result: ActionResult): Promise<void> {
    await tx.query(`UPDATE pending_actions SET result = $2::jsonb WHERE id = $1`, [
      id,
      JSON.stringify(result),
    ]);
  }

  /** The action this message already undid (a retried job answers the same). */
  async undoneBy(owner: ActionOwner, wamid: string): Promise<PendingAction | null> {
    const [row] = (await this.db.query(
      `SELECT * FROM pending_actions WHERE tenant_id = $1 AND tenant_user_id = $2 AND undo_wamid = $3`,
      [owner.tenantId, owner.tenantUserId, wamid],
    )) as Record<string, unknown>[];
    return row ? toAction(row) : null;
  }

  /** The chat's last executed or undone action (to say why nothing can be undone). */
  async lastDecided(owner: ActionOwner): Promise<PendingAction | null> {
    const [row] = (await this.db.query(
      `SELECT * FROM pending_actions
        WHERE tenant_id = $1 AND tenant_user_id = $2 AND status IN ('executed', 'undone')
        ORDER BY decided_at DESC LIMIT 1`,
      [owner.tenantId, owner.tenantUserId],
    )) as Record<string, unknown>[];
    return row ? toAction(row) : null;
  }
}

function toAction(r: Record<string, unknown>): PendingAction {
  return {
    id: r.id as string,
    tenantId: r.tenant_id as string,
    tenantUserId: r.tenant_user_id as string,
    chatWaId: r.chat_wa_id as string,
    inboundWamid: r.inbound_wamid as string,
    kind: r.kind as ActionKind,
    payload: r.payload as ActionPayload,
    status: r.status as ActionStatus,
    expiresAt: r.expires_at as Date,
    decidedWamid: (r.decided_wamid as string | null) ?? null,
    decidedAt: (r.decided_at as Date | null) ?? null,
    result: (r.result as ActionResult | null) ?? null,
    undoWamid: (r.undo_wamid as string | null) ?? null,
    undoneAt: (r.undone_at as Date | null) ?? null,
    createdAt: r.created_at as Date,
  };
}

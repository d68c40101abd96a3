import { Test, type TestingModule } from '@nestjs/testing';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { BillingModule } from '../../../src/billing/billing.module';
import type { UsageRecord } from '../../../src/billing/billing.types';
import { TokenLedgerService } from '../../../src/billing/ledger/token-ledger.service';
import { PackagesService } from '../../../src/billing/packages/packages.service';
import { ConfigModule } from '../../../src/config/config.module';
import { parseEnv } from '../../../src/config/env.schema';
import { dataSourceOptions } from '../../../src/database/data-source-options';
import { MetricsModule } from '../../../src/observability/metrics.module';

export interface BillingHarness {
  module: TestingModule;
  db: DataSource;
  billing: TokenLedgerService;
  purchases: PackagesService;
  close(): Promise<void>;
}

/** BillingModule alone, wired like the app, against the run's real database. */
export async function startBilling(env: Record<string, string> = {}): Promise<BillingHarness> {
  const module: TestingModule = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(parseEnv({ ...process.env, ...env })),
      MetricsModule,
      TypeOrmModule.forRoot({
        ...dataSourceOptions(process.env.DATABASE_URL ?? ''),
        // Room for the concurrency tests: every round holds a connection briefly.
        extra: { max: 20 },
      }),
      BillingModule,
    ],
  }).compile();
  await module.init();
  return {
    module,
    db: module.get<DataSource>(getDataSourceToken()),
    billing: module.get(TokenLedgerService),
    purchases: module.get(PackagesService),
    close: () => module.close(),
  };
}

let seq = 0;
/** A usage record with unique (wamid, seq) unless told otherwise. */
export function usage(totalTokens: number, over: Partial<UsageRecord> = {}): UsageRecord {
  seq++;
  const promptTokens = Math.floor(totalTokens / 2);
  return {
    promptTokens,
    completionTokens: totalTokens - promptTokens,
    totalTokens,
    model: 'test/model',
    operation: 'chat',
    costUsd: 0.0001,
    latencyMs: 12,
    fallbackLevel: '1',
    inboundWamid: `wamid.test${Date.now()}_${seq}`,
    seq: 1,
    ...over,
  };
}

/** Credits `tokens` through a real purchase of a package built for the test. */
export async function credit(h: BillingHarness, tenantId: string, code = 'basico') {
  return h.purchases.purchase({
    tenantId,
    packageCode: code,
    paymentRef: `pay_${Math.random().toString(36).slice(2)}_${Date.now()}`,
    createdBy: 'test',
  });
}

/**
 * The ledger explains the balance, exactly, for one shop:
 *   available = Σ available_delta, reserved = Σ reserved_delta = Σ active reservations,
 *   available = credits − debits − active reservations + adjustments,
 *   lifetime columns = Σ credits / Σ debits = Σ tokens_charged, nothing negative,
 *   and the last entry's running totals are the balance.
 */
export async function expectLedgerInvariant(db: DataSource, tenantId: string): Promise<void> {
  const [row] = (await db.query(
    `SELECT
       b.available, b.reserved, b.lifetime_purchased, b.lifetime_used,
       (SELECT coalesce(sum(available_delta), 0)::int FROM token_ledger WHERE tenant_id = $1) AS sum_available,
       (SELECT coalesce(sum(reserved_delta), 0)::int FROM token_ledger WHERE tenant_id = $1) AS sum_reserved,
       (SELECT coalesce(sum(tokens), 0)::int FROM token_ledger WHERE tenant_id = $1 AND entry_type = 'credit') AS credits,
       (SELECT coalesce(sum(tokens), 0)::int FROM token_ledger WHERE tenant_id = $1 AND entry_type = 'debit') AS debits,
       (SELECT coalesce(sum(available_delta), 0)::int FROM token_ledger WHERE tenant_id = $1 AND entry_type = 'adjustment') AS adjustments,
       (SELECT coalesce(sum(tokens), 0)::int FROM token_ledger WHERE tenant_id = $1 AND entry_type = 'refund') AS refunds,
       (SELECT coalesce(sum(tokens), 0)::int FROM token_reservations WHERE tenant_id = $1 AND status = 'active') AS active_reserved,
       (SELECT coalesce(sum(tokens_charged), 0)::int FROM token_usage WHERE tenant_id = $1) AS charged,
       (SELECT row_to_json(l) FROM (SELECT available_after, reserved_after FROM token_ledger
          WHERE tenant_id = $1 ORDER BY id DESC LIMIT 1) l) AS last_entry
     FROM tenant_balances b WHERE b.tenant_id = $1`,
    [tenantId],
  )) as Record<string, number & { available_after: number; reserved_after: number }>[];
  if (!row) return; // never touched: nothing to explain
  expect(row.available).toBeGreaterThanOrEqual(0);
  expect(row.reserved).toBeGreaterThanOrEqual(0);
  expect(row.available).toBe(row.sum_available);
  expect(row.reserved).toBe(row.sum_reserved);
  expect(row.reserved).toBe(row.active_reserved);
  expect(row.available).toBe(
    row.credits - row.debits + row.refunds - row.active_reserved + row.adjustments,
  );
  expect(row.lifetime_purchased).toBe(row.credits);
  expect(row.lifetime_used).toBe(row.debits - row.refunds);
  expect(row.charged).toBe(row.debits);
  if (row.last_entry) {
    expect(row.last_entry.available_after).toBe(row.available);
    expect(row.last_entry.reserved_after).toBe(row.reserved);
  }
}

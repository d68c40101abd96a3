import { Tenants1763900000000 } from './1763900000000-tenants';
import { Inbox1763900000100 } from './1763900000100-inbox';
import { Billing1763900000200 } from './1763900000200-billing';
import { Store1763900000300 } from './1763900000300-store';
import { Conversations1763900000400 } from './1763900000400-conversations';
import { InboxIdentities1763900000500 } from './1763900000500-inbox-identities';
import { TenantIdentities1763900000600 } from './1763900000600-tenant-identities';
import { TenantSettings1763900000710 } from './1763900000710-tenant-settings';
import { UsageCache1763900000720 } from './1763900000720-usage-cache';
import { WriteActions1763900000730 } from './1763900000730-write-actions';
import { TenantErasure1763900000740 } from './1763900000740-tenant-erasure';
import { NormalizePaymentRefs1763900000741 } from './1763900000741-normalize-payment-refs';
import { DailyTokenCap1763900000750 } from './1763900000750-daily-token-cap';
import { UnknownResend1763900000751 } from './1763900000751-unknown-resend';
import { Refunds1763900000752 } from './1763900000752-refunds';
import { AnswerExperiments1763900000770 } from './1763900000770-answer-experiments';
import { DailyCloses1763900000771 } from './1763900000771-daily-closes';

/**
 * Every migration, in order. Listed explicitly (not globbed) so the app, the CLI and the
 * test harness load exactly the same set whether they run from TypeScript or from dist.
 * Add new migrations at the end; their class names carry the timestamp that orders them.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const migrations: Function[] = [
  Tenants1763900000000,
  Inbox1763900000100,
  Billing1763900000200,
  Store1763900000300,
  Conversations1763900000400,
  InboxIdentities1763900000500,
  TenantIdentities1763900000600,
  TenantSettings1763900000710,
  UsageCache1763900000720,
  WriteActions1763900000730,
  TenantErasure1763900000740,
  NormalizePaymentRefs1763900000741,
  DailyTokenCap1763900000750,
  UnknownResend1763900000751,
  Refunds1763900000752,
  AnswerExperiments1763900000770,
  DailyCloses1763900000771,
];

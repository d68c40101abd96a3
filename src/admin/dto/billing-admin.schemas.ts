import { z } from 'zod';
import { normalizePaymentRef } from '../../billing/packages/payment-ref';
import { queryInt, storableText } from './admin-validation';

export const purchaseSchema = z.strictObject({
  packageCode: z
    .string()
    .trim()
    .regex(/^[a-z0-9_-]{2,32}$/, 'must be a package code like "basico"'),
  /** Compared normalized (see normalizePaymentRef): "spei-1" and "SPEI\u200b-1 " are one payment. */
  paymentRef: storableText()
    .transform(normalizePaymentRef)
    .pipe(z.string().min(1, 'must not be empty').max(200)),
});

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A day in the shop's time zone (YYYY-MM-DD) or an exact instant (ISO 8601 with offset). */
const dayOrInstant = z
  .string()
  .refine(validDayOrInstant, 'must be YYYY-MM-DD or an ISO 8601 date-time');

/** Round-trips the day so 2025-02-30 is refused here, not by PostgreSQL as a 500. */
function validDayOrInstant(v: string): boolean {
  if (DAY.test(v)) {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(v)) return false;
  const t = Date.parse(v);
  return !Number.isNaN(t) && t > Date.UTC(2000, 0, 1) && t < Date.UTC(2200, 0, 1);
}

export const usageQuery = z.object({
  from: dayOrInstant.optional(),
  to: dayOrInstant.optional(),
  groupBy: z.enum(['day', 'model', 'operation']).default('day'),
});

export const conversationsQuery = z.object({
  from: dayOrInstant.optional(),
  to: dayOrInstant.optional(),
});

export const ledgerQuery = z.object({
  limit: queryInt(1, 200, 50),
  cursor: z
    .string()
    .regex(/^[0-9]{1,18}$/, 'must be the nextCursor of a previous page')
    .optional(),
});

export const purchaseRequestsQuery = z.object({
  status: z.enum(['pending', 'confirmed', 'cancelled']).default('pending'),
  limit: queryInt(1, 500, 100),
});

/** An experiment report's period: days are UTC here (the experiment spans shops). */
export const experimentReportQuery = z.object({
  from: dayOrInstant.optional(),
  to: dayOrInstant.optional(),
});

export const experimentName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be an experiment name (a-z, 0-9, - _)');

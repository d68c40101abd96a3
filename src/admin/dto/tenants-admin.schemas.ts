import { z } from 'zod';
import { isTimeZone, queryInt } from './admin-validation';

export const createTenantSchema = z.strictObject({
  name: z.string().trim().min(1).max(120),
  ownerWaId: z.string().regex(/^[0-9]{6,20}$/, 'must be 6 to 20 digits (wa_id, no "+")'),
  phoneNumberId: z
    .string()
    .regex(/^[0-9]{1,32}$/, "must be Meta's numeric phone_number_id")
    .optional(),
  timezone: z
    .string()
    .min(1)
    .refine(isTimeZone, 'must be an IANA time zone such as America/Mexico_City')
    .optional(),
});

export const listTenantsQuery = z.object({
  limit: queryInt(1, 200, 50),
  offset: queryInt(0, 1_000_000, 0),
});

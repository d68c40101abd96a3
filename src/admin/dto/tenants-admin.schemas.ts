import { z } from 'zod';
import { normalizePhone } from '../../tenants/phone-number';
import { isTimeZone, queryInt, storableText } from './admin-validation';

/** Any way an admin writes a phone number ("+52 55 1234 5678", "5215512345678"…) → E.164. */
const phoneNumber = z
  .string()
  .max(40)
  .transform((value, ctx) => {
    const e164 = normalizePhone(value);
    if (e164) return e164;
    ctx.addIssue({
      code: 'custom',
      message: 'must be a phone number, with its country code (e.g. +52 55 1234 5678)',
    });
    return z.NEVER;
  });

export const createTenantSchema = z.strictObject({
  name: storableText().trim().min(1).max(120),
  /** The owner's WhatsApp number; stored E.164 (Meta's 521… and +52… forms are one number). */
  ownerWaId: phoneNumber,
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

/** A partial update of a shop: absent = unchanged; at least one field. */
export const updateTenantSchema = z
  .strictObject({
    name: storableText().trim().min(1).max(120).optional(),
    timezone: z
      .string()
      .min(1)
      .refine(isTimeZone, 'must be an IANA time zone such as America/Mexico_City')
      .optional(),
    /** false: a sale or removal that would take a product below zero is refused, with the reason. */
    allowNegativeStock: z.boolean().optional(),
  })
  .refine(
    (p) => Object.keys(p).length > 0,
    'give at least one of name, timezone, allowNegativeStock',
  );

export const listTenantsQuery = z.object({
  limit: queryInt(1, 200, 50),
  offset: queryInt(0, 1_000_000, 0),
});

/** DELETE /admin/tenants/:id?confirm=<the same id>. */
export const deleteTenantQuery = z.strictObject({ confirm: z.string().max(100).optional() });

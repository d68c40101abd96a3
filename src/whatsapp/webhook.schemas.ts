import { z } from 'zod';

/**
 * Zod schemas for the parts of Meta's webhook we rely on. Envelopes are loose (Meta adds
 * fields over time); the fields we use are strict, so a malformed message is rejected alone
 * instead of taking the whole delivery down with it.
 */
// Ten digits at most: unix seconds up to the year 2286, a date PostgreSQL can store.
const unixSeconds = z.string().regex(/^\d{1,10}$/, 'timestamp must be unix seconds');

const mediaSchema = z.looseObject({
  id: z.string().min(1),
  mime_type: z.string().optional(),
  caption: z.string().optional(),
  voice: z.boolean().optional(),
});

export const messageSchema = z.looseObject({
  id: z.string().min(1).max(512),
  from: z.string().regex(/^\d{5,20}$/, 'from must be a wa_id'),
  timestamp: unixSeconds,
  type: z.string().min(1).max(40),
  text: z.looseObject({ body: z.string() }).optional(),
  audio: mediaSchema.optional(),
  voice: mediaSchema.optional(),
  image: mediaSchema.optional(),
  video: mediaSchema.optional(),
  document: mediaSchema.optional(),
  sticker: mediaSchema.optional(),
  interactive: z
    .looseObject({
      type: z.string(),
      button_reply: z.looseObject({ id: z.string(), title: z.string() }).optional(),
      list_reply: z
        .looseObject({ id: z.string(), title: z.string(), description: z.string().optional() })
        .optional(),
    })
    .optional(),
  button: z.looseObject({ payload: z.string().optional(), text: z.string() }).optional(),
  location: z
    .looseObject({
      latitude: z.number(),
      longitude: z.number(),
      name: z.string().optional(),
      address: z.string().optional(),
    })
    .optional(),
  reaction: z
    .looseObject({ message_id: z.string().optional(), emoji: z.string().optional() })
    .optional(),
  contacts: z.array(z.looseObject({})).optional(),
  context: z.looseObject({ id: z.string().optional(), from: z.string().optional() }).optional(),
});
export type WaMessage = z.infer<typeof messageSchema>;

export const statusSchema = z.looseObject({
  id: z.string().min(1).max(512),
  status: z.enum(['sent', 'delivered', 'read', 'failed', 'played', 'deleted']),
  timestamp: unixSeconds,
  recipient_id: z.string().optional(),
  errors: z
    .array(
      z.looseObject({
        code: z.number().int(),
        title: z.string().optional(),
        message: z.string().optional(),
      }),
    )
    .optional(),
});
export type WaStatus = z.infer<typeof statusSchema>;

export const changeValueSchema = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  metadata: z.looseObject({
    phone_number_id: z.string().min(1),
    display_phone_number: z.string().optional(),
  }),
  contacts: z
    .array(
      z.looseObject({
        wa_id: z.string().optional(),
        profile: z.looseObject({ name: z.string().optional() }).optional(),
      }),
    )
    .optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
});

export const envelopeSchema = z.looseObject({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    z.looseObject({
      id: z.string().optional(),
      changes: z.array(z.looseObject({ field: z.string(), value: z.unknown() })),
    }),
  ),
});

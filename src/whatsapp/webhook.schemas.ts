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

/** A wa_id: the sender's phone number, digits only (Meta's format, e.g. 5215512345678). */
const waId = z.string().regex(/^\d{5,20}$/, 'must be a wa_id');

/**
 * A business-scoped user id (BSUID): ISO country code, a dot, up to 128 alphanumerics
 * ("MX.1502576394655843"; parent ids carry ENT: "US.ENT.11815799212886844830"). Meta sends it
 * with every message since 2026 and alone, without `from`, for users who hide their number.
 */
export const userIdSchema = z.string().regex(/^[A-Z]{2}\.[A-Za-z0-9.]{1,140}$/, 'must be a BSUID');

/** An edit carries the message as it now reads: its type and that type's payload. */
const editedMessageSchema = z.looseObject({
  type: z.string().min(1).max(40),
  text: z.looseObject({ body: z.string() }).optional(),
  image: mediaSchema.partial().optional(),
  video: mediaSchema.partial().optional(),
  document: mediaSchema.partial().optional(),
});

export const messageSchema = z
  .looseObject({
    id: z.string().min(1).max(512),
    from: waId.optional(),
    from_user_id: userIdSchema.optional(),
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
    /** A removed reaction has no emoji (or an empty one). */
    reaction: z
      .looseObject({ message_id: z.string().optional(), emoji: z.string().optional() })
      .optional(),
    /** The owner edited an earlier message: its id and its new content. */
    edit: z
      .looseObject({
        original_message_id: z.string().min(1).max(512),
        message: editedMessageSchema,
      })
      .optional(),
    /** The owner deleted an earlier message for everyone. */
    revoke: z.looseObject({ original_message_id: z.string().min(1).max(512) }).optional(),
    /**
     * Notices about the user: user_changed_number (the new number in wa_id, new_wa_id in older
     * versions), user_changed_user_id (a new BSUID); no contacts array comes with them.
     */
    system: z
      .looseObject({
        body: z.string().optional(),
        type: z.string().max(60).optional(),
        wa_id: waId.optional(),
        new_wa_id: z.union([waId, z.number().int().positive()]).optional(),
        user_id: userIdSchema.optional(),
        previous_user_id: userIdSchema.optional(),
      })
      .optional(),
    /** What Cloud API could not deliver (a poll, an edit on older versions…). */
    unsupported: z.looseObject({ type: z.string().max(60).optional() }).optional(),
    contacts: z.array(z.looseObject({})).optional(),
    context: z.looseObject({ id: z.string().optional(), from: z.string().optional() }).optional(),
  })
  .refine((m) => m.from !== undefined || m.from_user_id !== undefined, {
    message: 'a message needs from or from_user_id',
    path: ['from'],
  });
export type WaMessage = z.infer<typeof messageSchema>;

export const statusSchema = z.looseObject({
  id: z.string().min(1).max(512),
  status: z.enum(['sent', 'delivered', 'read', 'failed', 'played', 'deleted']),
  timestamp: unixSeconds,
  recipient_id: z.string().optional(),
  recipient_user_id: z.string().optional(),
  /** What we set on the send (biz_opaque_callback_data): "outbound:<row id>". */
  biz_opaque_callback_data: z.string().max(512).optional(),
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
        user_id: z.string().optional(),
        profile: z
          .looseObject({ name: z.string().optional(), username: z.string().optional() })
          .optional(),
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

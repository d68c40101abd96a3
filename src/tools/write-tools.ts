import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import { z } from 'zod';
import type { ActionDraft } from '../store/actions/actions.types';
import { STOCK_CHANGE_REASONS } from '../intents';

/**
 * The write tools offered to the LLM for a change request the rules could not parse. They
 * never write: a valid call becomes an ActionDraft, which the caller turns into a pending
 * action the owner must confirm with a tap. Hand-written schemas (every byte is paid each
 * round), validated by the zod schemas below.
 */
export const WRITE_TOOL_NAMES = [
  'proponer_venta',
  'proponer_inventario',
  'proponer_precio',
] as const;
export type WriteToolName = (typeof WRITE_TOOL_NAMES)[number];

const item = {
  type: 'object',
  properties: { product: { type: 'string' }, quantity: { type: 'integer' } },
  required: ['product', 'quantity'],
};

export const WRITE_TOOL_DEFINITIONS: readonly ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'proponer_venta',
      description: 'Venta a confirmar. unit_price en pesos solo si lo dijo',
      parameters: {
        type: 'object',
        properties: {
          items: {
            type: 'array',
            items: {
              ...item,
              properties: { ...item.properties, unit_price: { type: 'number' } },
            },
          },
        },
        required: ['items'],
      },
    },
  },
  {
    type: 'function',
    function: {
      name: 'proponer_inventario',
      description: 'Movimiento a confirmar: add (llegó), remove (salió, con reason), set (conteo)',
      parameters: {
        type: 'object',
        properties: {
          kind: { type: 'string', enum: ['add', 'remove', 'set'] },
          reason: { type: 'string', enum: [...STOCK_CHANGE_REASONS] },
          items: { type: 'array', items: item },
        },
        required: ['kind', 'items'],
      },
    },
  },
  {
    type: 'function',
    function: {
      name: 'proponer_precio',
      description: 'Cambio de precio a confirmar: price nuevo o change (+/- pesos)',
      parameters: {
        type: 'object',
        properties: {
          product: { type: 'string' },
          price: { type: 'number' },
          change: { type: 'number' },
        },
        required: ['product'],
      },
    },
  },
];

const product = z.string().trim().min(1).max(80);
const quantity = z.number().int().min(0).max(100_000);
const pesos = z.number().min(0).max(1_000_000);

const saleArgs = z.strictObject({
  items: z
    .array(z.strictObject({ product, quantity: quantity.min(1), unit_price: pesos.optional() }))
    .min(1)
    .max(20),
});
const stockArgs = z.strictObject({
  kind: z.enum(['add', 'remove', 'set']),
  reason: z.enum(STOCK_CHANGE_REASONS).optional(),
  items: z.array(z.strictObject({ product, quantity })).min(1).max(20),
});
const priceArgs = z
  .strictObject({
    product,
    price: pesos.optional(),
    change: z.number().min(-1_000_000).max(1_000_000).optional(),
  })
  .refine((a) => (a.price === undefined) !== (a.change === undefined), 'da price o change');

const cents = (pesos: number) => Math.round(pesos * 100);

/** A model's write call as a draft, or a short error it can correct. */
export function parseWriteCall(
  name: string,
  rawArgs: string,
): { ok: true; draft: ActionDraft } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = rawArgs.trim() === '' ? {} : JSON.parse(rawArgs);
  } catch {
    return { ok: false, error: 'los argumentos no son JSON válido' };
  }
  const issues = (e: z.ZodError) =>
    e.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || 'args'}: ${i.message}`)
      .join('; ');
  if (name === 'proponer_venta') {
    const a = saleArgs.safeParse(json);
    if (!a.success) return { ok: false, error: issues(a.error) };
    return {
      ok: true,
      draft: {
        kind: 'sale',
        lines: a.data.items.map((i) => ({
          text: i.product,
          quantity: i.quantity,
          ...(i.unit_price !== undefined ? { givenPriceCents: cents(i.unit_price) } : {}),
        })),
      },
    };
  }
  if (name === 'proponer_inventario') {
    const a = stockArgs.safeParse(json);
    if (!a.success) return { ok: false, error: issues(a.error) };
    const kind =
      a.data.kind === 'add' ? 'stock_in' : a.data.kind === 'remove' ? 'stock_out' : 'stock_set';
    return {
      ok: true,
      draft: {
        kind,
        ...(a.data.reason
          ? { reason: a.data.reason }
          : kind === 'stock_set'
            ? { reason: 'conteo' as const }
            : {}),
        lines: a.data.items.map((i) => ({ text: i.product, quantity: i.quantity })),
      },
    };
  }
  if (name === 'proponer_precio') {
    const a = priceArgs.safeParse(json);
    if (!a.success) return { ok: false, error: issues(a.error) };
    return {
      ok: true,
      draft: {
        kind: 'price_change',
        lines: [
          {
            text: a.data.product,
            quantity: 0,
            ...(a.data.price !== undefined
              ? { givenNewPriceCents: cents(a.data.price) }
              : { deltaCents: cents(a.data.change!) }),
          },
        ],
      },
    };
  }
  return {
    ok: false,
    error: `herramienta desconocida "${name}"; usa: ${WRITE_TOOL_NAMES.join(', ')}`,
  };
}

import { z } from 'zod';
import { storableText } from './admin-validation';

/** Bounds that catch typos (a price in pesos×100 twice) without limiting a real shop. */
const MAX_CENTS = 10_000_000;
const MAX_STOCK = 1_000_000;
/** One request is an onboarding batch, not a data dump. */
export const MAX_PRODUCTS_PER_REQUEST = 2_000;

const cents = z.number().int().min(0).max(MAX_CENTS);

export const productInputSchema = z.strictObject({
  name: storableText().trim().min(1).max(120),
  aliases: z.array(storableText().trim().min(1).max(60)).max(20).optional(),
  priceCents: cents,
  costCents: cents,
  // Stock may be negative: owners sell what arrived before anyone counted it.
  stock: z.number().int().min(-MAX_STOCK).max(MAX_STOCK).optional(),
  minStock: z.number().int().min(0).max(MAX_STOCK).optional(),
  unit: storableText().trim().min(1).max(16).optional(),
});

export const productsBodySchema = z.array(productInputSchema).min(1).max(MAX_PRODUCTS_PER_REQUEST);

export type ProductsBody = z.infer<typeof productsBodySchema>;

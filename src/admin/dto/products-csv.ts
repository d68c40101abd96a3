import type { FieldError } from '../../common/errors/domain-error';
import { InvalidInputError } from '../../common/errors/domain-error';
import {
  MAX_PRODUCTS_PER_REQUEST,
  productInputSchema,
  type ProductsBody,
} from './products-admin.schemas';

/**
 * A catalogue as an admin exports it from a spreadsheet: a header row, then one product per
 * row. Columns (any order, case-insensitive, Spanish names accepted):
 *   name|nombre (required), price|precio (pesos: 18.50, $1,234.50) or price_cents,
 *   cost|costo (pesos) or cost_cents, stock|existencias, min_stock|minimo, unit|unidad,
 *   aliases|alias (separated by | or ;).
 * Comma- or semicolon-separated (Excel in Spanish uses ;), quotes as in RFC 4180, a BOM is
 * ignored. Every row is checked like the JSON import; errors name the row and column.
 */
export const CSV_COLUMNS: Record<string, string> = {
  name: 'name',
  nombre: 'name',
  producto: 'name',
  price: 'price',
  precio: 'price',
  price_cents: 'priceCents',
  cost: 'cost',
  costo: 'cost',
  cost_cents: 'costCents',
  stock: 'stock',
  existencias: 'stock',
  min_stock: 'minStock',
  minimo: 'minStock',
  mínimo: 'minStock',
  unit: 'unit',
  unidad: 'unit',
  aliases: 'aliases',
  alias: 'aliases',
};

const MAX_CSV_ROWS = MAX_PRODUCTS_PER_REQUEST;

export function parseProductsCsv(text: string): ProductsBody {
  const clean = text.replace(/^\uFEFF/, '');
  const firstLine = clean.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = count(firstLine, ';') > count(firstLine, ',') ? ';' : ',';
  const rows = parseCsv(clean, delimiter).filter((r) => r.some((cell) => cell.trim() !== ''));
  if (rows.length < 2) {
    throw invalid([{ field: 'csv', reason: 'needs a header row and at least one product' }]);
  }
  const header = rows[0].map((h) => CSV_COLUMNS[h.trim().toLowerCase()] ?? null);
  const unknown = rows[0].filter((h, i) => h.trim() !== '' && header[i] === null);
  if (unknown.length) {
    throw invalid([
      {
        field: 'header',
        reason: `unknown column(s): ${unknown.join(', ')} (use ${[...new Set(Object.keys(CSV_COLUMNS))].slice(0, 12).join(', ')}…)`,
      },
    ]);
  }
  if (!header.includes('name')) throw invalid([{ field: 'header', reason: 'needs a name column' }]);
  if (!header.includes('price') && !header.includes('priceCents')) {
    throw invalid([{ field: 'header', reason: 'needs a price (pesos) or price_cents column' }]);
  }
  if (rows.length - 1 > MAX_CSV_ROWS) {
    throw invalid([{ field: 'csv', reason: `at most ${MAX_CSV_ROWS} products per import` }]);
  }

  const errors: FieldError[] = [];
  const products: ProductsBody = [];
  rows.slice(1).forEach((cells, index) => {
    const line = index + 2; // spreadsheet row number (header is row 1)
    const raw: Record<string, string> = {};
    header.forEach((key, i) => {
      if (key) raw[key] = (cells[i] ?? '').trim();
    });
    const product: Record<string, unknown> = { name: raw.name };
    const money = (column: string, pesos: string | undefined, cents: string | undefined) => {
      if (pesos !== undefined && pesos !== '') {
        const value = pesosToCents(pesos);
        if (value === null)
          errors.push({
            field: `row ${line}: ${column}`,
            reason: `"${pesos}" is not an amount in pesos`,
          });
        return value ?? undefined;
      }
      if (cents !== undefined && cents !== '') {
        if (!/^\d+$/.test(cents)) {
          errors.push({ field: `row ${line}: ${column}_cents`, reason: 'must be whole cents' });
          return undefined;
        }
        return Number(cents);
      }
      return undefined;
    };
    product.priceCents = money('price', raw.price, raw.priceCents);
    product.costCents = money('cost', raw.cost, raw.costCents) ?? 0;
    for (const key of ['stock', 'minStock'] as const) {
      if (raw[key] !== undefined && raw[key] !== '') {
        if (!/^-?\d+$/.test(raw[key])) {
          errors.push({ field: `row ${line}: ${key}`, reason: 'must be a whole number' });
        } else product[key] = Number(raw[key]);
      }
    }
    if (raw.unit) product.unit = raw.unit;
    if (raw.aliases) {
      product.aliases = raw.aliases
        .split(/[|;]/)
        .map((a) => a.trim())
        .filter(Boolean);
    }
    const parsed = productInputSchema.safeParse(product);
    if (parsed.success) products.push(parsed.data);
    else {
      for (const issue of parsed.error.issues.slice(0, 3)) {
        errors.push({
          field: `row ${line}: ${issue.path.join('.') || 'row'}`,
          reason: issue.message,
        });
      }
    }
  });
  const names = new Map<string, number>();
  products.forEach((p) =>
    names.set(p.name.toLowerCase(), (names.get(p.name.toLowerCase()) ?? 0) + 1),
  );
  for (const [name, n] of names) {
    if (n > 1) errors.push({ field: 'name', reason: `"${name}" appears ${n} times` });
  }
  if (errors.length) throw invalid(errors);
  return products;
}

/** "18.5", "$1,234.50", "1234" → cents; anything else (or more than 2 decimals) → null. */
export function pesosToCents(text: string): number | null {
  const t = text.replace(/^\$\s*/, '').replace(/,(?=\d{3}(\D|$))/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return null;
  const [whole, frac = ''] = t.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

/** RFC 4180: quoted cells may hold the delimiter, newlines and "" for a quote. */
export function parseCsv(text: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === delimiter) {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

function count(s: string, ch: string): number {
  return s.split(ch).length - 1;
}

function invalid(errors: FieldError[]): InvalidInputError {
  return new InvalidInputError('Invalid CSV', errors.slice(0, 50));
}

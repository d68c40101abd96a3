import { classifyIntent } from './classify-intent';
import type { StockChangeEntity } from './intent.types';

const now = new Date('2026-11-23T18:00:00Z');
const stockOf = (text: string): StockChangeEntity | undefined => {
  const result = classifyIntent(text, { now });
  expect({ text, intent: result.intent }).toEqual({ text, intent: 'ajustar_inventario' });
  return result.entities.stockChange;
};

describe('stock changes', () => {
  it.each<[string, StockChangeEntity]>([
    [
      'entrada de mercancía: 12 panes',
      { kind: 'add', reason: 'compra', items: [{ quantity: 12, product: 'pan' }] },
    ],
    [
      'ingresa 48 cervezas al almacén',
      { kind: 'add', items: [{ quantity: 48, product: 'cerveza' }] },
    ],
    [
      'me surtieron 3 cajas de maruchan',
      { kind: 'add', reason: 'compra', items: [{ quantity: 3, product: 'caja de maruchan' }] },
    ],
    ['dame de alta 10 leches', { kind: 'add', items: [{ quantity: 10, product: 'leche' }] }],
    [
      'un cliente devolvió 2 cocas',
      { kind: 'add', reason: 'devolucion', items: [{ quantity: 2, product: 'coca' }] },
    ],
    [
      'devolví 4 leches al proveedor',
      { kind: 'remove', reason: 'devolucion', items: [{ quantity: 4, product: 'leche' }] },
    ],
    [
      'se caducaron 4 yogures',
      { kind: 'remove', reason: 'caducidad', items: [{ quantity: 4, product: 'yogur' }] },
    ],
    [
      'se rompieron 3 huevos',
      { kind: 'remove', reason: 'rotura', items: [{ quantity: 3, product: 'huevo' }] },
    ],
    [
      'me robaron 2 sabritas',
      { kind: 'remove', reason: 'robo', items: [{ quantity: 2, product: 'sabritas' }] },
    ],
    [
      'tire 3 panes porque se echaron a perder',
      { kind: 'remove', reason: 'merma', items: [{ quantity: 3, product: 'pan' }] },
    ],
    [
      'nos comimos 2 gansitos',
      { kind: 'remove', reason: 'consumo', items: [{ quantity: 2, product: 'gansito' }] },
    ],
    [
      'quita 3 sabritas del inventario',
      { kind: 'remove', items: [{ quantity: 3, product: 'sabritas' }] },
    ],
    [
      'se caduco el yogurt, quita 4',
      { kind: 'remove', reason: 'caducidad', items: [{ quantity: 4, product: 'yogurt' }] },
    ],
    [
      'conté 15 sabritas',
      { kind: 'set', reason: 'conteo', items: [{ quantity: 15, product: 'sabritas' }] },
    ],
    [
      'tengo 30 cocas en total',
      { kind: 'set', reason: 'conteo', items: [{ quantity: 30, product: 'coca' }] },
    ],
    [
      'ajusta las cocas a 30 piezas',
      { kind: 'set', reason: 'conteo', items: [{ quantity: 30, product: 'coca' }] },
    ],
    [
      'deja las cocas en 12',
      { kind: 'set', reason: 'conteo', items: [{ quantity: 12, product: 'coca' }] },
    ],
    [
      'ya llego el de la coca y dejo 24',
      { kind: 'add', reason: 'compra', items: [{ quantity: 24, product: 'coca' }] },
    ],
  ])('%j', (text, expected) => {
    expect(stockOf(text)).toEqual(expected);
  });

  it('leaves the stock change out when no quantity can be read', () => {
    expect(stockOf('se rompieron los huevos')).toBeUndefined();
  });

  it('keeps the legacy items next to stockChange', () => {
    const entities = classifyIntent('llegaron 24 cocas', { now }).entities;
    expect(entities.items).toEqual([{ quantity: 24, product: 'coca' }]);
    expect(entities.stockChange?.items).toEqual(entities.items);
  });
});

describe('sale items keep size and variant words', () => {
  it.each([
    [
      'vendi 2 coca 600 y 1 coca light',
      [
        { quantity: 2, product: 'coca 600' },
        { quantity: 1, product: 'coca light' },
      ],
    ],
    ['vendi una coca de 2 litros', [{ quantity: 1, product: 'coca de 2 litros' }]],
    ['vendi 3 panes dulces', [{ quantity: 3, product: 'pan dulce' }]],
    ['vendi 4 sabritas adobadas', [{ quantity: 4, product: 'sabritas adobadas' }]],
    [
      'vendi 2 cocas de 600 y una sabritas a 19',
      [
        { quantity: 2, product: 'coca de 600' },
        { quantity: 1, product: 'sabritas', unitPriceCents: 1900 },
      ],
    ],
    ['vendi 2 cocas a 18 c/u', [{ quantity: 2, product: 'coca', unitPriceCents: 1800 }]],
  ])('%j', (text, items) => {
    const result = classifyIntent(text, { now });
    expect(result.intent).toBe('registrar_venta');
    expect(result.entities.items).toEqual(items);
  });
});

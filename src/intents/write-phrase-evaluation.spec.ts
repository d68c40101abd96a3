import type { IntentResult } from './intent.types';
import { checkWritePhrase, parseWritePhraseFixture } from './write-phrase-evaluation';

const result = (partial: Partial<IntentResult>): IntentResult => ({
  intent: 'otro',
  confidence: 0.9,
  entities: {},
  decidedBy: 'rules',
  unsure: false,
  ...partial,
});

describe('write-phrase fixture format', () => {
  it('parses sales, stock moves with reasons, prices and deltas', () => {
    const phrases = parseWritePhraseFixture(
      [
        '# comment',
        '',
        'vendi 2 cocas a 18\tregistrar_venta\tsale\t2 coca @ 18',
        'se rompieron 3 huevos\tajustar_inventario\tremove:rotura\t3 huevo',
        'vendi media docena\tregistrar_venta\tsale\t0.5 docena; 1 pan dulce',
        'sube la coca a 20.50\tprecios\tprice\tcoca @ 20.50',
        'bajale un peso al pan\tprecios\tprice\tpan @ -1',
      ].join('\n'),
    );
    expect(phrases).toEqual([
      {
        text: 'vendi 2 cocas a 18',
        intent: 'registrar_venta',
        operation: 'sale',
        items: [{ quantity: 2, product: 'coca', priceCents: 1800 }],
        line: 3,
      },
      {
        text: 'se rompieron 3 huevos',
        intent: 'ajustar_inventario',
        operation: 'remove',
        reason: 'rotura',
        items: [{ quantity: 3, product: 'huevo' }],
        line: 4,
      },
      {
        text: 'vendi media docena',
        intent: 'registrar_venta',
        operation: 'sale',
        items: [
          { quantity: 0.5, product: 'docena' },
          { quantity: 1, product: 'pan dulce' },
        ],
        line: 5,
      },
      {
        text: 'sube la coca a 20.50',
        intent: 'precios',
        operation: 'price',
        items: [{ product: 'coca', priceCents: 2050 }],
        line: 6,
      },
      {
        text: 'bajale un peso al pan',
        intent: 'precios',
        operation: 'price',
        items: [{ product: 'pan', deltaCents: -100 }],
        line: 7,
      },
    ]);
  });

  it.each([
    ['a\tb\tc', /4 TAB-separated/],
    ['a\tnope\tsale\t1 coca', /unknown intent/],
    ['a\tprecios\tswap\tcoca @ 1', /unknown operation/],
    ['a\tregistrar_venta\tsale\tcoca', /QTY PRODUCT/],
    ['a\tprecios\tprice\tcoca', /PRODUCT @ PRICE/],
    ['a\tprecios\tprice\tcoca @ veinte', /bad price/],
  ])('rejects %j', (line, message) => {
    expect(() => parseWritePhraseFixture(line)).toThrow(message);
  });
});

describe('checkWritePhrase', () => {
  const [sale] = parseWritePhraseFixture('vendi 2 cocas a 18\tregistrar_venta\tsale\t2 coca @ 18');
  const [loss] = parseWritePhraseFixture(
    'se rompieron 3 huevos\tajustar_inventario\tremove:rotura\t3 huevo',
  );

  it('accepts an exact extraction', () => {
    const check = checkWritePhrase(
      sale,
      result({
        intent: 'registrar_venta',
        entities: { items: [{ quantity: 2, product: 'coca', unitPriceCents: 1800 }] },
      }),
    );
    expect([check.intentOk, check.operationOk, check.itemsOk]).toEqual([true, true, true]);
  });

  it('fails a missing unit price, a wrong reason and a wrong intent', () => {
    const noPrice = checkWritePhrase(
      sale,
      result({
        intent: 'registrar_venta',
        entities: { items: [{ quantity: 2, product: 'coca' }] },
      }),
    );
    expect(noPrice.itemsOk).toBe(false);
    const wrongReason = checkWritePhrase(
      loss,
      result({
        intent: 'ajustar_inventario',
        entities: {
          stockChange: {
            kind: 'remove',
            reason: 'merma',
            items: [{ quantity: 3, product: 'huevo' }],
          },
        },
      }),
    );
    expect([wrongReason.operationOk, wrongReason.itemsOk]).toEqual([false, true]);
    expect(checkWritePhrase(loss, result({ intent: 'inventario' })).intentOk).toBe(false);
  });
});

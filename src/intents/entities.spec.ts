import { classifyIntent } from './classify-intent';

const now = new Date('2026-11-23T18:00:00Z');
const entitiesOf = (text: string) => classifyIntent(text, { now }).entities;

describe('entity extraction', () => {
  it.each([
    ['vendí 2 cocas', [{ quantity: 2, product: 'coca' }]],
    ['llegaron 24 cocas', [{ quantity: 24, product: 'coca' }]],
    ['vendi 1 leche lala', [{ quantity: 1, product: 'leche lala' }]],
    [
      'vendí 2 cocas y 1 sabritas',
      [
        { quantity: 2, product: 'coca' },
        { quantity: 1, product: 'sabritas' },
      ],
    ],
    [
      'bendi una sabritas y dos cocas',
      [
        { quantity: 1, product: 'sabritas' },
        { quantity: 2, product: 'coca' },
      ],
    ],
    ['llegaron veinticuatro cocas', [{ quantity: 24, product: 'coca' }]],
    ['me trajeron treinta y dos maruchan', [{ quantity: 32, product: 'maruchan' }]],
    ['vendi media docena de huevos', [{ quantity: 6, product: 'huevo' }]],
    ['se rompieron 3 huevos', [{ quantity: 3, product: 'huevo' }]],
    ['agrega 10 zotes al inventario', [{ quantity: 10, product: 'zote' }]],
    ['llegaron 12 panes bimbo', [{ quantity: 12, product: 'pan bimbo' }]],
    ['24cocas llegaron', [{ quantity: 24, product: 'coca' }]],
  ])('items of %j', (text, items) => {
    expect(entitiesOf(text).items).toEqual(items);
  });

  it.each([
    ['sube la coca a 18', 1800],
    ['pon el pan bimbo a $26.50', 2650],
    ['la maruchan a 16 pesos', 1600],
    ['cambia el precio del zote a 14 pesos', 1400],
    ['vendi 1 aceite a 45', 4500],
    ['vendi 1 aceite $42', 4200],
  ])('price of %j is %i cents', (text, cents) => {
    expect(entitiesOf(text).priceCents).toBe(cents);
  });

  it('does not mistake a quantity for a price, or a price for a quantity', () => {
    expect(entitiesOf('vendí 2 cocas').priceCents).toBeUndefined();
    const sale = entitiesOf('vendi 2 cocas a 18');
    expect(sale.items).toEqual([{ quantity: 2, product: 'coca', unitPriceCents: 1800 }]);
    expect(sale.priceCents).toBe(1800);
  });

  it.each([
    ['a cómo tengo el aceite', 'aceite'],
    ['cuánto vendí de coca', 'coca'],
    ['cuántas cocas me quedan', 'coca'],
    ['cuanto cuesta la leche lala', 'leche lala'],
    ['cuanto le estoy ganando a la coca', 'coca'],
  ])('product asked about in %j is %j', (text, product) => {
    expect(entitiesOf(text).product).toBe(product);
  });

  it('returns no entities for greetings or empty text', () => {
    expect(entitiesOf('hola')).toEqual({});
    expect(entitiesOf('')).toEqual({});
  });

  it('extracts a period next to items', () => {
    const entities = entitiesOf('hoy vendi 10 bolillos');
    expect(entities.items).toEqual([{ quantity: 10, product: 'bolillo' }]);
    expect(entities.period?.key).toBe('today');
  });
});

import { isChangeRequest } from './change-request';
import { classifyIntent } from './classify-intent';

const now = new Date('2026-11-23T18:00:00Z');
const classify = (text: string) => classifyIntent(text, { now });

describe('price changes never look like reads', () => {
  it.each([
    ['sube la coca a 20 pesos', 'coca', 2000],
    ['pon el pan a 5', 'pan', 500],
    ['cambia el precio del aceite a 45', 'aceite', 4500],
    ['la coca ahora cuesta 20', 'coca', 2000],
    ['bájale a las sabritas a 18', 'sabritas', 1800],
    ['ponle 22 pesos a la coca de 2 litros', 'coca de 2 litros', 2200],
    ['actualiza precio de leche lala $26.50', 'leche lala', 2650],
    ['la leche a 28 pesos', 'leche', 2800],
    ['nuevo precio de la maruchan 17', 'maruchan', 1700],
    // A price word or a moved price makes "en N" a price; "N el kilo" is an amount per unit.
    ['el gansito ya subio, ponlo en 20', 'gansito', 2000],
    ['quiero que el azucar quede en 32 el kilo', 'azucar', 3200],
  ])('%j → priceChange { %s, %i }', (text, product, priceCents) => {
    const result = classify(text);
    expect(result.intent).toBe('precios');
    expect(result.entities.priceChange).toEqual({ product, priceCents });
    expect(result.entities.priceDelta).toBeUndefined();
    expect(isChangeRequest(result)).toBe(true);
  });

  it.each([
    ['sube la coca 2 pesos', 'coca', 200],
    ['bajale un peso al pan', 'pan', -100],
    ['subele 3 pesos a las cervezas', 'cerveza', 300],
    // Centavos are already cents: never a change of 50 pesos.
    ['bajale 50 centavos al chicle', 'chicle', -50],
  ])('%j → priceDelta { %s, %i }', (text, product, deltaCents) => {
    const result = classify(text);
    expect(result.intent).toBe('precios');
    expect(result.entities.priceDelta).toEqual({ product, deltaCents });
    expect(result.entities.priceChange).toBeUndefined();
    expect(isChangeRequest(result)).toBe(true);
  });

  it.each(['sube el precio de la coca', 'quiero cambiar el precio del pan', 'sube todo 1 peso'])(
    '%j asks for a change with something missing: a change request without priceChange',
    (text) => {
      const result = classify(text);
      expect(result.intent).toBe('precios');
      expect(result.entities.wantsPriceChange).toBe(true);
      expect(result.entities.priceChange).toBeUndefined();
      expect(isChangeRequest(result)).toBe(true);
    },
  );

  it.each([
    '¿a cómo está la coca?',
    'a como tengo el aceite',
    'cuanto cuesta la leche lala',
    'precio de la maruchan?',
    'cual es el precio del pan bimbo',
    'a cuanto doy la coca',
    '¿la coca a 20?',
    'cuánto cuesta la coca de 600?',
  ])('%j is a read: no priceChange, not a change request', (text) => {
    const result = classify(text);
    expect(result.intent).toBe('precios');
    expect(result.entities.priceChange).toBeUndefined();
    expect(result.entities.priceDelta).toBeUndefined();
    expect(result.entities.wantsPriceChange).toBeUndefined();
    expect(isChangeRequest(result)).toBe(false);
  });
});

describe('isChangeRequest', () => {
  it.each([
    ['vendí 2 cocas', true],
    ['llegaron 24 cocas', true],
    ['conté 15 sabritas', true],
    ['cuánto vendí hoy', false],
    ['cuántas cocas me quedan', false],
    ['cuántos tokens me quedan', false],
    ['hola', false],
    ['ok', false],
  ])('%j → %s', (text, expected) => {
    expect(isChangeRequest(classify(text))).toBe(expected);
  });
});

describe('a product put at a bare number ("deja las maruchan en 16")', () => {
  it.each(['deja las maruchan en 16', 'la coca de 600 ponla en 19', 'pon el fabuloso en 8'])(
    '%j reads as a stock count but stays unsure: no price word and no count word',
    (text) => {
      const result = classify(text);
      expect(result).toMatchObject({ intent: 'ajustar_inventario', unsure: true });
      expect(result.entities.priceChange).toBeUndefined();
    },
  );

  it.each(['deja las cocas en 24 piezas', 'el inventario de tecate dejalo en 36'])(
    '%j has a count word: a confident stock set',
    (text) => {
      expect(classify(text)).toMatchObject({ intent: 'ajustar_inventario', unsure: false });
    },
  );
});

import { normalizeText } from './normalize-text';

describe('normalizeText', () => {
  it.each([
    ['¿Cuánto VENDÍ hoy?', 'cuanto vendi hoy'],
    ['ÑOÑO pingüino', 'nono pinguino'],
    ['  muchos    espacios\t y\ttabs  ', 'muchos espacios y tabs'],
    ['hola!!! 👋😊', 'hola'],
    ['🙏🙏', ''],
    ['...', ''],
    ['', ''],
  ])('folds case, accents, emoji and punctuation: %j → %j', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it.each([
    ['holaaa', 'hola'],
    ['HOLAAAAA', 'hola'],
    ['graciass', 'gracias'],
    ['siii', 'si'],
    ['buenooos diaaas', 'buenos dias'],
  ])('collapses letters repeated for emphasis: %j → %j', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it.each([
    ['llegaron', 'llegaron'],
    ['carro', 'carro'],
    ['leer', 'leer'],
    ['acción', 'accion'],
    ['coordinar', 'coordinar'],
    ['perrrro', 'perro'],
    ['llllego', 'llego'],
  ])('keeps real Spanish doubles: %j → %j', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it.each([
    ['24cocas', '24 cocas'],
    ['coca600', 'coca 600'],
    ['a $26.50', 'a $26.50'],
    ['$18', '$18'],
    ['a 18.', 'a 18'],
    ['1,200 pesos', '1,200 pesos'],
    ['cocas, sabritas.', 'cocas sabritas'],
  ])('keeps numbers and prices intact: %j → %j', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it('treats decomposed accents like precomposed ones', () => {
    expect(normalizeText('vendi\u0301')).toBe('vendi');
    expect(normalizeText('cua\u0301nto')).toBe(normalizeText('cuánto'));
  });

  it('handles CR/LF and other control characters as separators', () => {
    expect(normalizeText('hola\r\nque tal\u0000')).toBe('hola que tal');
  });

  it('handles very long input', () => {
    const long = 'vendi 2 cocas '.repeat(5000);
    const normalized = normalizeText(long);
    expect(normalized.startsWith('vendi 2 cocas vendi')).toBe(true);
    expect(normalized.length).toBe(long.trim().length);
  });
});

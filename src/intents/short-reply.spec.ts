import { classifyIntent } from './classify-intent';

const now = new Date('2026-11-23T18:00:00Z');
const classify = (text: string) => classifyIntent(text, { now });

describe('short replies are zero-token acknowledgements', () => {
  it.each([
    'ok',
    'va',
    'sale',
    'listo',
    'okey',
    'gracias',
    '👍',
    '👍🏽',
    '👌',
    'ok gracias',
    'sale pues',
    'va que va',
    'muchas gracias!!',
    'de acuerdo',
    'perfecto',
    'ya quedó',
    'orale gracias',
  ])('%j → saludo with ack and no yes/no', (text) => {
    const result = classify(text);
    expect(result).toMatchObject({ intent: 'saludo', decidedBy: 'rules', unsure: false });
    expect(result.entities).toEqual({ ack: true });
  });

  it.each([
    ['si', 'yes'],
    ['sí', 'yes'],
    ['siii', 'yes'],
    ['simón', 'yes'],
    ['claro que sí', 'yes'],
    ['sí, gracias', 'yes'],
    ['dale', 'yes'],
    ['no', 'no'],
    ['nel', 'no'],
    ['no gracias', 'no'],
    ['mejor no', 'no'],
    ['NO', 'no'],
  ] as const)('%j → yesNo %s', (text, yesNo) => {
    expect(classify(text)).toMatchObject({ intent: 'saludo', entities: { ack: true, yesNo } });
  });

  it('says neither yes nor no when both are there', () => {
    expect(classify('si no').entities).toEqual({ ack: true });
  });

  it.each([
    ['hola', 'saludo'],
    ['buenos días', 'saludo'],
    ['no hay coca?', 'inventario'],
    ['sí vendí 2 cocas', 'registrar_venta'],
    ['¿cuánto sale la coca?', 'precios'],
    ['ok, cuánto vendí hoy', 'ventas'],
    ['no se', 'otro'],
    ['🤔', 'otro'],
    ['', 'otro'],
  ])('%j is not a bare acknowledgement (→ %s)', (text, intent) => {
    const result = classify(text);
    expect(result.intent).toBe(intent);
    expect(result.entities.ack).toBeUndefined();
    expect(result.entities.yesNo).toBeUndefined();
  });
});

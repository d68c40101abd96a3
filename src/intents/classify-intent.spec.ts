import fc from 'fast-check';
import {
  classifyIntent,
  classifyWith,
  LEARNED_MODEL,
  LOW_CONFIDENCE_THRESHOLD,
} from './classify-intent';
import { INTENTS, type Intent } from './intent.types';
import { foldedTextOf } from './learned-features';
import { predictLearned } from './learned-model';

const now = new Date('2026-11-23T18:00:00Z');
const intentOf = (text: string): Intent => classifyIntent(text, { now }).intent;

describe('classifyIntent', () => {
  it('exports the fixed label set and a threshold inside (0, 1)', () => {
    expect([...INTENTS]).toEqual([
      'ventas',
      'inventario',
      'ganancias',
      'registrar_venta',
      'ajustar_inventario',
      'precios',
      'saldo',
      'ayuda',
      'saludo',
      'otro',
    ]);
    expect(LOW_CONFIDENCE_THRESHOLD).toBeGreaterThan(0);
    expect(LOW_CONFIDENCE_THRESHOLD).toBeLessThan(1);
  });

  it.each<[string, Intent]>([
    ['vendí 2 cocas', 'registrar_venta'],
    ['cuánto vendí de coca', 'ventas'],
    ['llegaron 24 cocas', 'ajustar_inventario'],
    ['cuántas cocas me quedan', 'inventario'],
    ['a cómo tengo el aceite', 'precios'],
    ['cuánto gané', 'ganancias'],
    ['cuántos tokens me quedan', 'saldo'],
  ])('tie-break: %j → %s', (text, intent) => {
    expect(intentOf(text)).toBe(intent);
  });

  it.each<[string, Intent]>([
    ['CUANTO VENDI HOY', 'ventas'],
    ['cuanto bendi oy', 'ventas'],
    ['k tal las bentas de oy', 'ventas'],
    ['q vendi ayer', 'ventas'],
    ['e vendido 3 cocas', 'registrar_venta'],
    ['VENDI 2 COCAS!!', 'registrar_venta'],
    ['cuantas cocas me keda', 'inventario'],
    ['yegaron 10 maruchan', 'ajustar_inventario'],
    ['cuanto sake este mes', 'ganancias'],
    ['cuánto saqué', 'ganancias'],
    ['holaaa', 'saludo'],
    ['HOLAAA!!! 👋', 'saludo'],
    ['qué onda', 'saludo'],
    ['ke onda', 'saludo'],
    ['graciaaas 🙏', 'saludo'],
    ['👋', 'saludo'],
    ['ayudaaa', 'ayuda'],
    ['menú', 'ayuda'],
    ['kiero recargar', 'saldo'],
    ['a komo tengo el zote', 'precios'],
    ['cuanto cuesta la sabritas???', 'precios'],
    ['vendí 1 leche lala y 2 pan bimbo', 'registrar_venta'],
    ['me quedan maruchan?', 'inventario'],
    ['dame ideas de promociones', 'otro'],
  ])('phone typing: %j → %s', (text, intent) => {
    expect(intentOf(text)).toBe(intent);
  });

  it('is confident on clear messages and unsure on ambiguous or empty ones', () => {
    for (const text of ['vendí 2 cocas', 'cuántos tokens me quedan', 'llegaron 24 cocas']) {
      expect(classifyIntent(text, { now }).confidence).toBeGreaterThanOrEqual(0.85);
    }
    for (const text of [
      '',
      '   ',
      'asdf',
      'coca',
      'precio e inventario de la coca',
      'vendi 2 cocas y llegaron 24 sabritas',
      'cuanto vendi y cuanto gane',
    ]) {
      const result = classifyIntent(text, { now });
      expect({ text, low: result.confidence < LOW_CONFIDENCE_THRESHOLD }).toEqual({
        text,
        low: true,
      });
    }
  });

  it('classifies empty and meaningless input as otro', () => {
    expect(classifyIntent('')).toMatchObject({ intent: 'otro', entities: {} });
    expect(classifyIntent('...').intent).toBe('otro');
    expect(classifyIntent(undefined as unknown as string).intent).toBe('otro');
  });

  it('lets a real request win over a leading greeting', () => {
    expect(intentOf('hola, cuántas cocas me quedan?')).toBe('inventario');
    expect(intentOf('buenas tardes, me dices cuanto vendi hoy')).toBe('ventas');
  });

  it('is pure: same input, same output, no matter what ran before', () => {
    const first = classifyIntent('vendí 2 cocas a 18', { now });
    classifyIntent('llegaron 24 sabritas el sábado', { now });
    classifyIntent('x'.repeat(10_000), { now });
    expect(classifyIntent('vendí 2 cocas a 18', { now })).toEqual(first);
  });

  it('fails loudly on an invalid time zone (a configuration bug)', () => {
    expect(() => classifyIntent('hola', { timeZone: 'Not/AZone' })).toThrow(RangeError);
  });

  describe('rules first, the learned model below their threshold', () => {
    it('lets confident rules decide', () => {
      expect(classifyIntent('vendí 2 cocas', { now })).toMatchObject({
        intent: 'registrar_venta',
        decidedBy: 'rules',
        unsure: false,
      });
    });

    it.each<[string, Intent]>([
      ['cuantas cocas se movieron esta semana', 'ventas'],
      ['quiero comprar el paquete de 3000', 'saldo'],
      ['se pueden mandar audios o nomas texto', 'ayuda'],
    ])('lets the model decide %j (no rule evidence) → %s', (text, intent) => {
      const rulesOnly = classifyWith(text, { now }, undefined);
      expect(rulesOnly).toMatchObject({ intent: 'otro', decidedBy: 'rules', unsure: true });
      const result = classifyIntent(text, { now });
      expect(result).toMatchObject({ intent, decidedBy: 'learned', unsure: false });
      expect(result.confidence).toBeGreaterThanOrEqual(LEARNED_MODEL.threshold);
    });

    it.each(['como le subo el sueldo a mi empleado', 'es buen negocio vender recargas?'])(
      'keeps %j unsure when one rule clue wins but the model confidently says otherwise',
      (text) => {
        const rulesOnly = classifyWith(text, { now }, undefined);
        expect(rulesOnly.unsure).toBe(false);
        expect(rulesOnly.confidence).toBeLessThan(0.75);
        const learned = predictLearned(LEARNED_MODEL, foldedTextOf(text));
        expect(learned.intent).not.toBe(rulesOnly.intent);
        expect(learned.confidence).toBeGreaterThanOrEqual(LEARNED_MODEL.threshold);
        expect(classifyIntent(text, { now })).toMatchObject({
          intent: rulesOnly.intent,
          decidedBy: 'rules',
          unsure: true,
        });
      },
    );

    it.each(['vendi 2 cocas y llegaron 24 sabritas', 'precio e inventario de la coca'])(
      'keeps %j unsure: two requests in one message are for the LLM, not for the model',
      (text) => {
        expect(classifyIntent(text, { now })).toMatchObject({ decidedBy: 'rules', unsure: true });
      },
    );

    it.each(['asdf', 'coca', ''])('keeps %j unsure when the model is unsure too', (text) => {
      expect(classifyIntent(text, { now })).toMatchObject({ decidedBy: 'rules', unsure: true });
    });

    it('never calls a result learned without a model', () => {
      expect(classifyWith('cuanto me dejo la semana', { now }, undefined).decidedBy).toBe('rules');
    });

    it('keeps unsure exactly equal to confidence < LOW_CONFIDENCE_THRESHOLD', () => {
      const word = fc.constantFrom(
        'cuanto',
        'vendi',
        'cocas',
        '2',
        'semana',
        'quiero',
        'paquete',
        'me',
        'dejo',
        'que',
        'mas',
        'sabes',
        'hacer',
        'hola',
        'llegaron',
        'precio',
        'asdf',
        'la',
        'de',
        'tokens',
      );
      fc.assert(
        fc.property(fc.array(word, { maxLength: 8 }), (words) => {
          const result = classifyIntent(words.join(' '), { now });
          expect(result.unsure).toBe(result.confidence < LOW_CONFIDENCE_THRESHOLD);
          if (result.decidedBy === 'learned') {
            expect(result.confidence).toBeGreaterThanOrEqual(LEARNED_MODEL.threshold);
          }
        }),
        { numRuns: 1000 },
      );
    });
  });

  describe('properties', () => {
    const check = (text: string): void => {
      const result = classifyIntent(text, { now });
      expect(INTENTS).toContain(result.intent);
      expect(result.confidence).toBeGreaterThanOrEqual(0);
      expect(result.confidence).toBeLessThanOrEqual(1);
      expect(Number.isNaN(result.confidence)).toBe(false);
    };

    it('never throws and keeps confidence in [0, 1] for arbitrary strings', () => {
      fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), check), {
        numRuns: 2000,
      });
      fc.assert(fc.property(fc.string({ maxLength: 2000 }), check), { numRuns: 300 });
    });

    it('never throws on shop-like word soup', () => {
      const word = fc.constantFrom(
        'vendi',
        'cuanto',
        'cocas',
        '2',
        '$26.50',
        'a',
        '18',
        'llegaron',
        'hoy',
        'el',
        'sabado',
        'me',
        'quedan',
        'precio',
        'tokens',
        'hola',
        'de',
        'y',
        'una',
        'docena',
        'treinta',
        'octubre',
        'pasado',
        'semana',
        '😊',
        '¿',
        '?',
        'ganancia',
        'ajusta',
        'inventario',
        '1,200',
        'media',
        'par',
        'mes',
        'antes',
        'ayer',
        'precio',
        'sube',
        'a cómo',
        'cuánto',
        'k',
        'q',
      );
      fc.assert(
        fc.property(fc.array(word, { maxLength: 80 }), (words) => check(words.join(' '))),
        { numRuns: 2000 },
      );
    });
  });
});

describe('product-level questions seen answered wrongly', () => {
  it.each<[string, Intent, string | undefined]>([
    // "2L" is the product's size, not "2 units sold".
    ['ventas de coca 2L hoy', 'ventas', 'coca 2 l'],
    ['cuánto me dejó la coca de 2 litros este mes', 'ganancias', 'coca de 2 litros'],
    ['¿me está dejando algo el pan dulce?', 'ganancias', undefined],
    ['cuánto me quedó libre esta semana', 'ganancias', undefined],
    ['top de productos de la semana', 'ventas', undefined],
    ['ticket promedio de la coca', 'ventas', 'coca'],
    // "zero" is Coca-Cola Zero, not the number.
    ['cuanto vendí de coca zero hoy', 'ventas', 'coca zero'],
  ])('%j → %s about %s', (text, intent, product) => {
    const result = classifyIntent(text, { now });
    expect(result.intent).toBe(intent);
    if (product !== undefined) expect(result.entities.product).toBe(product);
  });

  it.each<[string, Intent]>([
    ['me dejaron 24 cocas', 'ajustar_inventario'],
    ['el de la coca me dejó 3 cajas', 'ajustar_inventario'],
    ['ingresa 48 cervezas al almacén', 'ajustar_inventario'],
    ['vendí una coca 2 l', 'registrar_venta'],
  ])('still reads %j as %s', (text, intent) => {
    expect(classifyIntent(text, { now }).intent).toBe(intent);
  });
});

describe('classes of the sixth held-out set misses, by the rules alone', () => {
  it.each<[string, Intent]>([
    ['y el corte de anoche?', 'ventas'],
    ['que tal salio la caja del lunes', 'ventas'],
    ['vendimos menos esta quincena o la otra', 'ventas'],
    ['se quebraron 4 frascos de salsa de la caja', 'ajustar_inventario'],
    ['se estrellaron 2 botellas de aceite', 'ajustar_inventario'],
    ['el de bimbo se llevo 3 panes caducados', 'ajustar_inventario'],
    ['me compraron 3 sabritas', 'registrar_venta'],
    ['para que es lo de saldo', 'ayuda'],
    ['sirves para anotar lo que vendo?', 'ayuda'],
    ['mi hijo puede usar el bot desde otro celular?', 'ayuda'],
    ['bueno, ahi nos vemos', 'saludo'],
    ['que onda con el futbol, quien va ganando?', 'otro'],
    ['traduceme la lista de precios al ingles', 'otro'],
    ['cuantos dias tiene este mes', 'otro'],
    ['me das una receta de mole', 'otro'],
    ['como le quito las hormigas al azucar', 'otro'],
    ['los ratones se comieron 3 bolsas de arroz', 'ajustar_inventario'],
  ])('%j → %s', (text, intent) => {
    expect(classifyWith(text, { now }, undefined).intent).toBe(intent);
  });
});

describe('classes of the seventh held-out set misses, by the rules alone', () => {
  it.each<[string, Intent]>([
    ['que tanto me costaron los productos que se vendieron el martes', 'ganancias'],
    ['el costo de la mercancia vendida de la semana', 'ganancias'],
    ['cuanto me costo la caja de coca', 'precios'],
    ['acabamos de despachar 3 bolsas de hielo', 'registrar_venta'],
    ['puedo pagar el paquete en el oxxo?', 'saldo'],
    ['deposite lo de la recarga y no se refleja', 'saldo'],
    ['acepto tarjeta en mi tienda?', 'otro'],
    ['pague 300 de luz', 'otro'],
    ['como le hago para meter las cocas que me surtieron', 'ayuda'],
    ['me podrias llevar las cuentas de la tiendita?', 'ayuda'],
    ['no se ni que escribirte', 'ayuda'],
    ['cuanto inventario tengo?', 'inventario'],
    ['cuantas cocas me quedan', 'inventario'],
    ['puedes anotar 2 cocas', 'registrar_venta'],
  ])('%j → %s', (text, intent) => {
    expect(classifyWith(text, { now }, undefined).intent).toBe(intent);
  });
});

describe('classes of the eighth held-out set misses, by the rules alone', () => {
  it.each<[string, Intent]>([
    ['la vecina compro 3 leches', 'registrar_venta'],
    ['compre 24 cocas al proveedor', 'ajustar_inventario'],
    ['compro 24 cocas al proveedor', 'ajustar_inventario'],
    ['comparame lo que vendi el lunes contra el martes', 'ventas'],
    ['que producto sale menos', 'ventas'],
    ['top de productos por margen', 'ganancias'],
    ['la leche si me deja algo?', 'ganancias'],
    ['cuanto cobran por el asistente', 'saldo'],
    ['me quiero cambiar a otro plan', 'saldo'],
    ['tengo dudas de como se usa', 'ayuda'],
    ['tengo una duda sobre el sat', 'otro'],
    ['me puedes avisar cuando se acabe el pan?', 'ayuda'],
    ['ya se acabaron las cocas?', 'inventario'],
    ['sirve para llevar el fiado?', 'ayuda'],
    ['el cloro sirve para desinfectar?', 'otro'],
    ['como lavo el refri', 'otro'],
    ['cuanto me quedo limpio hoy', 'ganancias'],
    ['como le hago para registrar una venta', 'ayuda'],
  ])('%j → %s', (text, intent) => {
    expect(classifyWith(text, { now }, undefined).intent).toBe(intent);
  });
});

describe('classes of the tenth held-out set misses, by the rules alone', () => {
  it.each<[string, Intent]>([
    // A "porque / pero" after the request explains it: the intent word still decides.
    [
      'quiero saber cuanto gane en octubre porque siento que vendi mucho pero no veo el dinero',
      'ganancias',
    ],
    ['dime las ventas de hoy porque se me hace que vino poca gente', 'ventas'],
    ['revisa si subieron las ventas contra el mes pasado', 'ventas'],
    ['bajaron las ventas, que hago', 'otro'],
    ['pero que tal si pongo promociones', 'otro'],
    ['cual es el producto que peor se vende', 'ventas'],
    ['el lunes viene el de lala, que le encargo', 'inventario'],
    ['que productos tienen menos de 4', 'inventario'],
    ['cuanta feria limpia me quedo en octubre', 'ganancias'],
    ['cuanto saque de cocas ayer', 'ventas'],
    ['cuanto le saco a cada coca', 'ganancias'],
    ['puedo pagar el bot con tarjeta?', 'saldo'],
    ['acepto tarjeta en la tienda?', 'otro'],
    ['eres capaz de llevar mi inventario?', 'ayuda'],
    ['me recuerdas hacer el pedido el lunes?', 'ayuda'],
    ['tambien haces cortes de caja?', 'ayuda'],
    ['con que frases te pido el reporte', 'ayuda'],
    ['quiero aprender a usar el asistente', 'ayuda'],
    ['muchas gracias, me sirvio mucho', 'saludo'],
  ])('%j → %s', (text, intent) => {
    expect(classifyWith(text, { now }, undefined).intent).toBe(intent);
  });
});

import { DEMO_PRODUCTS } from '../../database/seeds/demo-catalogue';
import { rankProducts, suggestProducts } from './product-matching';

/** How owners actually type, against the demo shop's real catalogue (pure, no database). */
const best = (query: string) => rankProducts(query, DEMO_PRODUCTS, 5);

describe('product matching on the demo catalogue', () => {
  it.each([
    ['coca', 'Coca-Cola 600 ml'],
    ['cocas', 'Coca-Cola 600 ml'],
    ['cocacola', 'Coca-Cola 600 ml'],
    ['coca cola', 'Coca-Cola 600 ml'],
    ['Coca-Cola', 'Coca-Cola 600 ml'],
    ['coca grande', 'Coca-Cola 2 L'],
    ['sabritas', 'Sabritas Original 45 g'],
    ['sabrita', 'Sabritas Original 45 g'],
    ['sabritaz', 'Sabritas Original 45 g'],
    ['maruchan', 'Maruchan Camarón con Limón'],
    ['maruchans', 'Maruchan Camarón con Limón'],
    ['marucha', 'Maruchan Camarón con Limón'],
    ['bimbo', 'Pan Blanco Bimbo Grande'],
    ['leche', 'Leche Lala Entera 1 L'],
    ['leche lala', 'Leche Lala Entera 1 L'],
    ['huevos', 'Huevo Blanco'],
    ['blanquillos', 'Huevo Blanco'],
    ['tortilla', 'Tortillas de Maíz'],
    ['zote', 'Jabón Zote Rosa 400 g'],
    ['aceite', 'Aceite Nutrioli 850 ml'],
    ['azucar', 'Azúcar Estándar 1 kg'],
    ['AZÚCAR', 'Azúcar Estándar 1 kg'],
    ['papel de baño', 'Papel Higiénico Pétalo 4 rollos'],
    ['chelas', 'Cerveza Corona 355 ml'],
    // Spelt as it sounds (k for c, z for s) — bench:writes found "3 kokas" unresolved.
    ['koka', 'Coca-Cola 600 ml'],
    ['kokas', 'Coca-Cola 600 ml'],
    ['jabon sote', 'Jabón Zote Rosa 400 g'],
    // The quantity's measure or wrapper before the name names nothing.
    ['kilo de tortillas', 'Tortillas de Maíz'],
    ['kilos de huevo', 'Huevo Blanco'],
    ['paquete de galletas marias', 'Galletas Marías Gamesa 170 g'],
    ['bolsa de sabritas', 'Sabritas Original 45 g'],
    // bench:writes on the blind sets: "me robaron 2 cajetillas de marlboro" was not found.
    ['cajetillas de marlboro', 'Cigarros Marlboro Rojo 20'],
  ])('"%s" → %s', (query, expected) => {
    const [top, second] = best(query);
    expect(top?.product.name).toBe(expected);
    // A clear winner, not a tie the tools would have to ask about.
    if (second) expect(top.score).toBeGreaterThan(second.score);
  });

  describe('look-alikes: sizes and variants as owners say them', () => {
    const colas = [
      { name: 'Coca-Cola 600 ml', aliases: [] },
      { name: 'Coca-Cola 2 L', aliases: [] },
      { name: 'Coca-Cola Light 600 ml', aliases: [] },
      { name: 'Coca-Cola Sin Azúcar 600 ml', aliases: ['coca zero'] },
    ];
    const rank = (q: string) => rankProducts(q, colas, 5);
    it.each([
      ['coca de 2 litros', 'Coca-Cola 2 L'],
      ['coca 2 lts', 'Coca-Cola 2 L'],
      ['coca 2L', 'Coca-Cola 2 L'],
      ['coca light', 'Coca-Cola Light 600 ml'],
      ['la coca light de 600', 'Coca-Cola Light 600 ml'],
      ['coca 600', 'Coca-Cola 600 ml'],
      ['coca de 600 mililitros', 'Coca-Cola 600 ml'],
      ['coca zero', 'Coca-Cola Sin Azúcar 600 ml'],
    ])('"%s" → %s, a clear winner', (q, expected) => {
      const [top, second] = rank(q);
      expect(top.product.name).toBe(expected);
      if (second) expect(top.score).toBeGreaterThan(second.score);
    });

    it('"coca" alone names the family: every Coca-Cola ties', () => {
      const ranked = rank('coca');
      expect(ranked.filter((r) => r.score === ranked[0].score)).toHaveLength(4);
    });
  });

  it('a box is not a unit: "caja de maruchan" is not read as one Maruchan', () => {
    expect(best('caja de maruchan')[0]?.score ?? 0).toBeLessThan(55);
  });

  it('a size keeps its unit: "coca de 2 litros" is still the 2 L', () => {
    expect(best('coca de 2 litros')[0]?.product.name).toBe('Coca-Cola 2 L');
  });

  it('ties surface as several equally good candidates', () => {
    const ranked = best('jabon');
    expect(ranked[0].score).toBe(ranked[1].score);
    expect(ranked.map((r) => r.product.name)).toEqual(
      expect.arrayContaining(['Jabón Zote Rosa 400 g', 'Jabón Palmolive 150 g']),
    );
  });

  it.each(['coca light', 'coca zero', 'sabritas adobadas', 'leche de soya'])(
    '"%s" names a product the shop does not have: no match (not its look-alike)',
    (query) => {
      expect(best(query)).toEqual([]);
      // …but the closest names are offered.
      expect(suggestProducts(query, DEMO_PRODUCTS, 3).length).toBeGreaterThan(0);
    },
  );

  it('nothing matches nonsense, and suggestions stay empty for it', () => {
    expect(best('xyzzy')).toEqual([]);
    expect(best('   ')).toEqual([]);
    expect(suggestProducts('qqqq', DEMO_PRODUCTS, 3)).toEqual([]);
  });
});

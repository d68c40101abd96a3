import type { CatalogueProduct } from '../../src/store/store.types';
/**
 * "Abarrotes Doña Lupita": a typical Mexico City corner shop. Prices are 2025 street prices in
 * cents (MXN); cost is what the shop pays the distributor. `weight` is how often the item shows
 * up in a ticket (tortillas, refrescos and bread far more than Zote), which shapes the top
 * sellers the demo answers with. Final stock below min_stock marks what the owner must restock.
 */
export interface DemoProduct extends Omit<CatalogueProduct, 'id'> {
  /** How often it sells, relative to the others. */
  weight: number;
}

type Row = [
  name: string,
  aliases: string[],
  unit: string,
  price: number,
  cost: number,
  stock: number,
  min: number,
  weight: number,
];

// prettier-ignore
const ROWS: Row[] = [
  ['Coca-Cola 600 ml', ['coca', 'cocacola', 'coca cola', 'coca chica'], 'pza', 2200, 1650, 48, 24, 30],
  ['Coca-Cola 2 L', ['coca grande', 'coca de 2'], 'pza', 4200, 3300, 14, 8, 12],
  ['Coca-Cola 355 ml lata', ['coca lata', 'lata de coca'], 'pza', 1800, 1350, 20, 12, 6],
  ['Pepsi 600 ml', ['pepsi'], 'pza', 1900, 1400, 22, 12, 8],
  ['Jarritos Tamarindo 600 ml', ['jarrito', 'jarritos'], 'pza', 1700, 1250, 18, 10, 6],
  ['Sprite 600 ml', ['sprite'], 'pza', 2000, 1500, 16, 10, 6],
  ['Boing Mango 500 ml', ['boing'], 'pza', 1600, 1150, 15, 10, 5],
  ['Agua Ciel 1 L', ['agua', 'ciel', 'agua ciel'], 'pza', 1400, 900, 30, 15, 14],
  ['Garrafón Agua 20 L', ['garrafon', 'garrafon de agua'], 'pza', 4500, 3000, 6, 4, 4],
  ['Red Bull 250 ml', ['red bull', 'redbull'], 'pza', 4200, 3200, 8, 4, 2],
  ['Sabritas Original 45 g', ['sabritas', 'papas', 'sabritas sal'], 'pza', 2000, 1500, 30, 15, 16],
  ['Doritos Nacho 62 g', ['doritos'], 'pza', 2100, 1600, 18, 10, 9],
  ['Cheetos Torciditos 52 g', ['cheetos'], 'pza', 1600, 1200, 14, 10, 7],
  ['Ruffles Queso 50 g', ['ruffles'], 'pza', 2000, 1500, 12, 8, 5],
  ['Takis Fuego 70 g', ['takis'], 'pza', 2000, 1500, 16, 10, 9],
  ['Chokis 84 g', ['chokis'], 'pza', 1800, 1300, 12, 8, 5],
  ['Emperador Chocolate 109 g', ['emperador', 'galletas emperador'], 'pza', 2000, 1450, 10, 6, 4],
  ['Galletas Marías Gamesa 170 g', ['marias', 'galletas marias'], 'pza', 1800, 1300, 10, 6, 4],
  ['Gansito Marinela', ['gansito'], 'pza', 1700, 1250, 20, 10, 10],
  ['Pingüinos Marinela', ['pinguinos'], 'pza', 2200, 1650, 12, 8, 5],
  ['Pan Blanco Bimbo Grande', ['bimbo', 'pan bimbo', 'pan de caja'], 'pza', 5200, 4300, 6, 5, 9],
  ['Medias Noches Bimbo', ['medias noches'], 'pza', 4200, 3400, 4, 3, 3],
  ['Mantecadas Bimbo', ['mantecadas'], 'pza', 3400, 2600, 6, 4, 3],
  ['Maruchan Camarón con Limón', ['maruchan', 'sopa maruchan', 'sopa instantanea'], 'pza', 1600, 1050, 5, 12, 12],
  ['Leche Lala Entera 1 L', ['leche', 'lala', 'leche lala'], 'pza', 3000, 2500, 4, 12, 18],
  ['Leche Alpura Deslactosada 1 L', ['alpura', 'leche deslactosada'], 'pza', 3200, 2650, 8, 6, 7],
  ['Yogurt Yoplait Fresa 1 kg', ['yoplait', 'yogurt'], 'pza', 4800, 3800, 5, 4, 3],
  ['Huevo Blanco', ['huevo', 'huevos', 'blanquillos'], 'kg', 4600, 3700, 3, 10, 15],
  ['Tortillas de Maíz', ['tortillas', 'tortilla'], 'kg', 2400, 1700, 20, 10, 26],
  ['Queso Oaxaca', ['quesillo', 'queso oaxaca'], 'kg', 16000, 12500, 3, 2, 4],
  ['Jamón de Pavo FUD', ['jamon', 'jamon fud'], 'kg', 13000, 9800, 3, 2, 5],
  ['Crema Lala 200 ml', ['crema'], 'pza', 2200, 1700, 8, 5, 4],
  ['Aceite Nutrioli 850 ml', ['aceite', 'nutrioli'], 'pza', 4500, 3600, 2, 6, 6],
  ['Aceite 1-2-3 1 L', ['aceite 123'], 'pza', 4200, 3400, 6, 4, 3],
  ['Arroz Verde Valle 1 kg', ['arroz'], 'pza', 3600, 2800, 10, 6, 6],
  ['Frijol Negro Verde Valle 1 kg', ['frijol', 'frijoles'], 'pza', 4200, 3300, 9, 6, 6],
  ['Azúcar Estándar 1 kg', ['azucar'], 'pza', 3200, 2600, 10, 6, 7],
  ['Sal La Fina 1 kg', ['sal'], 'pza', 1500, 1000, 8, 4, 2],
  ['Harina de Maíz Maseca 1 kg', ['maseca', 'harina'], 'pza', 2400, 1850, 8, 5, 3],
  ['Pasta Fideo La Moderna 200 g', ['fideo', 'sopa de fideo', 'la moderna'], 'pza', 1100, 750, 20, 10, 7],
  ['Atún Dolores en Agua 140 g', ['atun', 'dolores'], 'pza', 2400, 1850, 12, 8, 5],
  ['Chiles Jalapeños La Costeña 220 g', ['chiles', 'jalapenos', 'la costena'], 'pza', 2200, 1650, 10, 6, 4],
  ['Frijoles Refritos Isadora 430 g', ['isadora', 'refritos', 'frijoles refritos'], 'pza', 2800, 2150, 7, 5, 3],
  ['Mayonesa McCormick 390 g', ['mayonesa', 'mayo'], 'pza', 4400, 3500, 6, 4, 3],
  ['Café Nescafé Clásico 42 g', ['cafe', 'nescafe'], 'pza', 3800, 2950, 7, 4, 4],
  ['Chocolate Abuelita 90 g', ['abuelita', 'chocolate'], 'pza', 2300, 1750, 6, 4, 2],
  ['Zucaritas Kellogg\'s 300 g', ['zucaritas', 'cereal'], 'pza', 5600, 4500, 5, 3, 2],
  ['Jabón Zote Rosa 400 g', ['zote', 'jabon zote', 'jabon de barra'], 'pza', 2600, 2000, 10, 5, 4],
  ['Detergente Roma 1 kg', ['roma', 'detergente', 'jabon en polvo'], 'pza', 3900, 3100, 7, 4, 4],
  ['Suavitel 850 ml', ['suavitel', 'suavizante'], 'pza', 3200, 2500, 6, 4, 2],
  ['Cloralex 950 ml', ['cloro', 'cloralex'], 'pza', 2200, 1650, 8, 5, 4],
  ['Fabuloso 1 L', ['fabuloso', 'limpiador'], 'pza', 3000, 2300, 6, 4, 2],
  ['Papel Higiénico Pétalo 4 rollos', ['papel', 'papel de bano', 'petalo'], 'pza', 3800, 3000, 3, 6, 5],
  ['Pasta Dental Colgate 100 ml', ['colgate', 'pasta de dientes'], 'pza', 3600, 2800, 6, 3, 2],
  ['Jabón Palmolive 150 g', ['palmolive', 'jabon de bano'], 'pza', 2000, 1500, 8, 4, 2],
  ['Shampoo Sedal 340 ml', ['sedal', 'shampoo'], 'pza', 5200, 4100, 4, 3, 1],
  ['Toallas Saba 10 pzas', ['saba', 'toallas'], 'pza', 3400, 2650, 5, 3, 1],
  ['Cerveza Corona 355 ml', ['corona', 'cerveza', 'chela'], 'pza', 2300, 1800, 36, 24, 16],
  ['Cerveza Victoria 355 ml', ['victoria', 'vicky'], 'pza', 2200, 1700, 30, 24, 11],
  ['Cigarros Marlboro Rojo 20', ['marlboro', 'cigarros'], 'pza', 8500, 7600, 8, 5, 5],
  ['Pilas AA Duracell 2 pzas', ['pilas', 'duracell'], 'pza', 5500, 4200, 4, 2, 1],
  ['Encendedor Bic', ['encendedor', 'bic'], 'pza', 1800, 1100, 10, 5, 2],
];

export const DEMO_PRODUCTS: readonly DemoProduct[] = ROWS.map(
  ([name, aliases, unit, priceCents, costCents, stock, minStock, weight]) => ({
    name,
    aliases,
    unit,
    priceCents,
    costCents,
    stock,
    minStock,
    weight,
  }),
);

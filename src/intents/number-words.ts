/**
 * Spanish number words people type instead of digits ("dos sabritas", "veinticuatro cocas",
 * "treinta y dos"), plus the counting nouns of a shop counter ("docena", "media docena", "par").
 * Looked up by phonetic key, so "beinte" and "dose" still count.
 */

const UNITS: Readonly<Record<string, number>> = {
  cero: 0,
  un: 1,
  uno: 1,
  una: 1,
  dos: 2,
  tres: 3,
  cuatro: 4,
  cinco: 5,
  seis: 6,
  siete: 7,
  ocho: 8,
  nueve: 9,
  diez: 10,
  once: 11,
  doce: 12,
  trece: 13,
  catorce: 14,
  quince: 15,
  dieciseis: 16,
  diecisiete: 17,
  dieciocho: 18,
  diecinueve: 19,
  veinte: 20,
  veintiun: 21,
  veintiuno: 21,
  veintiuna: 21,
  veintidos: 22,
  veintitres: 23,
  veinticuatro: 24,
  veinticinco: 25,
  veintiseis: 26,
  veintisiete: 27,
  veintiocho: 28,
  veintinueve: 29,
  treinta: 30,
  cuarenta: 40,
  cincuenta: 50,
  sesenta: 60,
  setenta: 70,
  ochenta: 80,
  noventa: 90,
  cien: 100,
  ciento: 100,
  doscientos: 200,
  trescientos: 300,
  quinientos: 500,
  mil: 1000,
  docena: 12,
  docenas: 12,
  par: 2,
  medio: 0.5,
  media: 0.5,
};

/** Words that are numbers but usually articles ("una venta", "un cliente"): weak quantities. */
export const ARTICLE_NUMBERS: ReadonlySet<string> = new Set(['un', 'uno', 'una']);

/** Tens that take "y <unit>" after them: "treinta y dos". */
export const TENS_WITH_UNITS: ReadonlySet<number> = new Set([30, 40, 50, 60, 70, 80, 90]);

export function buildNumberWordTable(fold: (word: string) => string): Map<string, number> {
  const table = new Map<string, number>();
  for (const [word, value] of Object.entries(UNITS)) table.set(fold(word), value);
  return table;
}

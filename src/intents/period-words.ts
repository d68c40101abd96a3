import { phoneticKey } from './phonetic-key';

/** Monday-first, matching how the shop counts weeks; `jsDay` is Date#getUTCDay (Sunday = 0). */
export const WEEKDAYS = [
  { name: 'monday', spanish: 'lunes', jsDay: 1 },
  { name: 'tuesday', spanish: 'martes', jsDay: 2 },
  { name: 'wednesday', spanish: 'miércoles', jsDay: 3 },
  { name: 'thursday', spanish: 'jueves', jsDay: 4 },
  { name: 'friday', spanish: 'viernes', jsDay: 5 },
  { name: 'saturday', spanish: 'sábado', jsDay: 6 },
  { name: 'sunday', spanish: 'domingo', jsDay: 0 },
] as const;

export const MONTHS = [
  'enero',
  'febrero',
  'marzo',
  'abril',
  'mayo',
  'junio',
  'julio',
  'agosto',
  'septiembre',
  'octubre',
  'noviembre',
  'diciembre',
] as const;

const stripAccents = (word: string): string =>
  word.normalize('NFD').replace(/[\u0300-\u036f]/g, '');

/** Phonetic key → weekday index in WEEKDAYS. */
export const WEEKDAY_BY_KEY: ReadonlyMap<string, number> = new Map(
  WEEKDAYS.map((day, index) => [phoneticKey(stripAccents(day.spanish)), index]),
);

/** Phonetic key → month number 1..12 ("setiembre" is a common spelling too). */
export const MONTH_BY_KEY: ReadonlyMap<string, number> = new Map([
  ...MONTHS.map((month, index): [string, number] => [phoneticKey(month), index + 1]),
  [phoneticKey('setiembre'), 9],
]);

/** Words that belong to date expressions: never products, never intent evidence. */
export const PERIOD_WORD_KEYS: ReadonlySet<string> = new Set([
  ...WEEKDAY_BY_KEY.keys(),
  ...[...WEEKDAY_BY_KEY.keys()].map((key) => (key.endsWith('s') ? key : `${key}s`)),
  ...MONTH_BY_KEY.keys(),
  ...'hoy ayer anoche antier anteayer semana semanas mes meses ano anos pasado pasada pasados pasadas dia manana tarde noche quincena fin antepasado antepasada'
    .split(' ')
    .map(phoneticKey),
]);

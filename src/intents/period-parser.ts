import { MONTH_BY_KEY, WEEKDAYS, WEEKDAY_BY_KEY } from './period-words';
import { phoneticKey } from './phonetic-key';
import { NumberKind, type TokenInfo } from './token-analyzer';

const K = {
  today: phoneticKey('hoy'),
  yesterday: phoneticKey('ayer'),
  /** "el corte de anoche": last night is yesterday's business day. */
  lastNight: phoneticKey('anoche'),
  dayBeforeYesterday: new Set(['antier', 'anteayer', 'antayer'].map(phoneticKey)),
  week: phoneticKey('semana'),
  month: phoneticKey('mes'),
  year: phoneticKey('ano'),
  day: phoneticKey('dia'),
  past: new Set(['pasado', 'pasada'].map(phoneticKey)),
  thisWord: new Set(['este', 'esta', 'estos'].map(phoneticKey)),
  before: phoneticKey('antes'),
  of: phoneticKey('de'),
  ofThe: phoneticKey('del'),
  in: phoneticKey('en'),
  the: phoneticKey('el'),
  end: phoneticKey('fin'),
  since: phoneticKey('desde'),
  fromOn: phoneticKey('partir'),
  to: new Set(['al', 'a', 'hasta', 'y'].map(phoneticKey)),
  rangeStart: new Set(['del', 'de', 'entre', 'desde'].map(phoneticKey)),
  articles: new Set(['el', 'la', 'los', 'las', 'del', 'de', 'este', 'esta'].map(phoneticKey)),
  first: phoneticKey('primero'),
  habitual: new Set(['los', 'las', 'cada', 'todos', 'todas', 'diario'].map(phoneticKey)),
};

/**
 * Finds the date expression in the message and returns its period key, e.g.
 * "la semana pasada" → 'last_week', "el sábado" → 'weekday:saturday', "en octubre" → 'month:10',
 * "del 1 al 15 de noviembre" → 'dates:11-01..11-15', "desde el lunes" → 'since:weekday:monday'.
 * Compound expressions (ranges, dates, "desde", a month with its year) win over the single
 * words inside them. Habitual or unsupported expressions ("los sábados", "el fin de semana")
 * give no period.
 */
export function detectPeriodKey(tokens: readonly TokenInfo[], count: number): string | undefined {
  for (let i = 0; i < count; i++) {
    const compound = compoundAt(tokens, i, count);
    if (compound !== undefined) return compound.key;
  }
  return simplePeriod(tokens, 0, count, count);
}

/** The first single-word period ("hoy", "el sábado", "la semana pasada") in [from, to). */
function simplePeriod(
  tokens: readonly TokenInfo[],
  from: number,
  to: number,
  count: number,
): string | undefined {
  for (let i = from; i < to; i++) {
    if (!tokens[i].period) continue;
    const key = tokens[i].key;
    const prev = i > 0 ? tokens[i - 1].key : '';
    const next = i + 1 < count ? tokens[i + 1].key : '';
    const isPast = K.past.has(next) || K.past.has(prev);

    if (key === K.today) return 'today';
    if (key === K.yesterday) {
      const beforeYesterday = prev === K.of && i > 1 && tokens[i - 2].key === K.before;
      return beforeYesterday ? 'day_before_yesterday' : 'yesterday';
    }
    if (key === K.lastNight) return 'yesterday';
    if (K.dayBeforeYesterday.has(key)) return 'day_before_yesterday';
    if (key === K.week) {
      if (prev === K.of && i > 1 && tokens[i - 2].key === K.end) continue;
      return isPast ? 'last_week' : 'this_week';
    }
    if (key === K.month) {
      // "el mes de octubre" names the month itself.
      const named =
        next === K.of && i + 2 < count ? MONTH_BY_KEY.get(tokens[i + 2].key) : undefined;
      if (named !== undefined) return `month:${named}`;
      return isPast ? 'last_month' : 'this_month';
    }
    if (key === K.year) return isPast ? 'last_year' : 'this_year';
    if (
      key === K.day &&
      (prev === K.ofThe || (prev === K.the && i > 1 && tokens[i - 2].key === K.in))
    ) {
      return 'today'; // "ventas del día", "en el día"
    }
    const weekday = WEEKDAY_BY_KEY.get(key);
    if (weekday !== undefined && !K.habitual.has(prev)) {
      const name = WEEKDAYS[weekday].name;
      return K.past.has(next) ? `last_weekday:${name}` : `weekday:${name}`;
    }
    const month = MONTH_BY_KEY.get(key);
    if (month !== undefined) return `month:${month}`;
  }
  return undefined;
}

interface Found {
  key: string;
  /** Index just past the expression. */
  end: number;
}

const MAX_DAY = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MIN_YEAR = 2000;
const MAX_YEAR = 2099;
const pad = (n: number): string => String(n).padStart(2, '0');
const keyAt = (tokens: readonly TokenInfo[], i: number, count: number): string =>
  i < count ? tokens[i].key : '';

/** A day of the month: "15", "1", "primero". */
function dayAt(tokens: readonly TokenInfo[], i: number, count: number): number | undefined {
  if (i >= count) return undefined;
  const token = tokens[i];
  if (token.key === K.first) return 1;
  if (token.numberKind !== NumberKind.Digits || token.money) return undefined;
  const value = token.value;
  return Number.isInteger(value) && value >= 1 && value <= 31 ? value : undefined;
}

function yearAt(tokens: readonly TokenInfo[], i: number, count: number): number | undefined {
  if (i >= count) return undefined;
  const token = tokens[i];
  if (token.numberKind !== NumberKind.Digits || token.money) return undefined;
  return Number.isInteger(token.value) && token.value >= MIN_YEAR && token.value <= MAX_YEAR
    ? token.value
    : undefined;
}

const monthAt = (tokens: readonly TokenInfo[], i: number, count: number): number | undefined =>
  i < count ? MONTH_BY_KEY.get(tokens[i].key) : undefined;

/** "15 de noviembre" at i (day, optional "de" + month), as [day, month | undefined, end]. */
function dayMonthAt(
  tokens: readonly TokenInfo[],
  i: number,
  count: number,
): [number, number | undefined, number] | undefined {
  let j = i;
  if (keyAt(tokens, j, count) === K.the) j++;
  const day = dayAt(tokens, j, count);
  if (day === undefined) return undefined;
  j++;
  if (keyAt(tokens, j, count) === K.of) {
    const month = monthAt(tokens, j + 1, count);
    if (month !== undefined) return day <= MAX_DAY[month - 1] ? [day, month, j + 2] : undefined;
  }
  return [day, undefined, j];
}

/** "de 2025", "del año pasado", "2025" right after a month. */
function yearAfter(
  tokens: readonly TokenInfo[],
  i: number,
  count: number,
): { year?: number; lastYear?: true; end: number } | undefined {
  const k = keyAt(tokens, i, count);
  const j = k === K.of || k === K.ofThe ? i + 1 : i;
  const year = yearAt(tokens, j, count);
  if (year !== undefined) return { year, end: j + 1 };
  if (
    k === K.ofThe &&
    keyAt(tokens, j, count) === K.year &&
    K.past.has(keyAt(tokens, j + 1, count))
  ) {
    return { lastYear: true, end: j + 2 };
  }
  return undefined;
}

/** Ranges, dates, "desde …" and months with a year, starting exactly at token i. */
function compoundAt(tokens: readonly TokenInfo[], i: number, count: number): Found | undefined {
  const key = tokens[i].key;

  // "de enero a marzo", "desde octubre hasta diciembre", "entre enero y marzo"
  if (K.rangeStart.has(key)) {
    const m1 = monthAt(tokens, i + 1, count);
    if (m1 !== undefined && K.to.has(keyAt(tokens, i + 2, count))) {
      let j = i + 3;
      if (K.articles.has(keyAt(tokens, j, count))) j++;
      const m2 = monthAt(tokens, j, count);
      if (m2 !== undefined) return { key: `months:${m1}..${m2}`, end: j + 1 };
    }
  }

  // "del 1 al 15 de noviembre", "del 28 de octubre al 3 de noviembre", "entre el 1 y el 15"
  if (K.rangeStart.has(key) && key !== K.since) {
    const start = dayMonthAt(tokens, i + 1, count);
    if (start !== undefined && K.to.has(keyAt(tokens, start[2], count))) {
      const end = dayMonthAt(tokens, start[2] + 1, count);
      if (end !== undefined) {
        const [d1, m1Given] = start;
        const [d2, m2Given, afterEnd] = end;
        const m2 = m2Given ?? m1Given;
        const m1 = m1Given ?? m2;
        if (m1 === undefined || m2 === undefined) {
          // Days of this month only when it cannot be a quantity ("de 2 a 3 cocas").
          const quantityLike = key === K.of || tokens[afterEnd]?.content === true;
          if (d1 <= d2 && !quantityLike) return { key: `days:${d1}..${d2}`, end: afterEnd };
        } else if (d1 <= MAX_DAY[m1 - 1] && d2 <= MAX_DAY[m2 - 1]) {
          return { key: `dates:${pad(m1)}-${pad(d1)}..${pad(m2)}-${pad(d2)}`, end: afterEnd };
        }
      }
    }
  }

  // "desde el lunes", "desde ayer", "a partir del 1 de noviembre", "desde octubre"
  const sinceStart =
    key === K.since
      ? i + 1
      : key === K.fromOn && K.rangeStart.has(keyAt(tokens, i + 1, count))
        ? i + 2
        : -1;
  if (sinceStart > 0 && sinceStart < count) {
    let j = sinceStart;
    if (K.articles.has(keyAt(tokens, j, count)) && j + 1 < count) j++;
    const inner = compoundAt(tokens, j, count) ?? singleAt(tokens, j, count);
    if (inner !== undefined && !inner.key.startsWith('since:')) {
      return { key: `since:${inner.key}`, end: inner.end };
    }
  }

  // "el 15 de noviembre", "15 de noviembre de 2025"
  const date = dayMonthAt(tokens, i, count);
  if (date !== undefined && date[1] !== undefined && (i === 0 || !isNumberToken(tokens[i - 1]))) {
    const [day, month, end] = date;
    const year = yearAfter(tokens, end, count);
    if (year?.year !== undefined) {
      return { key: `date:${year.year}-${pad(month)}-${pad(day)}`, end: year.end };
    }
    return { key: `date:${pad(month)}-${pad(day)}`, end };
  }

  // "octubre de 2025", "octubre del año pasado"
  const month = monthAt(tokens, i, count);
  if (month !== undefined) {
    const year = yearAfter(tokens, i + 1, count);
    if (year?.year !== undefined) return { key: `month:${year.year}-${pad(month)}`, end: year.end };
    if (year?.lastYear) return { key: `last_year_month:${month}`, end: year.end };
  }
  return undefined;
}

const isNumberToken = (token: TokenInfo): boolean => token.numberKind !== NumberKind.None;

/** A single-word period right at i ("lunes", "ayer", "semana pasada"), for "desde …". */
function singleAt(tokens: readonly TokenInfo[], i: number, count: number): Found | undefined {
  if (!tokens[i].period) return undefined;
  const key = simplePeriod(tokens, i, i + 1, count);
  if (key === undefined) return undefined;
  const pastNext = K.past.has(keyAt(tokens, i + 1, count));
  return { key, end: pastNext ? i + 2 : i + 1 };
}

import { MONTH_BY_KEY, WEEKDAYS, WEEKDAY_BY_KEY } from './period-words';
import { phoneticKey } from './phonetic-key';
import type { TokenInfo } from './token-analyzer';

const K = {
  today: phoneticKey('hoy'),
  yesterday: phoneticKey('ayer'),
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
  habitual: new Set(['los', 'las', 'cada', 'todos', 'todas', 'diario'].map(phoneticKey)),
};

/**
 * Finds the first date expression in the message and returns its period key, e.g.
 * "la semana pasada" → 'last_week', "el sábado" → 'weekday:saturday', "en octubre" → 'month:10'.
 * Habitual or unsupported expressions ("los sábados", "el fin de semana") give no period.
 */
export function detectPeriodKey(tokens: readonly TokenInfo[], count: number): string | undefined {
  for (let i = 0; i < count; i++) {
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

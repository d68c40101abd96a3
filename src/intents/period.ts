import type { PeriodEntity } from './intent.types';
import { MONTHS, WEEKDAYS } from './period-words';
import { DEFAULT_TIME_ZONE, formatterFor, localDateOf, startOfLocalDay } from './time-zone';

/** Keys without a parameter, with their Spanish label. */
const FIXED_LABELS: Readonly<Record<string, string>> = {
  today: 'hoy',
  yesterday: 'ayer',
  day_before_yesterday: 'antier',
  this_week: 'esta semana',
  last_week: 'la semana pasada',
  this_month: 'este mes',
  last_month: 'el mes pasado',
  this_year: 'este año',
  last_year: 'el año pasado',
};

/**
 * Turns a period key into the [from, to) UTC instants of that local calendar range in
 * `timeZone`. Weeks start on Monday. 'weekday:saturday' is the most recent Saturday (today if
 * today is Saturday); 'last_weekday:saturday' is the one before today. 'month:10' is October of
 * this year, or of last year while October is still in the future.
 * Throws RangeError for an unknown key, an invalid `now` or an unknown time zone.
 */
export function resolvePeriod(
  key: string,
  now: Date,
  timeZone: string = DEFAULT_TIME_ZONE,
): PeriodEntity {
  const nowMs = now.getTime();
  if (!Number.isFinite(nowMs)) throw new RangeError('resolvePeriod: invalid `now`');
  formatterFor(timeZone);
  const { year, month, day, weekday } = localDateOf(nowMs, timeZone);
  const daysSinceMonday = (weekday + 6) % 7;

  const days = (fromDay: number, toDay: number, label: string): PeriodEntity => ({
    key,
    label,
    from: new Date(startOfLocalDay(year, month, fromDay, timeZone)),
    to: new Date(startOfLocalDay(year, month, toDay, timeZone)),
  });
  const months = (fromYear: number, fromMonth: number, count: number, label: string) => ({
    key,
    label,
    from: new Date(startOfLocalDay(fromYear, fromMonth, 1, timeZone)),
    to: new Date(startOfLocalDay(fromYear, fromMonth + count, 1, timeZone)),
  });

  const label = FIXED_LABELS[key];
  switch (key) {
    case 'today':
      return days(day, day + 1, label);
    case 'yesterday':
      return days(day - 1, day, label);
    case 'day_before_yesterday':
      return days(day - 2, day - 1, label);
    case 'this_week':
      return days(day - daysSinceMonday, day - daysSinceMonday + 7, label);
    case 'last_week':
      return days(day - daysSinceMonday - 7, day - daysSinceMonday, label);
    case 'this_month':
      return months(year, month, 1, label);
    case 'last_month':
      return months(year, month - 1, 1, label);
    case 'this_year':
      return months(year, 1, 12, label);
    case 'last_year':
      return months(year - 1, 1, 12, label);
  }

  const [kind, argument] = key.split(':');
  if (kind === 'weekday' || kind === 'last_weekday') {
    const target = WEEKDAYS.find((candidate) => candidate.name === argument);
    if (target !== undefined) {
      let back = (weekday - target.jsDay + 7) % 7;
      if (kind === 'last_weekday' && back === 0) back = 7;
      const suffix = kind === 'last_weekday' ? ' pasado' : '';
      return days(day - back, day - back + 1, `el ${target.spanish}${suffix}`);
    }
  }
  if (kind === 'month' && /^(?:[1-9]|1[0-2])$/.test(argument ?? '')) {
    const target = Number(argument);
    return months(target <= month ? year : year - 1, target, 1, MONTHS[target - 1]);
  }
  throw new RangeError(`resolvePeriod: unknown period key "${key}"`);
}

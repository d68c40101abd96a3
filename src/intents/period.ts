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

  const compound = resolveCompound(key, now, timeZone, { year, month, day });
  if (compound !== undefined) return compound;

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

interface Today {
  year: number;
  month: number;
  day: number;
}

const MONTH_DAY = /^(\d{2})-(\d{2})$/;
const isLeap = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const daysIn = (year: number, month: number): number =>
  new Date(Date.UTC(year, month, 0)).getUTCDate();
const validMonth = (month: number): boolean => Number.isInteger(month) && month >= 1 && month <= 12;
const dayLabel = (day: number, month: number): string => `${day} de ${MONTHS[month - 1]}`;

/** The most recent (month, day) that is not after today; Feb 29 goes back to a leap year. */
function latestYearOf(month: number, day: number, today: Today): number {
  let year =
    month < today.month || (month === today.month && day <= today.day)
      ? today.year
      : today.year - 1;
  if (month === 2 && day === 29) while (!isLeap(year)) year--;
  return year;
}

function parseMonthDay(text: string | undefined): [number, number] | undefined {
  const match = MONTH_DAY.exec(text ?? '');
  if (match === null) return undefined;
  const month = Number(match[1]);
  const day = Number(match[2]);
  if (!validMonth(month) || day < 1 || day > (month === 2 ? 29 : daysIn(2001, month))) {
    return undefined;
  }
  return [month, day];
}

/**
 * Keys with a range or an explicit date, from the period parser:
 *  'month:2025-10' October 2025 · 'last_year_month:10' October of last year ·
 *  'date:11-15' / 'date:2025-11-15' one day (the latest Nov 15 not after today) ·
 *  'dates:10-28..11-03' inclusive days (the start is the latest such day; the end follows it) ·
 *  'days:1..15' days of the current month · 'months:1..3' whole months (the start month is the
 *  latest not after this month) · 'since:<key>' from the start of <key> to the end of today.
 */
function resolveCompound(
  key: string,
  now: Date,
  timeZone: string,
  today: Today,
): PeriodEntity | undefined {
  const colon = key.indexOf(':');
  if (colon === -1) return undefined;
  const kind = key.slice(0, colon);
  const argument = key.slice(colon + 1);
  const at = (y: number, m: number, d: number): Date =>
    new Date(startOfLocalDay(y, m, d, timeZone));
  const invalid = (): never => {
    throw new RangeError(`resolvePeriod: unknown period key "${key}"`);
  };

  switch (kind) {
    case 'since': {
      if (argument.startsWith('since:')) invalid();
      const inner = resolvePeriod(argument, now, timeZone);
      const to = at(today.year, today.month, today.day + 1);
      return { key, label: `desde ${inner.label}`, from: inner.from < to ? inner.from : to, to };
    }
    case 'last_year_month': {
      const month = Number(argument);
      if (!/^\d{1,2}$/.test(argument) || !validMonth(month)) invalid();
      const year = today.year - 1;
      return {
        key,
        label: `${MONTHS[month - 1]} del año pasado`,
        from: at(year, month, 1),
        to: at(year, month + 1, 1),
      };
    }
    case 'month': {
      const match = /^(\d{4})-(\d{2})$/.exec(argument);
      if (match === null) return undefined; // 'month:10' is a plain month
      const year = Number(match[1]);
      const month = Number(match[2]);
      if (!validMonth(month)) invalid();
      return {
        key,
        label: `${MONTHS[month - 1]} de ${year}`,
        from: at(year, month, 1),
        to: at(year, month + 1, 1),
      };
    }
    case 'date': {
      const withYear = /^(\d{4})-(\d{2}-\d{2})$/.exec(argument);
      const monthDay = parseMonthDay(withYear === null ? argument : withYear[2]);
      if (monthDay === undefined) return invalid();
      const month = monthDay[0];
      let day = monthDay[1];
      const year = withYear === null ? latestYearOf(month, day, today) : Number(withYear[1]);
      // "29 de febrero de 2025" does not exist: the month's last day is the closest reading.
      day = Math.min(day, daysIn(year, month));
      const suffix = withYear === null ? '' : ` de ${year}`;
      return {
        key,
        label: `el ${dayLabel(day, month)}${suffix}`,
        from: at(year, month, day),
        to: at(year, month, day + 1),
      };
    }
    case 'dates': {
      const [first, last] = argument.split('..');
      const start = parseMonthDay(first);
      const end = parseMonthDay(last);
      if (start === undefined || end === undefined) return invalid();
      const startYear = latestYearOf(start[0], start[1], today);
      const endYear =
        end[0] > start[0] || (end[0] === start[0] && end[1] >= start[1])
          ? startYear
          : startYear + 1;
      start[1] = Math.min(start[1], daysIn(startYear, start[0]));
      end[1] = Math.min(end[1], daysIn(endYear, end[0]));
      const label =
        start[0] === end[0] && startYear === endYear
          ? `del ${start[1]} al ${dayLabel(end[1], end[0])}`
          : `del ${dayLabel(start[1], start[0])} al ${dayLabel(end[1], end[0])}`;
      return {
        key,
        label,
        from: at(startYear, start[0], start[1]),
        to: at(endYear, end[0], end[1] + 1),
      };
    }
    case 'days': {
      const match = /^(\d{1,2})\.\.(\d{1,2})$/.exec(argument);
      if (match === null) return invalid();
      // "del 1 al 31" in November means the whole month.
      const last = Math.min(Number(match[2]), daysIn(today.year, today.month));
      const first = Math.min(Number(match[1]), last);
      if (first < 1 || Number(match[1]) > Number(match[2])) invalid();
      return {
        key,
        label: `del ${first} al ${last}`,
        from: at(today.year, today.month, first),
        to: at(today.year, today.month, last + 1),
      };
    }
    case 'months': {
      const match = /^(\d{1,2})\.\.(\d{1,2})$/.exec(argument);
      if (match === null) return invalid();
      const first = Number(match[1]);
      const last = Number(match[2]);
      if (!validMonth(first) || !validMonth(last)) invalid();
      const startYear = first <= today.month ? today.year : today.year - 1;
      const span = last >= first ? last - first + 1 : last + 12 - first + 1;
      return {
        key,
        label: `de ${MONTHS[first - 1]} a ${MONTHS[last - 1]}`,
        from: at(startYear, first, 1),
        to: at(startYear, first + span, 1),
      };
    }
    default:
      return undefined;
  }
}

import { resolvePeriod } from '../intents';
import { localDateOf, startOfLocalDay } from '../intents/time-zone';
import { PERIOD_KEYS, type PeriodArgs, type PeriodName } from './tool-args';

/** A [from, to) UTC range plus how to name it back to the model. */
export interface ToolRange {
  from: Date;
  to: Date;
  /** The named period asked for, if any ("hoy"); the model repeats it in its answer. */
  period?: PeriodName;
  /** The local calendar dates covered, so the model can say "del 3 al 9". */
  dates: string;
}

/**
 * Turns validated period arguments into UTC instants of the shop's local calendar, through
 * the same resolvePeriod the classifier uses, so "hoy" means the same range everywhere.
 */
export function toolRange(args: PeriodArgs, now: Date, timeZone: string): ToolRange {
  if (args.from !== undefined && args.to !== undefined) {
    const from = localMidnight(args.from, 0, timeZone);
    const to = localMidnight(args.to, 1, timeZone);
    return { from, to, dates: datesLabel(args.from, args.to) };
  }
  const name = args.period ?? 'hoy';
  const period = resolvePeriod(PERIOD_KEYS[name], now, timeZone);
  const first = isoLocalDate(period.from, timeZone);
  const last = isoLocalDate(new Date(period.to.getTime() - 1), timeZone);
  return { from: period.from, to: period.to, period: name, dates: datesLabel(first, last) };
}

function localMidnight(date: string, plusDays: number, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(startOfLocalDay(y, m, d + plusDays, timeZone));
}

function isoLocalDate(instant: Date, timeZone: string): string {
  const { year, month, day } = localDateOf(instant.getTime(), timeZone);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function datesLabel(first: string, last: string): string {
  return first === last ? first : `${first}..${last}`;
}

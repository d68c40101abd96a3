/**
 * Local-calendar arithmetic for one IANA zone using only Intl: the offset at an instant is
 * read from Intl (never hardcoded, so Mexico City's fixed UTC-6 since 2022 and any zone with
 * DST both work). Intl formatting costs ~10 µs, so offsets are cached per 15-minute UTC bucket:
 * real offsets are multiples of 15 minutes and change on such boundaries.
 */

export const DEFAULT_TIME_ZONE = 'America/Mexico_City';

const BUCKET_MS = 15 * 60 * 1000;
const BUCKETS_PER_ZONE_LIMIT = 10_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, Map<number, number>>();

export interface LocalDate {
  year: number;
  /** 1..12 */
  month: number;
  day: number;
  /** Date#getUTCDay convention: Sunday = 0. */
  weekday: number;
}

/** Throws RangeError for an unknown zone, so a bad tenant setting fails loudly. */
export function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Local wall-clock time minus UTC, in ms, at `instantMs`. */
export function offsetAt(instantMs: number, timeZone: string): number {
  const bucket = Math.floor(instantMs / BUCKET_MS);
  let zoneCache = offsetCache.get(timeZone);
  if (zoneCache === undefined) {
    zoneCache = new Map();
    offsetCache.set(timeZone, zoneCache);
  }
  let offset = zoneCache.get(bucket);
  if (offset === undefined) {
    offset = readOffset(bucket * BUCKET_MS, timeZone);
    if (zoneCache.size >= BUCKETS_PER_ZONE_LIMIT) zoneCache.clear();
    zoneCache.set(bucket, offset);
  }
  return offset;
}

function readOffset(instantMs: number, timeZone: string): number {
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  for (const part of formatterFor(timeZone).formatToParts(new Date(instantMs))) {
    const value = Number(part.value);
    if (part.type === 'year') year = value;
    else if (part.type === 'month') month = value;
    else if (part.type === 'day') day = value;
    else if (part.type === 'hour') hour = value;
    else if (part.type === 'minute') minute = value;
    else if (part.type === 'second') second = value;
  }
  const wallClock = Date.UTC(year, month - 1, day, hour, minute, second);
  return wallClock - (instantMs - (((instantMs % 1000) + 1000) % 1000));
}

export function localDateOf(instantMs: number, timeZone: string): LocalDate {
  const shifted = new Date(instantMs + offsetAt(instantMs, timeZone));
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    weekday: shifted.getUTCDay(),
  };
}

/**
 * The UTC instant of local midnight starting that calendar day. `day` and `month` may
 * overflow (day 0, day 32, month 13) the way Date.UTC allows, which keeps callers simple.
 */
export function startOfLocalDay(
  year: number,
  month: number,
  day: number,
  timeZone: string,
): number {
  const wallClock = Date.UTC(year, month - 1, day);
  const firstGuess = wallClock - offsetAt(wallClock, timeZone);
  const offset = offsetAt(firstGuess, timeZone);
  return wallClock - offset;
}

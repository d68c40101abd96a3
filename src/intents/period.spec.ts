import { classifyIntent } from './classify-intent';
import { resolvePeriod } from './period';
import { DEFAULT_TIME_ZONE } from './time-zone';

const iso = (date: Date): string => date.toISOString();
const range = (key: string, now: string, timeZone?: string): [string, string] => {
  const period = resolvePeriod(key, new Date(now), timeZone);
  return [iso(period.from), iso(period.to)];
};

// Mexico City is UTC-6 all year since 2022 (no DST), so local midnight is 06:00Z.
describe('resolvePeriod in America/Mexico_City', () => {
  it('defaults to America/Mexico_City', () => {
    expect(DEFAULT_TIME_ZONE).toBe('America/Mexico_City');
  });

  describe('around midnight UTC: 2026-11-23T03:00Z is still Sunday Nov 22 in Mexico City', () => {
    const now = '2026-11-23T03:00:00Z';
    it.each<[string, string, string]>([
      ['today', '2026-11-22T06:00:00.000Z', '2026-11-23T06:00:00.000Z'],
      ['yesterday', '2026-11-21T06:00:00.000Z', '2026-11-22T06:00:00.000Z'],
      ['day_before_yesterday', '2026-11-20T06:00:00.000Z', '2026-11-21T06:00:00.000Z'],
      // Weeks start on Monday: Sunday the 22nd belongs to the week of Monday the 16th.
      ['this_week', '2026-11-16T06:00:00.000Z', '2026-11-23T06:00:00.000Z'],
      ['last_week', '2026-11-09T06:00:00.000Z', '2026-11-16T06:00:00.000Z'],
      ['this_month', '2026-11-01T06:00:00.000Z', '2026-12-01T06:00:00.000Z'],
      ['last_month', '2026-10-01T06:00:00.000Z', '2026-11-01T06:00:00.000Z'],
      ['this_year', '2026-01-01T06:00:00.000Z', '2027-01-01T06:00:00.000Z'],
      ['last_year', '2025-01-01T06:00:00.000Z', '2026-01-01T06:00:00.000Z'],
      ['weekday:saturday', '2026-11-21T06:00:00.000Z', '2026-11-22T06:00:00.000Z'],
      ['weekday:sunday', '2026-11-22T06:00:00.000Z', '2026-11-23T06:00:00.000Z'],
      ['last_weekday:sunday', '2026-11-15T06:00:00.000Z', '2026-11-16T06:00:00.000Z'],
      ['weekday:monday', '2026-11-16T06:00:00.000Z', '2026-11-17T06:00:00.000Z'],
      ['month:10', '2026-10-01T06:00:00.000Z', '2026-11-01T06:00:00.000Z'],
      ['month:11', '2026-11-01T06:00:00.000Z', '2026-12-01T06:00:00.000Z'],
      // December has not happened yet this year: the last December is 2025's.
      ['month:12', '2025-12-01T06:00:00.000Z', '2026-01-01T06:00:00.000Z'],
      ['month:2', '2026-02-01T06:00:00.000Z', '2026-03-01T06:00:00.000Z'],
    ])('%s → [%s, %s)', (key, from, to) => {
      expect(range(key, now)).toEqual([from, to]);
    });
  });

  it('switches day exactly at local midnight (06:00Z)', () => {
    expect(range('today', '2026-11-23T05:59:59.999Z')).toEqual([
      '2026-11-22T06:00:00.000Z',
      '2026-11-23T06:00:00.000Z',
    ]);
    expect(range('today', '2026-11-23T06:00:00.000Z')).toEqual([
      '2026-11-23T06:00:00.000Z',
      '2026-11-24T06:00:00.000Z',
    ]);
  });

  it('crosses month and year boundaries', () => {
    // 2027-01-01T02:00Z is still Dec 31, 2026 locally.
    expect(range('today', '2027-01-01T02:00:00Z')).toEqual([
      '2026-12-31T06:00:00.000Z',
      '2027-01-01T06:00:00.000Z',
    ]);
    expect(range('last_month', '2027-01-10T12:00:00Z')).toEqual([
      '2026-12-01T06:00:00.000Z',
      '2027-01-01T06:00:00.000Z',
    ]);
    expect(range('yesterday', '2026-03-01T12:00:00Z')).toEqual([
      '2026-02-28T06:00:00.000Z',
      '2026-03-01T06:00:00.000Z',
    ]);
  });

  it('reads offsets from the zone database instead of assuming UTC-6 (DST in 2022)', () => {
    // Mexico City still observed DST (UTC-5) in July 2022.
    expect(range('today', '2022-07-15T12:00:00Z')).toEqual([
      '2022-07-15T05:00:00.000Z',
      '2022-07-16T05:00:00.000Z',
    ]);
  });

  it('honours another zone', () => {
    expect(range('today', '2026-11-23T03:00:00Z', 'America/Tijuana')).toEqual([
      '2026-11-22T08:00:00.000Z',
      '2026-11-23T08:00:00.000Z',
    ]);
    expect(range('today', '2026-11-23T03:00:00Z', 'UTC')).toEqual([
      '2026-11-23T00:00:00.000Z',
      '2026-11-24T00:00:00.000Z',
    ]);
  });

  it('rejects unknown keys, invalid dates and unknown zones', () => {
    expect(() => resolvePeriod('fortnight', new Date())).toThrow(RangeError);
    expect(() => resolvePeriod('month:13', new Date())).toThrow(RangeError);
    expect(() => resolvePeriod('today', new Date(NaN))).toThrow(RangeError);
    expect(() => resolvePeriod('today', new Date(), 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('periods found in messages', () => {
  const now = new Date('2026-11-23T03:00:00Z'); // Sunday Nov 22, 21:00 in Mexico City
  it.each<[string, string, string, string, string]>([
    ['cuánto vendí hoy', 'today', 'hoy', '2026-11-22T06:00:00.000Z', '2026-11-23T06:00:00.000Z'],
    ['cuanto bendi oy', 'today', 'hoy', '2026-11-22T06:00:00.000Z', '2026-11-23T06:00:00.000Z'],
    ['ventas de ayer', 'yesterday', 'ayer', '2026-11-21T06:00:00.000Z', '2026-11-22T06:00:00.000Z'],
    [
      'ventas de esta semana',
      'this_week',
      'esta semana',
      '2026-11-16T06:00:00.000Z',
      '2026-11-23T06:00:00.000Z',
    ],
    [
      'cuánto gané la semana pasada',
      'last_week',
      'la semana pasada',
      '2026-11-09T06:00:00.000Z',
      '2026-11-16T06:00:00.000Z',
    ],
    [
      'ganancias del mes pasado',
      'last_month',
      'el mes pasado',
      '2026-10-01T06:00:00.000Z',
      '2026-11-01T06:00:00.000Z',
    ],
    [
      'cuanto vendi el sábado',
      'weekday:saturday',
      'el sábado',
      '2026-11-21T06:00:00.000Z',
      '2026-11-22T06:00:00.000Z',
    ],
    [
      'CUANTO SE VENDIO EL SABADO',
      'weekday:saturday',
      'el sábado',
      '2026-11-21T06:00:00.000Z',
      '2026-11-22T06:00:00.000Z',
    ],
    [
      'ventas del domingo pasado',
      'last_weekday:sunday',
      'el domingo pasado',
      '2026-11-15T06:00:00.000Z',
      '2026-11-16T06:00:00.000Z',
    ],
    [
      'cuánta utilidad tuve en octubre',
      'month:10',
      'octubre',
      '2026-10-01T06:00:00.000Z',
      '2026-11-01T06:00:00.000Z',
    ],
    [
      'ventas del mes de diciembre',
      'month:12',
      'diciembre',
      '2025-12-01T06:00:00.000Z',
      '2026-01-01T06:00:00.000Z',
    ],
  ])('%j → %s', (text, key, label, from, to) => {
    const period = classifyIntent(text, { now }).entities.period;
    expect(period).toBeDefined();
    expect({
      key: period!.key,
      label: period!.label,
      from: iso(period!.from),
      to: iso(period!.to),
    }).toEqual({
      key,
      label,
      from,
      to,
    });
  });

  it('leaves habitual or unsupported expressions without a period', () => {
    expect(classifyIntent('cuánto vendo los sábados', { now }).entities.period).toBeUndefined();
    expect(classifyIntent('cuánto vendí', { now }).entities.period).toBeUndefined();
  });

  it('uses the time zone option for relative periods', () => {
    const period = classifyIntent('ventas de hoy', { now, timeZone: 'UTC' }).entities.period!;
    expect(iso(period.from)).toBe('2026-11-23T00:00:00.000Z');
  });
});

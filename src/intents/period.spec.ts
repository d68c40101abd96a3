import fc from 'fast-check';
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
      'el corte de anoche',
      'yesterday',
      'ayer',
      '2026-11-21T06:00:00.000Z',
      '2026-11-22T06:00:00.000Z',
    ],
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

describe('every period a question can carry, in the shop time zone', () => {
  // Sunday Nov 22, 2026, 21:00 in Mexico City (03:00Z on the 23rd): the UTC date is already
  // Monday, so any range computed in UTC instead of local time shows up as off by a day.
  const now = new Date('2026-11-23T03:00:00Z');
  it.each<[string, string, string, string, string]>([
    ['cuánto vendí hoy', 'today', 'hoy', '2026-11-22T06:00:00.000Z', '2026-11-23T06:00:00.000Z'],
    ['y ayer?', 'yesterday', 'ayer', '2026-11-21T06:00:00.000Z', '2026-11-22T06:00:00.000Z'],
    [
      'ventas de antier',
      'day_before_yesterday',
      'antier',
      '2026-11-20T06:00:00.000Z',
      '2026-11-21T06:00:00.000Z',
    ],
    [
      'cuanto llevo esta semana',
      'this_week',
      'esta semana',
      '2026-11-16T06:00:00.000Z',
      '2026-11-23T06:00:00.000Z',
    ],
    [
      'ventas semana pasada',
      'last_week',
      'la semana pasada',
      '2026-11-09T06:00:00.000Z',
      '2026-11-16T06:00:00.000Z',
    ],
    [
      'ganancias de este mes',
      'this_month',
      'este mes',
      '2026-11-01T06:00:00.000Z',
      '2026-12-01T06:00:00.000Z',
    ],
    [
      'ventas mes pasado',
      'last_month',
      'el mes pasado',
      '2026-10-01T06:00:00.000Z',
      '2026-11-01T06:00:00.000Z',
    ],
    [
      'cuanto vendi el sabado',
      'weekday:saturday',
      'el sábado',
      '2026-11-21T06:00:00.000Z',
      '2026-11-22T06:00:00.000Z',
    ],
    [
      'cuanto vendi el lunes pasado',
      'last_weekday:monday',
      'el lunes pasado',
      '2026-11-16T06:00:00.000Z',
      '2026-11-17T06:00:00.000Z',
    ],
    [
      'cuanto gane en octubre',
      'month:10',
      'octubre',
      '2026-10-01T06:00:00.000Z',
      '2026-11-01T06:00:00.000Z',
    ],
    // A named month with its year.
    [
      'ventas de octubre del año pasado',
      'last_year_month:10',
      'octubre del año pasado',
      '2025-10-01T06:00:00.000Z',
      '2025-11-01T06:00:00.000Z',
    ],
    [
      'ventas de octubre de 2024',
      'month:2024-10',
      'octubre de 2024',
      '2024-10-01T06:00:00.000Z',
      '2024-11-01T06:00:00.000Z',
    ],
    // One dated day: the latest one not after today.
    [
      'cuanto vendi el 15 de noviembre',
      'date:11-15',
      'el 15 de noviembre',
      '2026-11-15T06:00:00.000Z',
      '2026-11-16T06:00:00.000Z',
    ],
    [
      'cuanto vendi el 25 de diciembre',
      'date:12-25',
      'el 25 de diciembre',
      '2025-12-25T06:00:00.000Z',
      '2025-12-26T06:00:00.000Z',
    ],
    [
      'ventas del 3 de marzo de 2025',
      'date:2025-03-03',
      'el 3 de marzo de 2025',
      '2025-03-03T06:00:00.000Z',
      '2025-03-04T06:00:00.000Z',
    ],
    // Ranges of days, inclusive.
    [
      'ventas del 1 al 15 de noviembre',
      'dates:11-01..11-15',
      'del 1 al 15 de noviembre',
      '2026-11-01T06:00:00.000Z',
      '2026-11-16T06:00:00.000Z',
    ],
    [
      'ventas del 28 de octubre al 3 de noviembre',
      'dates:10-28..11-03',
      'del 28 de octubre al 3 de noviembre',
      '2026-10-28T06:00:00.000Z',
      '2026-11-04T06:00:00.000Z',
    ],
    [
      'ventas del 20 de diciembre al 6 de enero',
      'dates:12-20..01-06',
      'del 20 de diciembre al 6 de enero',
      '2025-12-20T06:00:00.000Z',
      '2026-01-07T06:00:00.000Z',
    ],
    [
      'ventas entre el 2 y el 9 de noviembre',
      'dates:11-02..11-09',
      'del 2 al 9 de noviembre',
      '2026-11-02T06:00:00.000Z',
      '2026-11-10T06:00:00.000Z',
    ],
    [
      'ventas del 1 al 15',
      'days:1..15',
      'del 1 al 15',
      '2026-11-01T06:00:00.000Z',
      '2026-11-16T06:00:00.000Z',
    ],
    // Ranges of months.
    [
      'ventas de enero a marzo',
      'months:1..3',
      'de enero a marzo',
      '2026-01-01T06:00:00.000Z',
      '2026-04-01T06:00:00.000Z',
    ],
    [
      'ganancias de octubre a diciembre',
      'months:10..12',
      'de octubre a diciembre',
      '2026-10-01T06:00:00.000Z',
      '2027-01-01T06:00:00.000Z',
    ],
    [
      'ventas de diciembre a febrero',
      'months:12..2',
      'de diciembre a febrero',
      '2025-12-01T06:00:00.000Z',
      '2026-03-01T06:00:00.000Z',
    ],
    // "desde …": from its start to the end of today.
    [
      'cuanto vendi desde el lunes',
      'since:weekday:monday',
      'desde el lunes',
      '2026-11-16T06:00:00.000Z',
      '2026-11-23T06:00:00.000Z',
    ],
    [
      'ventas desde ayer',
      'since:yesterday',
      'desde ayer',
      '2026-11-21T06:00:00.000Z',
      '2026-11-23T06:00:00.000Z',
    ],
    [
      'ventas desde el 1 de noviembre',
      'since:date:11-01',
      'desde el 1 de noviembre',
      '2026-11-01T06:00:00.000Z',
      '2026-11-23T06:00:00.000Z',
    ],
    [
      'ganancias a partir de octubre',
      'since:month:10',
      'desde octubre',
      '2026-10-01T06:00:00.000Z',
      '2026-11-23T06:00:00.000Z',
    ],
    [
      'ventas desde la semana pasada',
      'since:last_week',
      'desde la semana pasada',
      '2026-11-09T06:00:00.000Z',
      '2026-11-23T06:00:00.000Z',
    ],
  ])('%j → %s (%s)', (text, key, label, from, to) => {
    const period = classifyIntent(text, { now }).entities.period;
    expect(
      period === undefined
        ? undefined
        : {
            key: period.key,
            label: period.label,
            from: iso(period.from),
            to: iso(period.to),
          },
    ).toEqual({ key, label, from, to });
  });

  it('moves "desde el lunes" with the local day, not the UTC one', () => {
    // 05:59Z on Monday the 23rd is still Sunday 23:59 locally: the range ends at local midnight.
    const sunday = classifyIntent('desde el lunes', { now: new Date('2026-11-23T05:59:00Z') });
    expect([iso(sunday.entities.period!.from), iso(sunday.entities.period!.to)]).toEqual([
      '2026-11-16T06:00:00.000Z',
      '2026-11-23T06:00:00.000Z',
    ]);
    // One minute later it is Monday: "el lunes" is today.
    const monday = classifyIntent('desde el lunes', { now: new Date('2026-11-23T06:00:00Z') });
    expect([iso(monday.entities.period!.from), iso(monday.entities.period!.to)]).toEqual([
      '2026-11-23T06:00:00.000Z',
      '2026-11-24T06:00:00.000Z',
    ]);
  });

  it('uses the zone it is given for ranges too', () => {
    const period = classifyIntent('ventas del 1 al 15 de noviembre', {
      now,
      timeZone: 'America/Tijuana',
    }).entities.period!;
    // Tijuana is UTC-8 in November (it keeps DST, unlike Mexico City).
    expect([iso(period.from), iso(period.to)]).toEqual([
      '2026-11-01T07:00:00.000Z',
      '2026-11-16T08:00:00.000Z',
    ]);
  });

  it.each(['vendi de 2 a 3 cocas', 'vendí 2 cocas', 'llegaron 15 de coca', 'desde que abri'])(
    '%j carries no period',
    (text) => {
      expect(classifyIntent(text, { now }).entities.period).toBeUndefined();
    },
  );

  it('reads impossible days as the closest real one instead of failing', () => {
    expect(range('date:02-29', '2026-11-23T03:00:00Z')).toEqual([
      '2024-02-29T06:00:00.000Z',
      '2024-03-01T06:00:00.000Z',
    ]);
    expect(range('date:2025-02-29', '2026-11-23T03:00:00Z')).toEqual([
      '2025-02-28T06:00:00.000Z',
      '2025-03-01T06:00:00.000Z',
    ]);
    expect(range('days:1..31', '2026-11-23T03:00:00Z')).toEqual([
      '2026-11-01T06:00:00.000Z',
      '2026-12-01T06:00:00.000Z',
    ]);
  });

  it.each([
    'since:since:today',
    'since:nope',
    'months:13..1',
    'dates:02-30..03-01',
    'month:2025-13',
    'days:9..3',
    'last_year_month:0',
  ])('rejects the malformed key %j', (key) => {
    expect(() => resolvePeriod(key, now)).toThrow(RangeError);
  });

  it('never throws on date-like word soup', () => {
    const word = fc.constantFrom(
      'del',
      'al',
      'de',
      'a',
      'y',
      'el',
      'entre',
      'desde',
      'partir',
      'hasta',
      '1',
      '15',
      '29',
      '30',
      '31',
      '0',
      '2025',
      '2099',
      'febrero',
      'noviembre',
      'diciembre',
      'enero',
      'lunes',
      'pasado',
      'semana',
      'mes',
      'año',
      'ayer',
      'hoy',
      'cocas',
      'vendi',
      'primero',
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 12 }), (words) => {
        const period = classifyIntent(words.join(' '), { now }).entities.period;
        // "desde febrero de 2099" is an empty range, never an inverted one.
        if (period !== undefined)
          expect(period.from.getTime()).toBeLessThanOrEqual(period.to.getTime());
      }),
      { numRuns: 3000 },
    );
  });
});

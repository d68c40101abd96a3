import {
  dailyCloseParameters,
  dailyCloseText,
  dayBounds,
  dueDay,
  reorderLine,
} from './daily-close-text';

const TZ = 'America/Mexico_City'; // UTC-6 all year since 2022

describe('dueDay', () => {
  it('is null before the local close time and the local day after it', () => {
    // 2026-12-03 20:59 local = 2026-12-04 02:59Z
    expect(dueDay(Date.parse('2026-12-04T02:59:00Z'), TZ, '21:00')).toBeNull();
    expect(dueDay(Date.parse('2026-12-04T03:00:00Z'), TZ, '21:00')).toBe('2026-12-03');
    expect(dueDay(Date.parse('2026-12-04T05:59:00Z'), TZ, '21:00')).toBe('2026-12-03');
    // Local midnight: a new day, not due until its own close time.
    expect(dueDay(Date.parse('2026-12-04T06:00:00Z'), TZ, '21:00')).toBeNull();
  });

  it('follows the shop time zone', () => {
    expect(dueDay(Date.parse('2026-12-04T02:00:00Z'), 'America/Tijuana', '18:00')).toBe(
      '2026-12-03',
    );
    expect(dueDay(Date.parse('2026-12-04T02:00:00Z'), 'America/Cancun', '21:00')).toBe(
      '2026-12-03',
    );
    expect(dueDay(Date.parse('2026-12-04T02:00:00Z'), 'America/Cancun', '21:01')).toBeNull();
  });

  it('gives [from, to) of the local day', () => {
    expect(dayBounds('2026-12-03', TZ)).toEqual({
      from: new Date('2026-12-03T06:00:00Z'),
      to: new Date('2026-12-04T06:00:00Z'),
    });
  });
});

describe('daily close text', () => {
  const figures = {
    day: '2026-12-03',
    salesCents: 123450,
    tickets: 1,
    profitCents: 34500,
    top: [{ name: 'Coca-Cola 600 ml', quantity: 12 }],
    reorder: [],
    tokensLeft: 2345,
  };

  it('fills the fixed Spanish template', () => {
    expect(dailyCloseText(figures)).toBe(
      [
        '📊 *Cierre del día* (3 de diciembre)',
        '💰 Ventas: $1,234.50 en 1 ticket',
        '📈 Ganancia: $345.00',
        '🏆 Lo más vendido: Coca-Cola 600 ml (12)',
        '📦 Por surtir: nada por ahora',
        '🪙 Te quedan 2,345 tokens.',
        '',
        'Para dejar de recibirlo escribe «quitar cierre diario».',
      ].join('\n'),
    );
    expect(dailyCloseParameters({ ...figures, top: [] })).toEqual([
      '3 de diciembre',
      '$1,234.50',
      '1',
      '$345.00',
      'sin ventas',
      'nada por ahora',
      '2,345',
    ]);
  });

  it('names at most five products to reorder', () => {
    const many = Array.from({ length: 7 }, (_, i) => ({ name: `P${i}`, stock: i }));
    expect(reorderLine(many)).toBe(
      'P0 (quedan 0), P1 (quedan 1), P2 (quedan 2), P3 (quedan 3), P4 (quedan 4) y 2 más',
    );
  });
});

import { formatInt, formatMoney } from './money';

describe('formatMoney', () => {
  it.each([
    [0, '$0.00'],
    [5, '$0.05'],
    [123450, '$1,234.50'],
    [2900, '$29.00'],
    [123456789, '$1,234,567.89'],
    [-1550, '-$15.50'],
  ])('%i cents → %s', (cents, text) => {
    expect(formatMoney(cents)).toBe(text);
  });

  it('formats token counts with separators', () => {
    expect(formatInt(20000)).toBe('20,000');
  });
});

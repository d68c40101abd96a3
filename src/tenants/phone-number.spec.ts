import { normalizePhone, normalizeWaId, waIdOf } from './phone-number';

describe('phone numbers (libphonenumber-js, E.164)', () => {
  it.each([
    ['+52 55 1234 5678', '+525512345678'],
    ['+52 1 55 1234 5678', '+525512345678'],
    ['5215512345678', '+525512345678'],
    ['525512345678', '+525512345678'],
    ['55 1234 5678', '+525512345678'],
    ['(55) 1234-5678', '+525512345678'],
    ['+52 33 1234 5678', '+523312345678'],
    ['+1 650 555 1234', '+16505551234'],
    ['2348030572700', '+2348030572700'],
  ])('an admin may type %s: stored as %s', (input, e164) => {
    expect(normalizePhone(input)).toBe(e164);
  });

  it.each([
    'abc',
    '+52 55',
    '12345',
    '+999 123456789',
    '',
    '5512345678901234567',
    'tel:5512345678',
  ])('rejects %j: not a phone number', (input) => {
    expect(normalizePhone(input)).toBeNull();
  });

  it('recognizes a Mexican number both ways: 521 55… and 52 55… are the same person', () => {
    expect(normalizeWaId('5215512345678')).toBe(normalizeWaId('525512345678'));
    expect(normalizeWaId('5215512345678')).toBe(normalizePhone('+52 55 1234 5678'));
    expect(normalizePhone('+52 1 55 1234 5678')).toBe(normalizeWaId('525512345678'));
  });

  it("keeps Meta's wa_ids of other countries as they are (never drops a digit elsewhere)", () => {
    expect(normalizeWaId('16505551234')).toBe('+16505551234');
    expect(normalizeWaId('5516992318222')).toBe('+5516992318222');
    expect(normalizeWaId('15550783881')).toBe('+15550783881'); // a test number: not "valid", still a wa_id
    expect(normalizeWaId('123')).toBeNull();
  });

  it('addresses replies with digits, as Meta wants them', () => {
    expect(waIdOf('+525512345678')).toBe('525512345678');
  });
});

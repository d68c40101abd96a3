import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * Phone numbers in one form, E.164 ("+525512345678"), whatever form they come in: an admin
 * types "+52 55 1234 5678" or "55 1234 5678", Meta sends a wa_id of digits ("5215512345678").
 *
 * Mexico is the case that matters here: until 2019 a mobile was dialled from abroad as
 * +52 1 + 10 digits, and WhatsApp still sends many Mexican wa_ids with that "1"
 * (521 55 1234 5678), while others (and numbers registered since) come without it. The
 * numbering plan no longer has the "1", so it is dropped: both forms are the same person.
 */

/** Mexico's country code, and the old mobile prefix after it. */
const MX = '52';
const MX_OLD_MOBILE_PREFIX = '1';
const MX_NATIONAL_DIGITS = 10;

/** A number an admin enters: must be a real, valid phone number (default region Mexico). */
export function normalizePhone(input: string): string | null {
  const parsed = parse(input);
  return parsed?.valid ? parsed.e164 : null;
}

/**
 * A wa_id Meta sent: digits, trusted to be a WhatsApp number (Meta knows), so only put in the
 * canonical form (plausible length), never rejected for a numbering-plan detail.
 */
export function normalizeWaId(waId: string): string | null {
  const digits = waId.replace(/\D/g, '');
  if (digits.length < 6 || digits.length > 15) return null;
  const parsed = parse(`+${digits}`);
  return parsed?.e164 ?? `+${digits}`;
}

function parse(input: string): { e164: string; valid: boolean } | null {
  const text = input.trim();
  if (!/^[+\d\s().-]{6,32}$/.test(text)) return null;
  // Digits without "+" that are long enough to carry a country code are international (a
  // wa_id pasted by an admin); shorter ones are a Mexican national number.
  const digits = text.replace(/\D/g, '');
  const international = text.startsWith('+') || digits.length > MX_NATIONAL_DIGITS;
  let phone = parsePhoneNumberFromString(international ? `+${digits}` : digits, 'MX');
  if (!phone) return null;
  const national = String(phone.nationalNumber);
  if (
    phone.countryCallingCode === MX &&
    national.length === MX_NATIONAL_DIGITS + 1 &&
    national.startsWith(MX_OLD_MOBILE_PREFIX)
  ) {
    phone = parsePhoneNumberFromString(`+${MX}${national.slice(1)}`);
    if (!phone) return null;
  }
  return { e164: phone.number, valid: phone.isValid() };
}

/** Meta's wa_id form of an E.164 number (digits, no "+"): what a reply is addressed to. */
export function waIdOf(e164: string): string {
  return e164.replace(/^\+/, '');
}

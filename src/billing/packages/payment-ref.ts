/**
 * The form a payment reference is stored and compared in, so one payment credits once however
 * an admin typed or pasted it: NFKC (full-width "ＳＰＥＩ" = "SPEI"), without control or
 * format characters (zero-width spaces and joiners, BOM, soft hyphen, bidi marks, tabs,
 * newlines), trimmed, upper-case ("spei-1" = "SPEI-1").
 */
export function normalizePaymentRef(ref: string): string {
  return ref
    .normalize('NFKC')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .trim()
    .toUpperCase();
}

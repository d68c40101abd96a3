/**
 * One pass over the raw message that every matcher works on: lowercase, accents stripped
 * (ñ → n, ü → u), emoji and punctuation turned into single spaces, digits split from letters
 * ("24cocas" → "24 cocas"), and letter runs typed for emphasis collapsed ("holaaa" → "hola",
 * "graciass" → "gracias") without breaking real Spanish doubles ("llegaron", "carro", "leer").
 * Kept on purpose: '$' and the '.'/',' inside numbers, so prices like "$26.50" survive.
 */

const SPACE = 0x20;
const DOLLAR = 0x24;
const DOT = 0x2e;
const COMMA = 0x2c;

/** Latin letters (incl. accented Latin-1/Extended-A) → ASCII lowercase; digits kept; 0 = separator. */
const FOLD_TABLE = buildFoldTable(0x250);

/** Doubles that occur in real Spanish words (ll, rr, cc, nn, ee, oo); any other double is a typo. */
const KEEPS_DOUBLE = new Uint8Array(128);
for (const ch of 'lrcneo') KEEPS_DOUBLE[ch.charCodeAt(0)] = 1;

let buffer = new Uint16Array(256);

export function normalizeText(text: string): string {
  const length = text.length;
  if (buffer.length < length * 2 + 2) buffer = new Uint16Array(length * 2 + 2);
  const out = buffer;
  let n = 0;
  let pendingLetter = 0; // letter whose run is still being counted
  let pendingCount = 0;
  let lastClass = 0; // 0 start/space, 1 letter, 2 digit or number punctuation, 3 '$'

  const flushRun = (): void => {
    if (pendingCount === 0) return;
    let copies = 1;
    if (pendingCount === 2 && KEEPS_DOUBLE[pendingLetter] === 1) copies = 2;
    else if (pendingCount > 2 && (pendingLetter === 0x6c || pendingLetter === 0x72)) copies = 2;
    for (let k = 0; k < copies; k++) out[n++] = pendingLetter;
    pendingCount = 0;
    pendingLetter = 0;
  };
  const space = (): void => {
    flushRun();
    if (lastClass !== 0) {
      out[n++] = SPACE;
      lastClass = 0;
    }
  };

  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    // Combining accents (decomposed input, "a\u0301") vanish instead of splitting the word.
    if (code >= 0x300 && code <= 0x36f) continue;
    const folded = code < FOLD_TABLE.length ? FOLD_TABLE[code] : 0;
    if (folded >= 0x61) {
      if (lastClass === 2 || lastClass === 3) space();
      if (folded === pendingLetter) pendingCount++;
      else {
        flushRun();
        pendingLetter = folded;
        pendingCount = 1;
      }
      lastClass = 1;
    } else if (folded !== 0) {
      // digit
      if (lastClass === 1) space();
      else flushRun();
      out[n++] = folded;
      lastClass = 2;
    } else if (code === DOLLAR) {
      space();
      out[n++] = DOLLAR;
      lastClass = 3;
    } else if ((code === DOT || code === COMMA) && lastClass === 2 && isDigitAt(text, i + 1)) {
      out[n++] = code;
    } else {
      space();
    }
  }
  flushRun();
  if (n > 0 && out[n - 1] === SPACE) n--;
  return codesToString(out, n);
}

function isDigitAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 0x30 && code <= 0x39;
}

function codesToString(codes: Uint16Array, length: number): string {
  // fromCharCode.apply has an argument limit; chunk for very long messages.
  const CHUNK = 8192;
  if (length <= CHUNK) return String.fromCharCode.apply(null, codes.subarray(0, length) as never);
  let result = '';
  for (let start = 0; start < length; start += CHUNK) {
    const end = Math.min(length, start + CHUNK);
    result += String.fromCharCode.apply(null, codes.subarray(start, end) as never);
  }
  return result;
}

function buildFoldTable(size: number): Uint16Array {
  const table = new Uint16Array(size);
  for (let code = 0; code < size; code++) {
    const base = String.fromCharCode(code).normalize('NFD').charAt(0).toLowerCase();
    const baseCode = base.charCodeAt(0);
    if ((baseCode >= 0x61 && baseCode <= 0x7a) || (baseCode >= 0x30 && baseCode <= 0x39)) {
      table[code] = baseCode;
    }
  }
  return table;
}

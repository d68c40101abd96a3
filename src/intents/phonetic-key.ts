/**
 * Folds a normalized word to how it sounds in Mexican Spanish, so one lexicon entry matches the
 * ways people actually spell it on a phone: v/b ("bentas"), silent h ("oy", "e vendido"),
 * c/qu/k ("keda", "koka"), c/s/z ("ganansias"), nv/mb, ll/y ("yegaron"), ge/je, gue/ge, and any double
 * letter. Both the lexicon and the message go through this same function, so they always agree.
 */
export function phoneticKey(word: string): string {
  let out = '';
  let last = '';
  const length = word.length;
  for (let i = 0; i < length; i++) {
    const c = word[i];
    const next = i + 1 < length ? word[i + 1] : '';
    let emit: string;
    switch (c) {
      case 'h':
        // Silent except in "ch" (handled at 'c'); "sh" in loanwords keeps it too.
        emit = last === 's' ? 'h' : '';
        break;
      case 'c':
        if (next === 'h') {
          emit = 'ch';
          i++;
        } else emit = next === 'e' || next === 'i' ? 's' : 'k';
        break;
      case 'q':
        if (next === 'u' && isFrontVowel(word, i + 2)) i++;
        emit = 'k';
        break;
      case 'z':
        emit = 's';
        break;
      case 'v':
        emit = 'b';
        break;
      case 'n':
        // "nv"/"nb" sound like "mb": "inventario" and "imbentario" meet.
        emit = next === 'v' || next === 'b' ? 'm' : 'n';
        break;
      case 'w':
        emit = 'u';
        break;
      case 'y':
        emit = 'i';
        break;
      case 'l':
        if (next === 'l') {
          emit = 'i';
          i++;
        } else emit = 'l';
        break;
      case 'g':
        if (next === 'u' && isFrontVowel(word, i + 2)) {
          emit = 'g';
          i++;
        } else emit = next === 'e' || next === 'i' ? 'j' : 'g';
        break;
      default:
        emit = c;
    }
    if (emit.length === 0) continue;
    // Collapse doubles made by spelling or by the folding itself ("cc", "rr", "ss", "ii").
    if (emit.length === 1 && emit === last) continue;
    out += emit;
    last = emit[emit.length - 1];
  }
  return out;
}

function isFrontVowel(word: string, index: number): boolean {
  const c = word[index];
  return c === 'e' || c === 'i';
}

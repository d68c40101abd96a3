import { graphemes, LIMITS, splitText, truncateGraphemes } from './text-limits';

const hasLoneSurrogate = (s: string) =>
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe('WhatsApp text limits', () => {
  it('trims titles by user-perceived characters, never leaving half an emoji', () => {
    const title = '👍🏽👨‍👩‍👧‍👦🇲🇽 Coca-Cola 600 ml bien fría';
    const cut = truncateGraphemes(title, LIMITS.buttonTitle);
    expect(graphemes(cut)).toHaveLength(LIMITS.buttonTitle);
    expect(cut.startsWith('👍🏽👨‍👩‍👧‍👦🇲🇽')).toBe(true);
    expect(cut.endsWith('…')).toBe(true);
    expect(hasLoneSurrogate(cut)).toBe(false);
    // The naive slice would have broken the family emoji.
    expect(hasLoneSurrogate('👍🏽'.slice(0, 3))).toBe(true);
    for (let max = 1; max <= 6; max++) {
      expect(hasLoneSurrogate(truncateGraphemes('😀😀😀😀😀😀😀', max))).toBe(false);
      expect(graphemes(truncateGraphemes('😀😀😀😀😀😀😀', max)).length).toBeLessThanOrEqual(max);
    }
    expect(truncateGraphemes('Ver paquetes', 20)).toBe('Ver paquetes');
  });

  it('keeps a text within 4,096 as one message', () => {
    const text = 'a'.repeat(LIMITS.textBody);
    expect(splitText(text)).toEqual([text]);
  });

  it('splits a longer one at paragraph or line boundaries, every part within the limit', () => {
    const paragraph = `${'Coca-Cola 600 ml: 12 piezas, $264.00. '.repeat(40)}\n\n`;
    const text = paragraph.repeat(6);
    const parts = splitText(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(LIMITS.textBody);
      expect(p.length).toBeGreaterThan(0);
    }
    // Nothing lost: the words of the parts are the words of the text.
    expect(parts.join(' ').split(/\s+/).filter(Boolean)).toEqual(text.split(/\s+/).filter(Boolean));
  });

  it('never cuts inside an emoji, even in a text made only of emoji', () => {
    const text = '👨‍👩‍👧‍👦'.repeat(1500); // 11 units each
    const parts = splitText(text);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(LIMITS.textBody);
      expect(hasLoneSurrogate(p)).toBe(false);
      expect(graphemes(p).every((g) => g === '👨‍👩‍👧‍👦' || g === '…')).toBe(true);
    }
  });

  it('shortens what would need more than the allowed parts, ending in "…"', () => {
    const parts = splitText('palabra '.repeat(10_000), 100, 3);
    expect(parts).toHaveLength(3);
    expect(parts[2].endsWith('…')).toBe(true);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(100);
  });
});

import {
  estimateTranscriptionTokens,
  transcriptionPromptTokens,
  transcriptMaxTokens,
} from './transcription-tokens';

describe('estimateTranscriptionTokens', () => {
  it('covers 32 audio tokens and 8 transcript tokens per second, with a margin', () => {
    for (const seconds of [1, 7.5, 30, 120]) {
      const whole = Math.ceil(seconds);
      expect(estimateTranscriptionTokens(seconds)).toBeGreaterThan(whole * 32 + whole * 8);
      // …and not wildly more: at most 10 % plus the instruction and framing.
      expect(estimateTranscriptionTokens(seconds)).toBeLessThan((whole * 40 + 150) * 1.1);
    }
  });

  it('is an integer that grows with the length', () => {
    let previous = 0;
    for (let s = 0.5; s <= 120; s += 0.5) {
      const tokens = estimateTranscriptionTokens(s);
      expect(Number.isInteger(tokens)).toBe(true);
      expect(tokens).toBeGreaterThanOrEqual(previous);
      previous = tokens;
    }
  });

  it('is the prompt plus the transcript ceiling sent as max_tokens, plus 10 %', () => {
    expect(estimateTranscriptionTokens(10)).toBe(
      Math.ceil((transcriptionPromptTokens(10) + transcriptMaxTokens(10)) * 1.1),
    );
    expect(transcriptMaxTokens(10)).toBe(24 + 80);
  });

  it('treats nonsense lengths as one second', () => {
    expect(estimateTranscriptionTokens(0)).toBe(estimateTranscriptionTokens(1));
    expect(estimateTranscriptionTokens(Number.NaN)).toBe(estimateTranscriptionTokens(1));
  });
});

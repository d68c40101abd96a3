import { cleanTranscript } from './transcript-text';

describe('cleanTranscript', () => {
  it.each([
    ['  vendí   dos\ncocas  ', 'vendí dos cocas'],
    ['"vendí dos cocas"', 'vendí dos cocas'],
    ['«llegaron 24 cocas»', 'llegaron 24 cocas'],
    ['“a cómo el aceite”', 'a cómo el aceite'],
    ['Transcripción: vendí dos cocas', 'vendí dos cocas'],
    ['[silencio]', ''],
    ['(inaudible)', ''],
    ['No se entiende nada.', ''],
    ['""', ''],
    [null, ''],
    ['dijo "hola" y se fue', 'dijo "hola" y se fue'],
  ])('%j → %j', (raw, clean) => {
    expect(cleanTranscript(raw)).toBe(clean);
  });
});

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { INTENTS } from '../../src/intents';

const ROOT = join(__dirname, '../..');
const TS_NODE = join(ROOT, 'node_modules/ts-node/dist/bin.js');
const SCRIPT = join(ROOT, 'scripts/intents-classify.ts');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Same command as `npm run -s intents:classify`, without npm in between. */
function runCli(input: string | Buffer): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TS_NODE, '--transpile-only', SCRIPT], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** Every stdout line must be one JSON object with exactly text, intent and confidence. */
function parseOutput(stdout: string): Array<{ text: string; intent: string; confidence: number }> {
  expect(stdout.endsWith('\n')).toBe(true);
  return stdout
    .slice(0, -1)
    .split('\n')
    .map((line) => {
      const parsed = JSON.parse(line) as { text: string; intent: string; confidence: number };
      expect(Object.keys(parsed)).toEqual(['text', 'intent', 'confidence']);
      expect(INTENTS).toContain(parsed.intent);
      expect(parsed.confidence).toBeGreaterThanOrEqual(0);
      expect(parsed.confidence).toBeLessThanOrEqual(1);
      return parsed;
    });
}

describe('npm run intents:classify (scripts/intents-classify.ts)', () => {
  jest.setTimeout(60_000);

  it('writes one JSON object per input line, in order, and nothing else', async () => {
    const run = await runCli('hola\n¿cuánto vendí hoy?\nvendí 2 cocas\nllegaron 24 cocas\n');
    expect(run.code).toBe(0);
    const out = parseOutput(run.stdout);
    expect(out).toEqual([
      { text: 'hola', intent: 'saludo', confidence: expect.any(Number) },
      { text: '¿cuánto vendí hoy?', intent: 'ventas', confidence: expect.any(Number) },
      { text: 'vendí 2 cocas', intent: 'registrar_venta', confidence: expect.any(Number) },
      { text: 'llegaron 24 cocas', intent: 'ajustar_inventario', confidence: expect.any(Number) },
    ]);
  });

  it('handles CRLF, empty lines and a last line without newline', async () => {
    const run = await runCli('hola\r\n\r\n\ncuántos tokens me quedan\r\na cómo tengo el aceite');
    expect(run.code).toBe(0);
    const out = parseOutput(run.stdout);
    expect(out.map((o) => [o.text, o.intent])).toEqual([
      ['hola', 'saludo'],
      ['', 'otro'],
      ['', 'otro'],
      ['cuántos tokens me quedan', 'saldo'],
      ['a cómo tengo el aceite', 'precios'],
    ]);
    expect(out[1].confidence).toBeLessThan(0.5);
  });

  it('prints each line exactly in the documented shape', async () => {
    const run = await runCli('hola\n');
    expect(run.stdout).toMatch(
      /^\{"text": "hola", "intent": "saludo", "confidence": (0|1|0\.\d+)\}\n$/,
    );
    expect(run.stderr).toBe('');
  });

  it('escapes quotes, backslashes and emoji so each line stays valid JSON', async () => {
    const text = 'dice "hola" \\ con tab\tadentro 👋';
    const run = await runCli(`${text}\n`);
    expect(parseOutput(run.stdout)).toEqual([
      { text, intent: expect.any(String), confidence: expect.any(Number) },
    ]);
  });

  it('writes nothing for empty input', async () => {
    const run = await runCli('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
  });

  it('streams a large input, one output line per input line', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) =>
      i % 3 === 0 ? `vendi ${i} cocas` : i % 3 === 1 ? '' : `cuantas cocas me quedan ${i}`,
    );
    const run = await runCli(`${lines.join('\n')}\n`);
    expect(run.code).toBe(0);
    const out = parseOutput(run.stdout);
    expect(out).toHaveLength(lines.length);
    expect(out.map((o) => o.text)).toEqual(lines);
  });
});

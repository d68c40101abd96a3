/**
 * `npm run -s intents:classify`: one message per line on stdin → one JSON object per line on
 * stdout, in the same order: {"text": "...", "intent": "...", "confidence": 0.93}.
 * Nothing else is written to stdout (diagnostics go to stderr), so the output can be piped.
 * - CRLF and a last line without a newline are handled by readline.
 * - An empty (or whitespace-only) line is still a message: it is classified as 'otro' with low
 *   confidence, so the output always has exactly one line per input line.
 * - Input is streamed; output is batched and respects back-pressure, so large files are fine.
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { classifyIntent } from '../src/intents';

const FLUSH_AT = 64 * 1024;

async function main(): Promise<void> {
  const stdout = process.stdout;
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    // A closed pipe (`… | head`) is the reader's choice, not a failure.
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });

  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  let pending = '';
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const chunk = pending;
    pending = '';
    if (!stdout.write(chunk)) await once(stdout, 'drain');
  };

  for await (const rawLine of lines) {
    const text = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    const { intent, confidence } = classifyIntent(text);
    // Spaced like the documented format: {"text": "...", "intent": "...", "confidence": 0.93}
    pending += `{"text": ${JSON.stringify(text)}, "intent": "${intent}", "confidence": ${confidence}}\n`;
    if (pending.length >= FLUSH_AT) await flush();
  }
  await flush();
}

main().catch((error: unknown) => {
  process.stderr.write(`intents:classify failed: ${String(error)}\n`);
  process.exit(1);
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { seedDemo } from '../../database/seeds/demo';
import { startFakeGraphApi, type FakeGraphApi } from '../../dev/fakes/fake-graph-api';
import { startFakeOpenRouter, type FakeOpenRouter } from '../../dev/fakes/fake-openrouter';
import { fakesBackend } from '../../dev/simulator/fakes-backend';
import { sellPackage } from '../../dev/support/admin';
import { eventually, startApp, type RunningApp } from '../../dev/support/app-harness';
import { newPhoneNumberId, newWaId } from '../../dev/support/webhook';
import { decodeOggOpus } from '../../src/transcription/decode-ogg-opus';
import { probeOggOpus } from '../../src/transcription/ogg-probe';
import { openDb } from '../tools/store-fixtures';
import { chromiumAvailable, collectPageErrors, launchChromium, screenshot } from './chromium';

// The simulator's remux, the same file the page loads (a plain script that also exports).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { webmOpusToOgg } = require('../../public/simulator/webm-to-ogg.js') as {
  webmOpusToOgg: (bytes: Uint8Array, options?: { serial?: number }) => Uint8Array;
};

const DEFAULT_MODEL = 'anthropic/claude-3-haiku';

/** Ogg's CRC-32 computed bit by bit (the page writer uses a table): RFC 3533's definition. */
function referenceOggCrc(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 24;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
    }
  }
  return crc >>> 0;
}

/** Every Ogg page of `bytes`: its flags, granule, sequence, and whether its CRC is right. */
function oggPages(bytes: Buffer) {
  const pages: { flags: number; granule: bigint; sequence: number; crcOk: boolean }[] = [];
  let at = 0;
  while (at < bytes.length) {
    expect(bytes.toString('latin1', at, at + 4)).toBe('OggS');
    const segments = bytes[at + 26];
    let body = 0;
    for (let i = 0; i < segments; i++) body += bytes[at + 27 + i];
    const end = at + 27 + segments + body;
    const page = Buffer.from(bytes.subarray(at, end));
    const stored = page.readUInt32LE(22);
    page.writeUInt32LE(0, 22);
    pages.push({
      flags: bytes[at + 5],
      granule: bytes.readBigInt64LE(at + 6),
      sequence: bytes.readUInt32LE(at + 18),
      crcOk: referenceOggCrc(page) === stored,
    });
    at = end;
  }
  return pages;
}

/** Sign changes per second in the middle of the decoded audio: ≈ 2 × a pure tone's frequency. */
function toneFrequency(samples: Float32Array, sampleRate: number): number {
  const from = Math.floor(samples.length * 0.25);
  const to = Math.floor(samples.length * 0.75);
  let crossings = 0;
  for (let i = from + 1; i < to; i++) {
    if (samples[i - 1] < 0 !== samples[i] < 0) crossings++;
  }
  return crossings / 2 / ((to - from) / sampleRate);
}

function rms(samples: Float32Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}

interface Recorded {
  mimeType: string;
  webm: string;
  ogg: string;
  webmSeconds: number;
  oggSeconds: number;
}

/**
 * Runs in the page (a string: this project type-checks without the DOM library). Records
 * 1.5 s of a 440 Hz oscillator with MediaRecorder, remuxes it with the page's WebmToOgg, and
 * decodes both files with Chromium's own decoders; bytes come back base64.
 */
const RECORD_OSCILLATOR = `(async () => {
  const ctx = new AudioContext({ sampleRate: 48000 });
  await ctx.resume();
  const osc = ctx.createOscillator();
  osc.frequency.value = 440;
  const gain = ctx.createGain();
  gain.gain.value = 0.5;
  const dest = ctx.createMediaStreamDestination();
  osc.connect(gain).connect(dest);
  osc.start();
  const recorder = new MediaRecorder(dest.stream, { mimeType: 'audio/webm;codecs=opus' });
  const chunks = [];
  recorder.ondataavailable = (e) => chunks.push(e.data);
  const stopped = new Promise((resolve) => (recorder.onstop = resolve));
  recorder.start();
  await new Promise((resolve) => setTimeout(resolve, 1500)); // the recording's length
  recorder.stop();
  await stopped;
  osc.stop();
  const webm = new Uint8Array(await new Blob(chunks).arrayBuffer());
  const ogg = window.WebmToOgg.webmOpusToOgg(webm, { serial: 0x1234 });
  const webmDecoded = await ctx.decodeAudioData(webm.slice().buffer);
  const oggDecoded = await ctx.decodeAudioData(ogg.slice().buffer);
  const b64 = (bytes) => {
    let s = '';
    for (const x of bytes) s += String.fromCharCode(x);
    return btoa(s);
  };
  return {
    mimeType: recorder.mimeType,
    webm: b64(webm),
    ogg: b64(ogg),
    webmSeconds: webmDecoded.duration,
    oggSeconds: oggDecoded.duration,
  };
})()`;

/**
 * Voice notes from the simulator in a real Chromium. Chromium's MediaRecorder records only
 * WebM/Opus (checked below); WhatsApp delivers Ogg/Opus and the app decodes only that, so
 * the page remuxes (public/simulator/webm-to-ogg.js). Checked against Chromium's own WebM
 * decoder, the server's Ogg probe and WASM decoder, and a CRC written here.
 */
(chromiumAvailable() ? describe : describe.skip)('voice notes in a browser (Chromium)', () => {
  let graph: FakeGraphApi;
  let llm: FakeOpenRouter;
  let t: RunningApp;
  let db: DataSource;
  let browser: Browser;
  let micBrowser: Browser;
  let speechDir: string;
  let speechWav: string;
  let speechSeconds: number;
  /** The WebM Chromium recorded in the oscillator test, reused as an uploaded file. */
  let recordedWebm: Buffer | undefined;

  beforeAll(async () => {
    // The fake microphone plays this file: Spanish speech by espeak-ng, 48 kHz mono.
    speechDir = mkdtempSync(join(tmpdir(), 'sim-voice-'));
    const raw = join(speechDir, 'raw.wav');
    speechWav = join(speechDir, 'speech.wav');
    execFileSync('espeak-ng', ['-v', 'es', '-w', raw, 'vendí dos cocas']);
    execFileSync('sox', [raw, '-r', '48000', '-c', '1', '-b', '16', speechWav]);
    speechSeconds = Number(execFileSync('soxi', ['-D', speechWav], { encoding: 'utf8' }).trim());

    db = await openDb();
    graph = await startFakeGraphApi();
    llm = await startFakeOpenRouter();
    const ownerWaId = newWaId();
    const phoneNumberId = newPhoneNumberId();
    const seeded = await seedDemo(db, { ownerWaId, phoneNumberId, employeeWaId: newWaId() });
    const backend = fakesBackend({
      shop: {
        tenantId: seeded.tenantId,
        name: 'Abarrotes Doña Lupita',
        phoneNumberId,
        displayPhoneNumber: '+52 55 1234 5678',
        people: [{ waId: ownerWaId, name: 'Lupita', role: 'owner' }],
      },
      graph,
      llm,
      defaultModel: DEFAULT_MODEL,
    });
    t = await startApp(
      {
        DEMO_MODE: 'true',
        WHATSAPP_API_BASE_URL: graph.baseUrl,
        WHATSAPP_MEDIA_HOSTS: graph.baseUrl,
        OPENROUTER_BASE_URL: llm.baseUrl,
        LLM_MODEL_DEFAULT: DEFAULT_MODEL,
        LLM_BACKOFF_BASE_MS: '10',
        LLM_BACKOFF_MAX_MS: '40',
        LLM_TIMEOUT_MS: '3000',
      },
      'all',
      { demo: backend },
    );
    await sellPackage(t, seeded.tenantId, 'pro');
    // An oscillator needs no gesture to play into a MediaStreamDestination with this policy.
    browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
    micBrowser = await launchChromium([
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${speechWav}`,
      '--autoplay-policy=no-user-gesture-required',
    ]);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await micBrowser?.close();
    await t?.close();
    await graph?.close();
    await llm?.close();
    await db?.destroy();
    if (speechDir) rmSync(speechDir, { recursive: true, force: true });
  });

  async function openSimulator(b: Browser): Promise<{ page: Page; errors: string[] }> {
    const page = await b.newPage({ viewport: { width: 1100, height: 800 } });
    const errors = collectPageErrors(page);
    await page.goto(`${t.url}/simulator/`);
    await page
      .locator('#mode-note')
      .getByText(/Sin conexión|OpenRouter/)
      .waitFor();
    return { page, errors };
  }

  it("Chromium's MediaRecorder cannot record Ogg/Opus, only WebM/Opus (why the page remuxes)", async () => {
    const { page } = await openSimulator(browser);
    const supported = await page.evaluate<boolean[]>(
      `['audio/ogg;codecs=opus', 'audio/webm;codecs=opus'].map((t) => MediaRecorder.isTypeSupported(t))`,
    );
    // If a future Chromium records Ogg, the page uses it directly (simulator.js picks it
    // first) and this expectation is the one to update.
    expect(supported).toEqual([false, true]);
    await page.close();
  });

  it('remuxes a WebM that Chromium recorded from a 440 Hz oscillator into Ogg/Opus the server decodes, same length and tone', async () => {
    const { page, errors } = await openSimulator(browser);
    const recorded = await page.evaluate<Recorded>(RECORD_OSCILLATOR);
    const webm = Buffer.from(recorded.webm, 'base64');
    const ogg = Buffer.from(recorded.ogg, 'base64');
    recordedWebm = webm;
    expect(recorded.mimeType).toMatch(/^audio\/webm/);
    expect(webm.readUInt32BE(0)).toBe(0x1a45dfa3); // EBML
    expect(recorded.webmSeconds).toBeGreaterThan(1);

    // The same script under Node gives the same bytes (one implementation, two hosts).
    expect(Buffer.from(webmOpusToOgg(new Uint8Array(webm), { serial: 0x1234 }))).toEqual(ogg);

    // Well-formed Ogg: OpusHead first (BOS), OpusTags, audio; CRCs right; granules rising.
    const pages = oggPages(ogg);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.every((p) => p.crcOk)).toBe(true);
    expect(pages.map((p) => p.sequence)).toEqual(pages.map((_, i) => i));
    expect(pages[0].flags).toBe(0x02);
    expect(pages.at(-1)!.flags).toBe(0x04);
    expect(ogg.toString('latin1', 28, 36)).toBe('OpusHead');
    const granules = pages.slice(2).map((p) => p.granule);
    expect([...granules].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(granules);

    // The server's probe and decoder agree with Chromium's decoding of the original WebM.
    const info = probeOggOpus(ogg);
    expect(info.channels).toBeGreaterThanOrEqual(1);
    expect(Math.abs(info.durationSeconds - recorded.webmSeconds)).toBeLessThan(0.03);
    expect(Math.abs(recorded.oggSeconds - recorded.webmSeconds)).toBeLessThan(0.03);
    const decoded = await decodeOggOpus(ogg, { maxSeconds: 60 });
    expect(Math.abs(decoded.durationSeconds - recorded.webmSeconds)).toBeLessThan(0.03);
    // The packets kept their order: the tone is still 440 Hz.
    expect(Math.abs(toneFrequency(decoded.samples, decoded.sampleRate) - 440)).toBeLessThan(10);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('records with the mic button (fake microphone playing espeak-ng speech): the app gets Ogg/Opus, the transcription is accepted, "Entendí:"', async () => {
    const { page, errors } = await openSimulator(micBrowser);
    const mediaBefore = new Set(graph.media.keys());
    const heard = llm.audio.length;
    llm.setTranscriber(() => 'Vendí dos cocas.');
    try {
      const inBefore = await page.locator('[data-testid=msg-in]').count();
      await page.click('#mic');
      await page.locator('#mic.recording').waitFor();
      // Record a little longer than the speech (the input's length, not an assertion).
      await page.waitForTimeout(Math.ceil(speechSeconds * 1000) + 500);
      await page.click('#mic');
      await page.locator('#mic:not(.recording)').waitFor();
      const out = page.locator('[data-testid=msg-out]').last();
      await out.locator('audio').waitFor();
      await eventually(async () => (await out.getAttribute('data-wamid')) !== null, 10_000, 'sent');
      await page.locator('[data-testid=msg-in]').nth(inBefore).waitFor({ timeout: 30_000 });

      // What the app downloaded from the (fake) Graph API: an Ogg/Opus voice note.
      const ids = [...graph.media.keys()].filter((id) => !mediaBefore.has(id));
      expect(ids).toHaveLength(1);
      const media = graph.media.get(ids[0])!;
      expect(media.mimeType).toBe('audio/ogg; codecs=opus');
      const bytes = Buffer.from(media.bytes);
      expect(bytes.toString('latin1', 0, 4)).toBe('OggS');
      expect(oggPages(bytes).every((p) => p.crcOk)).toBe(true);
      const info = probeOggOpus(bytes);
      expect(info.durationSeconds).toBeGreaterThan(speechSeconds * 0.8);
      // It carries the speech, not silence.
      const decoded = await decodeOggOpus(bytes, { maxSeconds: 60 });
      expect(rms(decoded.samples)).toBeGreaterThan(0.01);
      const wamid = await out.getAttribute('data-wamid');
      const [row]: { type: string }[] = await db.query(
        `SELECT type FROM inbound_messages WHERE wamid = $1`,
        [wamid],
      );
      expect(row.type).toBe('audio');

      // The fake OpenRouter's check accepted the WAV the server made of it, as long as the note.
      const audio = llm.audio.slice(heard);
      expect(audio).toHaveLength(1);
      expect(audio[0]).toMatchObject({ problem: null, sampleRate: 16_000, channels: 1 });
      expect(Math.abs((audio[0].seconds ?? 0) - info.durationSeconds)).toBeLessThan(0.2);

      const reply = await page.locator('[data-testid=msg-in]').nth(inBefore).innerText();
      expect(reply.startsWith('Entendí:')).toBe(true);
      expect(reply).toContain('Vendí dos cocas.');
      await screenshot(page, 'simulator-voice-note');
    } finally {
      llm.setTranscriber();
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('an uploaded WebM file (📎) is remuxed too: the app gets Ogg/Opus and answers "Entendí:"', async () => {
    expect(recordedWebm).toBeDefined();
    const { page, errors } = await openSimulator(browser);
    const mediaBefore = new Set(graph.media.keys());
    const heard = llm.audio.length;
    const inBefore = await page.locator('[data-testid=msg-in]').count();
    await page.locator('#audio-file').setInputFiles({
      name: 'nota.webm',
      mimeType: 'audio/webm',
      buffer: recordedWebm!,
    });
    await page.locator('[data-testid=msg-in]').nth(inBefore).waitFor({ timeout: 30_000 });
    const ids = [...graph.media.keys()].filter((id) => !mediaBefore.has(id));
    expect(ids).toHaveLength(1);
    const media = graph.media.get(ids[0])!;
    expect(media.mimeType).toBe('audio/ogg; codecs=opus');
    const bytes = Buffer.from(media.bytes);
    expect(bytes.toString('latin1', 0, 4)).toBe('OggS');
    const audio = llm.audio.slice(heard);
    expect(audio).toHaveLength(1);
    expect(audio[0].problem).toBeNull();
    expect(Math.abs((audio[0].seconds ?? 0) - probeOggOpus(bytes).durationSeconds)).toBeLessThan(
      0.2,
    );
    // The fake's default transcript says how much audio it heard.
    const reply = await page.locator('[data-testid=msg-in]').nth(inBefore).innerText();
    expect(reply.startsWith('Entendí:')).toBe(true);
    expect(reply).toContain('Nota de voz de');
    expect(errors).toEqual([]);
    await page.close();
  });
});

import { startFakeOpenRouter, type FakeOpenRouter } from '../../dev/fakes/fake-openrouter';
import { parseEnv } from '../../src/config/env.schema';
import type { LlmAttemptRecord } from '../../src/llm/llm.types';
import {
  prepareVoiceNote,
  type PreparedVoiceNote,
} from '../../src/transcription/prepare-voice-note';
import { TranscriptionClient } from '../../src/transcription/transcription.client';
import { TranscriptionFailedError } from '../../src/transcription/transcription-error';
import { transcriptionOptionsFromConfig } from '../../src/transcription/transcription-options';
import {
  estimateTranscriptionTokens,
  TRANSCRIPTION_INSTRUCTION,
} from '../../src/transcription/transcription-tokens';
import { speak } from './support/voice-notes';

/**
 * TranscriptionClient against the fake OpenRouter, with real voice notes: the OpenRouter
 * path (chat completions + input_audio) and the OpenAI-compatible whisper path (multipart
 * /audio/transcriptions), retries, timeouts and the error taxonomy.
 */
describe('TranscriptionClient', () => {
  let fake: FakeOpenRouter;
  let note: PreparedVoiceNote;
  let noteSeconds: number;
  const waits: number[] = [];
  const records: LlmAttemptRecord[] = [];

  beforeAll(async () => {
    fake = await startFakeOpenRouter();
    const spoken = speak('vendí dos cocas');
    noteSeconds = spoken.seconds;
    note = await prepareVoiceNote(spoken.ogg, 'audio/ogg; codecs=opus', {
      maxSeconds: 120,
      maxBytes: 16 * 1024 * 1024,
    });
  });
  afterEach(() => {
    fake.reset();
    waits.length = 0;
    records.length = 0;
  });
  afterAll(() => fake.close());

  function client(env: Record<string, string> = {}): TranscriptionClient {
    const config = parseEnv({
      ...process.env,
      OPENROUTER_BASE_URL: fake.baseUrl,
      OPENROUTER_API_KEY: 'sk-or-platform',
      LLM_BACKOFF_BASE_MS: '200',
      LLM_BACKOFF_MAX_MS: '2000',
      TRANSCRIPTION_ATTEMPTS: '3',
      ...env,
    });
    return new TranscriptionClient({
      ...transcriptionOptionsFromConfig(config),
      // Waits are recorded, not slept: the schedule is asserted, not the wall clock.
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0.5,
      onCall: (r) => records.push(r),
    });
  }

  async function failure(promise: Promise<unknown>): Promise<TranscriptionFailedError> {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TranscriptionFailedError);
    return err as TranscriptionFailedError;
  }

  describe('OpenRouter (default)', () => {
    it('sends the note as a 16 kHz mono WAV input_audio part and returns the transcript', async () => {
      fake.setTranscriber(() => 'Vendí dos cocas.');
      const result = await client().transcribe({
        wav: note.wav,
        durationSeconds: note.durationSeconds,
      });

      // What the fake heard, measured by its own WAV reader.
      expect(fake.audio).toHaveLength(1);
      const heard = fake.audio[0]!;
      expect(heard).toMatchObject({
        endpoint: 'chat',
        format: 'wav',
        audioFormat: 1,
        sampleRate: 16_000,
        channels: 1,
        bitsPerSample: 16,
        problem: null,
      });
      expect(Math.abs(heard.seconds! - noteSeconds)).toBeLessThanOrEqual(0.1);

      const [request] = fake.chatRequests();
      expect(request!.apiKey).toBe('sk-or-platform');
      expect(request!.model).toBe('google/gemini-2.5-flash');
      expect(request!.body).toMatchObject({
        usage: { include: true },
        temperature: 0,
        reasoning: { enabled: false },
        max_tokens: 24 + 2 * 8, // a 1.3 s note: 2 whole seconds of transcript
      });
      const parts = request!.body!.messages![0]!.content as { type: string; text?: string }[];
      expect(parts.map((p) => p.type)).toEqual(['text', 'input_audio']);
      expect(parts[0]!.text).toBe(TRANSCRIPTION_INSTRUCTION);
      expect(parts[0]!.text).toMatch(/^Transcribe literalmente .* español/);

      expect(result).toMatchObject({
        text: 'Vendí dos cocas.',
        model: 'google/gemini-2.5-flash',
        backend: 'openrouter',
        durationSeconds: note.durationSeconds,
        truncated: false,
      });
      expect(result.generationId).toMatch(/^gen-fake-/);
      expect(result.latencyMs).toBeGreaterThanOrEqual(0);
      // The fake's billing, by hand: instruction chars/4 + 4 per message + 32 per audio second;
      // the transcript at chars/4; Gemini 2.5 Flash's catalog prices.
      const prompt =
        Math.ceil(TRANSCRIPTION_INSTRUCTION.length / 4) + 4 + Math.ceil(heard.seconds! * 32);
      const completion = Math.ceil('Vendí dos cocas.'.length / 4);
      expect(result.usage).toEqual({
        promptTokens: prompt,
        completionTokens: completion,
        totalTokens: prompt + completion,
        costUsd: expect.closeTo(prompt * 0.0000003 + completion * 0.0000025, 12),
        estimated: false,
      });
      expect(result.attempts.map((a) => [a.operation, a.outcome, a.keySource])).toEqual([
        ['transcription', 'ok', 'platform'],
      ]);
      expect(records).toEqual(result.attempts);
    });

    it('reserves enough: the estimate covers what the call really used', async () => {
      const long = speak('vendí dos cocas y tres sabritas', { padSeconds: 20 });
      const prepared = await prepareVoiceNote(long.ogg, 'audio/ogg', {
        maxSeconds: 120,
        maxBytes: 16e6,
      });
      fake.setTranscriber(() => 'vendí dos cocas y tres sabritas '.repeat(6).trim());
      for (const n of [note, prepared]) {
        const result = await client().transcribe({
          wav: n.wav,
          durationSeconds: n.durationSeconds,
        });
        expect(result.usage.totalTokens).toBeLessThanOrEqual(
          estimateTranscriptionTokens(n.durationSeconds),
        );
      }
      // Usage follows the length: ~21.5 s of audio bills ~16× the audio tokens of 1.3 s.
      const [short, longer] = fake.audio;
      expect(longer!.seconds! / short!.seconds!).toBeGreaterThan(15);
    });

    it("uses a shop's own key instead of the platform's", async () => {
      await client().transcribe({
        wav: note.wav,
        durationSeconds: note.durationSeconds,
        apiKey: 'sk-or-shop',
        tenantId: 'tenant-1',
      });
      expect(fake.chatRequests()[0]!.apiKey).toBe('sk-or-shop');
      expect(records[0]).toMatchObject({ keySource: 'tenant', tenantId: 'tenant-1' });
    });

    it('retries 429 and 502 with full-jitter backoff, then transcribes', async () => {
      fake.enqueue({ status: 429 }, { status: 502 });
      fake.setTranscriber(() => 'vendí dos cocas');
      const result = await client().transcribe({
        wav: note.wav,
        durationSeconds: note.durationSeconds,
      });
      expect(result.text).toBe('vendí dos cocas');
      expect(result.attempts.map((a) => a.outcome)).toEqual([
        'rate_limited',
        'provider_unavailable',
        'ok',
      ]);
      // random 0.5 × min(2000, 200 × 2^(retry−1)): 100 then 200.
      expect(waits).toEqual([100, 200]);
      expect(fake.chatRequests()).toHaveLength(3);
    });

    it('waits out a short Retry-After, and gives up at once on a long one', async () => {
      fake.enqueue({ status: 429, retryAfter: 1 });
      await client().transcribe({ wav: note.wav, durationSeconds: note.durationSeconds });
      expect(waits).toEqual([1000]);

      waits.length = 0;
      fake.enqueue({ status: 429, retryAfter: 60 });
      const err = await failure(
        client().transcribe({ wav: note.wav, durationSeconds: note.durationSeconds }),
      );
      expect(err.kind).toBe('rate_limited');
      expect(err.attempts).toHaveLength(1);
      expect(waits).toEqual([]);
    });

    it('stops after TRANSCRIPTION_ATTEMPTS retryable failures', async () => {
      fake.on(() => true, { status: 503 });
      const err = await failure(
        client({ TRANSCRIPTION_ATTEMPTS: '2' }).transcribe({
          wav: note.wav,
          durationSeconds: note.durationSeconds,
        }),
      );
      expect(err.kind).toBe('no_provider');
      expect(err.message).toMatch(/^Transcription failed: no_provider \(503\) after 2 attempt/);
      expect(fake.chatRequests()).toHaveLength(2);
    });

    it.each([
      [400, 'bad_request', false],
      [401, 'auth', true],
      [402, 'no_credits', true],
      [403, 'forbidden', false],
    ])('does not retry a %i (%s)', async (status, kind, alert) => {
      fake.enqueue({ status });
      const err = await failure(
        client().transcribe({ wav: note.wav, durationSeconds: note.durationSeconds }),
      );
      expect(err).toMatchObject({ kind, status, alert, retryable: false });
      expect(fake.chatRequests()).toHaveLength(1);
    });

    it('a reply slower than TRANSCRIPTION_TIMEOUT_MS is a timeout', async () => {
      fake.on(() => true, { delayMs: 1_500 });
      const err = await failure(
        client({ TRANSCRIPTION_TIMEOUT_MS: '150', TRANSCRIPTION_ATTEMPTS: '1' }).transcribe({
          wav: note.wav,
          durationSeconds: note.durationSeconds,
        }),
      );
      expect(err.kind).toBe('timeout');
    });

    it('an error inside a 200 body is a failed attempt, and is retried', async () => {
      fake.enqueue({ bodyError: { code: 502, message: 'Upstream audio decoder failed' } });
      const result = await client().transcribe({
        wav: note.wav,
        durationSeconds: note.durationSeconds,
      });
      expect(result.attempts.map((a) => a.outcome)).toEqual(['provider_error', 'ok']);
      expect(result.attempts[0]!.providerMessage).toBe('[502] Upstream audio decoder failed');
    });

    it('a dropped connection is a network error, and is retried', async () => {
      fake.enqueue({ drop: true });
      const result = await client().transcribe({
        wav: note.wav,
        durationSeconds: note.durationSeconds,
      });
      expect(result.attempts.map((a) => a.outcome)).toEqual(['network', 'ok']);
    });

    it('hearing no words is an answer (empty text), not an error', async () => {
      fake.enqueue({ content: '' }, { content: '[silencio]' });
      for (let i = 0; i < 2; i++) {
        const result = await client().transcribe({
          wav: note.wav,
          durationSeconds: note.durationSeconds,
        });
        expect(result.text).toBe('');
        expect(result.attempts).toHaveLength(1);
      }
    });

    it('flags a transcript cut at max_tokens', async () => {
      fake.enqueue({ content: 'vendí dos cocas '.repeat(40) });
      const result = await client().transcribe({
        wav: note.wav,
        durationSeconds: note.durationSeconds,
      });
      expect(result.truncated).toBe(true);
      expect(result.usage.completionTokens).toBe(24 + 2 * 8);
    });

    it('a caller that cancels gets "aborted" and no more attempts', async () => {
      const controller = new AbortController();
      fake.on(() => true, { delayMs: 1_000 });
      const pending = client().transcribe({
        wav: note.wav,
        durationSeconds: note.durationSeconds,
        signal: controller.signal,
      });
      setTimeout(() => controller.abort(), 50);
      const err = await failure(pending);
      expect(err.kind).toBe('aborted');
      expect(fake.chatRequests()).toHaveLength(1);
    });
  });

  describe('OpenAI-compatible server (TRANSCRIPTION_BASE_URL)', () => {
    const whisper = () => ({
      TRANSCRIPTION_BASE_URL: fake.baseUrl,
      TRANSCRIPTION_MODEL: 'whisper-1',
    });

    it('uploads the WAV as multipart to /audio/transcriptions, with no key when none is set', async () => {
      fake.setTranscriber(() => ' vendí dos cocas ');
      const result = await client(whisper()).transcribe({
        wav: note.wav,
        durationSeconds: note.durationSeconds,
        apiKey: 'sk-or-shop', // an OpenRouter key: never sent to another server
      });

      expect(fake.chatRequests()).toEqual([]);
      const [request] = fake.transcriptionRequests();
      expect(request!.apiKey).toBeNull();
      expect(request!.headers.authorization).toBeUndefined();
      expect(request!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
      const heard = fake.audio[0]!;
      expect(heard).toMatchObject({
        endpoint: 'transcriptions',
        model: 'whisper-1',
        format: 'wav',
        sampleRate: 16_000,
        channels: 1,
        bitsPerSample: 16,
        fields: { model: 'whisper-1', language: 'es', response_format: 'json', temperature: '0' },
      });
      expect(Math.abs(heard.seconds! - noteSeconds)).toBeLessThanOrEqual(0.1);

      expect(result).toMatchObject({
        text: 'vendí dos cocas',
        model: 'whisper-1',
        backend: 'openai-compatible',
        truncated: false,
      });
      // The server reported seconds, not tokens: an estimate, flagged, within the reservation.
      expect(result.usage.estimated).toBe(true);
      expect(result.usage.costUsd).toBeNull();
      expect(result.usage.totalTokens).toBeLessThanOrEqual(
        estimateTranscriptionTokens(note.durationSeconds),
      );
      expect(result.attempts[0]!.keySource).toBe('platform');
    });

    it('sends TRANSCRIPTION_API_KEY when set', async () => {
      fake.setValidKeys(['sk-whisper']);
      await client({ ...whisper(), TRANSCRIPTION_API_KEY: 'sk-whisper' }).transcribe({
        wav: note.wav,
        durationSeconds: note.durationSeconds,
      });
      expect(fake.transcriptionRequests()[0]!.apiKey).toBe('sk-whisper');
    });

    it("retries the server's 503, and does not retry its 401", async () => {
      fake.enqueue({ status: 503 });
      const result = await client(whisper()).transcribe({
        wav: note.wav,
        durationSeconds: note.durationSeconds,
      });
      expect(result.attempts.map((a) => a.outcome)).toEqual(['no_provider', 'ok']);

      fake.reset();
      fake.setValidKeys(['sk-whisper']);
      const err = await failure(
        client({ ...whisper(), TRANSCRIPTION_API_KEY: 'wrong' }).transcribe({
          wav: note.wav,
          durationSeconds: note.durationSeconds,
        }),
      );
      expect(err.kind).toBe('auth');
      expect(fake.transcriptionRequests()).toHaveLength(1);
    });
  });
});

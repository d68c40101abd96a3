import OpenAI, { APIError, toFile } from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { startFakeOpenRouter, type FakeOpenRouter } from '../../dev/fakes/fake-openrouter';
import { speak } from './support/voice-notes';

/**
 * The fake OpenRouter's audio side: it checks the WAV it is sent (its own RIFF reader),
 * records what it heard, scripts the transcript and bills by audio length, for chat
 * requests with input_audio parts and for multipart /audio/transcriptions uploads.
 */
describe('fake OpenRouter: audio', () => {
  let fake: FakeOpenRouter;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await startFakeOpenRouter();
    client = new OpenAI({ apiKey: 'sk-or-test', baseURL: fake.baseUrl, maxRetries: 0 });
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  function chatWithAudio(data: string, format = 'wav') {
    const body = {
      model: 'google/gemini-2.5-flash',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Transcribe' },
            { type: 'input_audio', input_audio: { data, format } },
          ],
        },
      ],
    } as ChatCompletionCreateParamsNonStreaming;
    return client.chat.completions.create(body);
  }

  async function rejected(promise: Promise<unknown>): Promise<APIError> {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(APIError);
    return err as APIError;
  }

  it('accepts a 16 kHz mono 16-bit WAV, records what it heard and bills by its length', async () => {
    const wav = pcmWav({ sampleRate: 16_000, channels: 1, bits: 16, frames: 40_000 }); // 2.5 s
    const res = await chatWithAudio(wav.toString('base64'));

    expect(fake.audio).toEqual([
      {
        endpoint: 'chat',
        model: 'google/gemini-2.5-flash',
        format: 'wav',
        bytes: 44 + 80_000,
        audioFormat: 1,
        sampleRate: 16_000,
        channels: 1,
        bitsPerSample: 16,
        seconds: 2.5,
        problem: null,
        fields: {},
      },
    ]);
    expect(res.choices[0]!.message.content).toBe('Nota de voz de 2.5 segundos.');
    // Worked out by hand: "Transcribe" = 10 chars → 3 tokens, + 4 per message, + 2.5 s × 32.
    expect(res.usage).toMatchObject({ prompt_tokens: 3 + 4 + 80 });
    expect(res.usage).toHaveProperty('prompt_tokens_details.audio_tokens', 80);
    // "Nota de voz de 2.5 segundos." = 28 chars → 7 tokens; Gemini 2.5 Flash prices in the catalog.
    expect(res.usage!.completion_tokens).toBe(7);
    const cost = (res.usage as unknown as { cost: number }).cost;
    expect(cost).toBeCloseTo(87 * 0.0000003 + 7 * 0.0000025, 12);
  });

  it('bills twice the audio tokens for twice the audio', async () => {
    const short = await chatWithAudio(
      pcmWav({ sampleRate: 16_000, channels: 1, bits: 16, frames: 16_000 }).toString('base64'),
    );
    const long = await chatWithAudio(
      pcmWav({ sampleRate: 16_000, channels: 1, bits: 16, frames: 32_000 }).toString('base64'),
    );
    expect(short.usage).toHaveProperty('prompt_tokens_details.audio_tokens', 32);
    expect(long.usage).toHaveProperty('prompt_tokens_details.audio_tokens', 64);
  });

  it('reads a WAV written by sox, not only its own kind', async () => {
    const note = speak('vendí dos cocas');
    await chatWithAudio(note.reference16k.toString('base64'));
    expect(fake.audio[0]).toMatchObject({ sampleRate: 16_000, channels: 1, problem: null });
    expect(Math.abs(fake.audio[0]!.seconds! - note.seconds)).toBeLessThanOrEqual(0.01);
  });

  it.each([
    ['48 kHz', pcmWav({ sampleRate: 48_000, channels: 1, bits: 16, frames: 4800 }), /16000 Hz/],
    ['stereo', pcmWav({ sampleRate: 16_000, channels: 2, bits: 16, frames: 1600 }), /1 channel/],
    ['8-bit', pcmWav({ sampleRate: 16_000, channels: 1, bits: 8, frames: 1600 }), /16-bit/],
    [
      'float samples',
      pcmWav({ sampleRate: 16_000, channels: 1, bits: 16, frames: 1600, audioFormat: 3 }),
      /not integer PCM/,
    ],
    ['no samples', pcmWav({ sampleRate: 16_000, channels: 1, bits: 16, frames: 0 }), /no samples/],
    ['a data chunk longer than the file', truncatedData(), /runs past the end|RIFF size/],
    ['not a WAV', Buffer.from('ID3\u0004 this is an mp3, honest'), /RIFF/],
  ])('refuses %s with a 400 and records why', async (_what, wav, why) => {
    const err = await rejected(chatWithAudio(wav.toString('base64')));
    expect(err.status).toBe(400);
    expect(err.error).toMatchObject({
      code: 400,
      message: expect.stringMatching(/^Invalid input_audio/),
    });
    expect(fake.audio[0]!.problem).toMatch(why);
  });

  it('refuses audio that is not base64 or not declared as wav', async () => {
    expect((await rejected(chatWithAudio('@@not base64@@'))).status).toBe(400);
    const wav = pcmWav({ sampleRate: 16_000, channels: 1, bits: 16, frames: 1600 });
    expect((await rejected(chatWithAudio(wav.toString('base64'), 'mp3'))).status).toBe(400);
    expect(fake.audio.map((a) => a.problem)).toEqual([
      'input_audio.data is not base64',
      'format "mp3" is not wav',
    ]);
  });

  it('lets a test script the transcript, by function or by rule', async () => {
    const wav = pcmWav({ sampleRate: 16_000, channels: 1, bits: 16, frames: 1600 }).toString(
      'base64',
    );
    fake.setTranscriber((audio) => `oí ${audio.seconds} s`);
    expect((await chatWithAudio(wav)).choices[0]!.message.content).toBe('oí 0.1 s');
    fake.enqueue({ content: 'vendí dos cocas' });
    expect((await chatWithAudio(wav)).choices[0]!.message.content).toBe('vendí dos cocas');
    fake.enqueue({ status: 429, retryAfter: 2 });
    const err = await rejected(chatWithAudio(wav));
    expect(err.status).toBe(429);
    expect(err.headers?.get('retry-after')).toBe('2');
  });

  describe('POST /audio/transcriptions (OpenAI-compatible)', () => {
    async function upload(wav: Buffer, model = 'whisper-1', key: string | null = null) {
      const sdk = new OpenAI({
        apiKey: key ?? 'unused',
        baseURL: fake.baseUrl,
        maxRetries: 0,
        ...(key ? {} : { defaultHeaders: { Authorization: null } }),
      });
      return sdk.audio.transcriptions.create({
        file: await toFile(wav, 'note.wav', { type: 'audio/wav' }),
        model,
        language: 'es',
      });
    }

    it('reads the multipart file and fields and answers {text, usage}', async () => {
      const wav = pcmWav({ sampleRate: 16_000, channels: 1, bits: 16, frames: 24_000 });
      const res = await upload(wav);
      expect(res).toEqual({
        text: 'Nota de voz de 1.5 segundos.',
        usage: { type: 'duration', seconds: 2 },
      });
      expect(fake.audio[0]).toMatchObject({
        endpoint: 'transcriptions',
        model: 'whisper-1',
        format: 'wav',
        sampleRate: 16_000,
        channels: 1,
        bitsPerSample: 16,
        seconds: 1.5,
        fields: { model: 'whisper-1', language: 'es' },
      });
      const [request] = fake.transcriptionRequests();
      expect(request!.apiKey).toBeNull();
      expect(request!.headers.authorization).toBeUndefined();
    });

    it("refuses a file that is not the expected WAV with OpenAI's error body", async () => {
      const wav = pcmWav({ sampleRate: 8_000, channels: 1, bits: 16, frames: 800 });
      const err = await rejected(upload(wav));
      expect(err.status).toBe(400);
      expect(err.error).toMatchObject({
        message: expect.stringMatching(/^Invalid file: expected 16000 Hz/),
        type: 'invalid_request_error',
      });
    });

    it('follows scripted rules and, when keys are set, wants one', async () => {
      const wav = pcmWav({ sampleRate: 16_000, channels: 1, bits: 16, frames: 1600 });
      fake.enqueue({ status: 503 });
      expect((await rejected(upload(wav))).status).toBe(503);
      fake.enqueue({ content: 'llegaron 24 cocas' });
      expect((await upload(wav)).text).toBe('llegaron 24 cocas');
      fake.setValidKeys(['sk-whisper']);
      expect((await rejected(upload(wav))).status).toBe(401);
      expect((await upload(wav, 'whisper-1', 'sk-whisper')).text).toMatch(/^Nota de voz/);
    });
  });
});

/** A WAV written field by field (independent of the code under test); samples are a ramp. */
function pcmWav(o: {
  sampleRate: number;
  channels: number;
  bits: 8 | 16;
  frames: number;
  audioFormat?: number;
}): Buffer {
  const blockAlign = (o.channels * o.bits) / 8;
  const dataBytes = o.frames * blockAlign;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(o.audioFormat ?? 1, 20);
  header.writeUInt16LE(o.channels, 22);
  header.writeUInt32LE(o.sampleRate, 24);
  header.writeUInt32LE(o.sampleRate * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(o.bits, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(dataBytes, 40);
  const data = Buffer.alloc(dataBytes);
  for (let i = 0; i < dataBytes; i++) data[i] = i % 251;
  return Buffer.concat([header, data]);
}

/** The header promises more samples than follow (RIFF size kept consistent with the file). */
function truncatedData(): Buffer {
  const wav = pcmWav({ sampleRate: 16_000, channels: 1, bits: 16, frames: 1600 });
  wav.writeUInt32LE(3200 * 2, 40);
  return wav;
}

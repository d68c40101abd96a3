import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { startFakeGraphApi, type FakeGraphApi } from '../../dev/fakes/fake-graph-api';
import { startFakeOpenRouter, type FakeOpenRouter } from '../../dev/fakes/fake-openrouter';
import { ConfigModule } from '../../src/config/config.module';
import { parseEnv } from '../../src/config/env.schema';
import { AudioError } from '../../src/transcription/audio-error';
import { estimateTranscriptionTokens } from '../../src/transcription/transcription-tokens';
import { TranscriptionModule } from '../../src/transcription/transcription.module';
import { VoiceNoteService } from '../../src/transcription/voice-note.service';
import { GraphApiError } from '../../src/whatsapp/graph-api.errors';
import { speak } from './support/voice-notes';

/**
 * The building blocks wired by Nest, end to end against both fakes: a voice note's media id
 * → Graph download → WAV → transcript. A refused note never reaches OpenRouter.
 */
describe('VoiceNoteService', () => {
  const TOKEN = 'voice-token';
  let graph: FakeGraphApi;
  let llm: FakeOpenRouter;
  let voiceNotes: VoiceNoteService;
  let close: () => Promise<void>;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    graph = await startFakeGraphApi({ accessToken: TOKEN });
    llm = await startFakeOpenRouter();
    const config = parseEnv({
      ...process.env,
      WHATSAPP_ACCESS_TOKEN: TOKEN,
      WHATSAPP_API_BASE_URL: graph.baseUrl,
      WHATSAPP_MEDIA_HOSTS: graph.baseUrl,
      OPENROUTER_BASE_URL: llm.baseUrl,
      OPENROUTER_API_KEY: 'sk-or-platform',
      AUDIO_MAX_SECONDS: '30',
    });
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config), TranscriptionModule],
    }).compile();
    voiceNotes = moduleRef.get(VoiceNoteService);
    close = () => moduleRef.close();
  });
  afterEach(() => {
    graph.reset();
    graph.media.clear();
    llm.reset();
  });
  afterAll(async () => {
    await close();
    await graph.close();
    await llm.close();
  });

  it('downloads a voice note, prepares it and transcribes it', async () => {
    const spoken = speak('vendí dos cocas');
    graph.media.set('1019433874424562', { bytes: spoken.ogg, mimeType: 'audio/ogg; codecs=opus' });
    llm.setTranscriber(() => 'Vendí dos cocas');

    const note = await voiceNotes.fetch('1019433874424562');
    expect(Math.abs(note.durationSeconds - spoken.seconds)).toBeLessThanOrEqual(0.1);
    expect(voiceNotes.tokensToReserve(note)).toBe(
      estimateTranscriptionTokens(note.durationSeconds),
    );
    const result = await voiceNotes.transcribe(note, { apiKey: 'sk-or-shop', tenantId: 't1' });

    expect(result.text).toBe('Vendí dos cocas');
    expect(graph.requests.map((r) => r.authorization)).toEqual([
      `Bearer ${TOKEN}`,
      `Bearer ${TOKEN}`,
    ]);
    expect(llm.chatRequests()[0]!.apiKey).toBe('sk-or-shop');
    expect(llm.audio[0]).toMatchObject({ sampleRate: 16_000, channels: 1, bitsPerSample: 16 });
    expect(result.usage.totalTokens).toBeLessThanOrEqual(voiceNotes.tokensToReserve(note));
  });

  it('refuses a note over AUDIO_MAX_SECONDS before any model is called', async () => {
    graph.media.set('long', {
      bytes: speak('vendí dos cocas', { padSeconds: 35 }).ogg,
      mimeType: 'audio/ogg',
    });
    const err = await voiceNotes.fetch('long').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AudioError);
    expect((err as AudioError).kind).toBe('too_long');
    expect(llm.requests).toEqual([]);
  });

  it('refuses media on a host that is not allowed before downloading or transcribing', async () => {
    graph.media.set('elsewhere', {
      bytes: speak('vendí dos cocas').ogg,
      mimeType: 'audio/ogg',
      url: 'https://media.example.com/whatsapp_business/attachments/?mid=elsewhere',
    });
    const err = await voiceNotes.fetch('elsewhere').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphApiError);
    expect((err as GraphApiError).kind).toBe('media_untrusted_url');
    expect(graph.mediaDownloads()).toEqual([]);
    expect(llm.requests).toEqual([]);
  });

  it('an attached file that is not a voice note is an unsupported format', async () => {
    graph.media.set('mp3', { bytes: Buffer.from('ID3 not really'), mimeType: 'audio/mpeg' });
    const err = await voiceNotes.fetch('mp3').catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'unsupported_format' });
  });
});

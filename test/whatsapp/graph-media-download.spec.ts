import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { startFakeGraphApi, type FakeGraphApi } from '../../dev/fakes/fake-graph-api';
import { startRecordingServer, type RecordingServer } from '../../dev/fakes/recording-server';
import { parseEnv } from '../../src/config/env.schema';
import { GraphApiClient } from '../../src/whatsapp/graph-api.client';
import { GraphApiError, type GraphErrorKind } from '../../src/whatsapp/graph-api.errors';
import { speak } from '../transcription/support/voice-notes';

/**
 * GraphApiClient.downloadMedia against the fake Graph API: both GETs carry the bearer, the
 * second only to an allowed media origin, never through a redirect, never past the size cap,
 * and only bytes that match Meta's sha256 come back.
 */
describe('GraphApiClient.downloadMedia', () => {
  const TOKEN = 'media-test-token';
  const BEARER = `Bearer ${TOKEN}`;
  let graph: FakeGraphApi;
  let stranger: RecordingServer;
  /** The fake reached under another host name: same server, a host the allowlist lacks. */
  let otherHost: string;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    graph = await startFakeGraphApi({ accessToken: TOKEN });
    stranger = await startRecordingServer();
    otherHost = graph.baseUrl.replace('127.0.0.1', 'localhost');
  });
  afterEach(() => {
    graph.reset();
    graph.media.clear();
    stranger.requests.length = 0;
  });
  afterAll(async () => {
    await graph.close();
    await stranger.close();
  });

  function client(env: Record<string, string> = {}): GraphApiClient {
    return new GraphApiClient(
      parseEnv({
        ...process.env,
        WHATSAPP_ACCESS_TOKEN: TOKEN,
        WHATSAPP_API_BASE_URL: graph.baseUrl,
        // The explicit opt-in for a local, plain-http media host.
        WHATSAPP_MEDIA_HOSTS: `lookaside.fbsbx.com,${graph.baseUrl}`,
        AUDIO_MAX_BYTES: String(64 * 1024),
        ...env,
      }),
    );
  }

  async function refusal(promise: Promise<unknown>, kind: GraphErrorKind): Promise<GraphApiError> {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GraphApiError);
    expect((err as GraphApiError).kind).toBe(kind);
    expect((err as GraphApiError).retryable).toBe(false);
    return err as GraphApiError;
  }

  /** No request carrying the bearer reached anything but the allowed origin. */
  function expectBearerOnlyAtTheFake(): void {
    expect(stranger.requests).toEqual([]);
    const fakeHost = new URL(graph.baseUrl).host;
    for (const r of graph.requests) expect(r.host).toBe(fakeHost);
  }

  it('looks the media up, then downloads it, with the bearer on both GETs', async () => {
    const note = speak('vendí dos cocas');
    graph.media.set('1019433874424562', { bytes: note.ogg, mimeType: 'audio/ogg; codecs=opus' });

    const media = await client().downloadMedia('1019433874424562');

    expect(media.bytes.equals(note.ogg)).toBe(true);
    expect(media.mimeType).toBe('audio/ogg; codecs=opus');
    expect(media.sha256).toBe(createHash('sha256').update(note.ogg).digest('hex'));
    expect(media.verified).toBe(true);
    expect(graph.requests.map((r) => [r.method, r.path, r.authorization])).toEqual([
      ['GET', '/v21.0/1019433874424562', BEARER],
      ['GET', '/whatsapp_business/attachments/', BEARER],
    ]);
  });

  it('accepts the sha256 in base64 too, as webhooks carry it', async () => {
    const bytes = Buffer.from('not really audio, but bytes all the same');
    const sha256 = createHash('sha256').update(bytes).digest('base64');
    graph.media.set('m1', { bytes, mimeType: 'audio/ogg', sha256 });
    await expect(client().downloadMedia('m1')).resolves.toMatchObject({ verified: true });
  });

  it('without a sha256 from Meta, says the bytes were not verified', async () => {
    graph.media.set('m1', { bytes: Buffer.from('abc'), mimeType: 'audio/ogg', sha256: null });
    await expect(client().downloadMedia('m1')).resolves.toMatchObject({ verified: false });
  });

  it('refuses bytes that do not match the sha256', async () => {
    graph.media.set('m1', {
      bytes: Buffer.from('the real bytes'),
      mimeType: 'audio/ogg',
      sha256: createHash('sha256').update('other bytes').digest('hex'),
    });
    await refusal(client().downloadMedia('m1'), 'media_integrity');
  });

  it('refuses a sha256 it cannot read instead of skipping the check', async () => {
    graph.media.set('m1', { bytes: Buffer.from('abc'), mimeType: 'audio/ogg', sha256: 'fake' });
    await refusal(client().downloadMedia('m1'), 'media_integrity');
  });

  it('by default only trusts https://lookaside.fbsbx.com: a plain-http URL gets no request', async () => {
    graph.media.set('m1', { bytes: Buffer.from('abc'), mimeType: 'audio/ogg' });
    // Production defaults: the fake's http URL is not acceptable.
    const strict = client({ WHATSAPP_MEDIA_HOSTS: 'lookaside.fbsbx.com' });
    const err = await refusal(strict.downloadMedia('m1'), 'media_untrusted_url');
    expect(err.message).toMatch(/is not https/);
    expect(graph.mediaDownloads()).toEqual([]);
  });

  it('a host name entry means https only, even for the same host and port', async () => {
    graph.media.set('m1', { bytes: Buffer.from('abc'), mimeType: 'audio/ogg' });
    const httpsOnly = client({ WHATSAPP_MEDIA_HOSTS: new URL(graph.baseUrl).host });
    await refusal(httpsOnly.downloadMedia('m1'), 'media_untrusted_url');
    expect(graph.mediaDownloads()).toEqual([]);
  });

  it('refuses a URL on a host that is not allowed, and the bearer never goes there', async () => {
    graph.media.set('m1', {
      bytes: Buffer.from('abc'),
      mimeType: 'audio/ogg',
      url: `${stranger.baseUrl.replace('127.0.0.1', 'localhost')}/whatsapp_business/attachments/?mid=m1`,
    });
    graph.media.set('m2', {
      bytes: Buffer.from('abc'),
      mimeType: 'audio/ogg',
      url: graph.mediaUrl('m2').replace(graph.baseUrl, otherHost),
    });
    const err = await refusal(client().downloadMedia('m1'), 'media_untrusted_url');
    expect(err.message).toMatch(/is not https/);
    expect(err.message).not.toContain('mid=');
    await refusal(client().downloadMedia('m2'), 'media_untrusted_url');
    expect(graph.mediaDownloads()).toEqual([]);
    expectBearerOnlyAtTheFake();
  });

  it('an allowed https origin still has to match exactly (no look-alike hosts)', async () => {
    graph.media.set('m1', {
      bytes: Buffer.from('abc'),
      mimeType: 'audio/ogg',
      url: 'https://lookaside.fbsbx.com.evil.example/whatsapp_business/attachments/?mid=m1',
    });
    graph.media.set('m2', {
      bytes: Buffer.from('abc'),
      mimeType: 'audio/ogg',
      url: 'https://user:pass@lookaside.fbsbx.com/whatsapp_business/attachments/?mid=m2',
    });
    await refusal(client().downloadMedia('m1'), 'media_untrusted_url');
    await refusal(client().downloadMedia('m2'), 'media_untrusted_url');
  });

  it.each([301, 302, 307] as const)(
    'a %i from the media URL is an error, never followed',
    async (status) => {
      graph.media.set('m1', {
        bytes: Buffer.from('abc'),
        mimeType: 'audio/ogg',
        redirect: { status, location: `${stranger.baseUrl}/steal?from=m1` },
      });
      const err = await refusal(client().downloadMedia('m1'), 'media_redirect');
      expect(err.status).toBe(status);
      expect(graph.mediaDownloads()).toHaveLength(1);
      expectBearerOnlyAtTheFake();
    },
  );

  it('refuses media whose file_size is over the cap without downloading it', async () => {
    graph.media.set('m1', { bytes: Buffer.alloc(64 * 1024 + 1), mimeType: 'audio/ogg' });
    const err = await refusal(client().downloadMedia('m1'), 'media_too_large');
    expect(err.message).toMatch(/file_size 65537/);
    expect(graph.mediaDownloads()).toEqual([]);
  });

  it('refuses a Content-Length over the cap when the lookup understated the size', async () => {
    graph.media.set('m1', {
      bytes: Buffer.alloc(1000),
      mimeType: 'audio/ogg',
      fileSize: 1000,
      extraBytes: 64 * 1024,
    });
    const err = await refusal(client().downloadMedia('m1'), 'media_too_large');
    expect(err.message).toMatch(/Content-Length 66536/);
  });

  it('aborts a body without Content-Length once it grows past the cap', async () => {
    graph.media.set('m1', {
      bytes: Buffer.alloc(1000),
      mimeType: 'audio/ogg',
      fileSize: 1000,
      chunked: true,
      extraBytes: 4 * 1024 * 1024,
    });
    const err = await refusal(client().downloadMedia('m1'), 'media_too_large');
    expect(err.message).toMatch(/body past \d+ bytes/);
  });

  it('a caller can lower the cap for one download', async () => {
    graph.media.set('m1', { bytes: Buffer.alloc(2000), mimeType: 'audio/ogg' });
    await refusal(client().downloadMedia('m1', { maxBytes: 1999 }), 'media_too_large');
    await expect(client().downloadMedia('m1', { maxBytes: 2000 })).resolves.toBeDefined();
  });

  it('unknown media and a rejected token keep Meta’s error kinds', async () => {
    const unknown = await client()
      .downloadMedia('nope')
      .catch((e: unknown) => e);
    expect(unknown).toMatchObject({ kind: 'invalid_request', status: 400, code: 100 });
    graph.media.set('m1', { bytes: Buffer.from('abc'), mimeType: 'audio/ogg' });
    const expired = await client({ WHATSAPP_ACCESS_TOKEN: 'expired' })
      .downloadMedia('m1')
      .catch((e: unknown) => e);
    expect(expired).toMatchObject({ kind: 'token_expired', status: 401, code: 190 });
  });

  it('retries a 5xx from the Graph API, then succeeds', async () => {
    graph.media.set('m1', { bytes: Buffer.from('abc'), mimeType: 'audio/ogg' });
    graph.failNext({ status: 503, code: 2, scope: 'all' }, 1);
    const media = await client().downloadMedia('m1');
    expect(media.bytes.toString()).toBe('abc');
  });

  it('a download slower than WHATSAPP_MEDIA_TIMEOUT_MS fails as a network error', async () => {
    graph.media.set('m1', { bytes: Buffer.from('abc'), mimeType: 'audio/ogg' });
    graph.delayMs = 400;
    const err = await client({
      WHATSAPP_MEDIA_TIMEOUT_MS: '100',
      WHATSAPP_TIMEOUT_MS: '2000',
    })
      .downloadMedia('m1')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphApiError);
    expect((err as GraphApiError).kind).toBe('network');
  });
});

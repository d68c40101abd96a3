import { createHash } from 'node:crypto';
import { parseEnv } from '../../src/config/env.schema';
import { GraphApiError } from '../../src/whatsapp/graph-api.errors';
import { checkMediaUrl, expectedDigest, parseMediaLookup } from '../../src/whatsapp/media-download';

const META = ['https://lookaside.fbsbx.com'];

function refused(url: string, origins = META): string {
  try {
    checkMediaUrl(url, origins);
  } catch (err) {
    expect(err).toBeInstanceOf(GraphApiError);
    expect((err as GraphApiError).kind).toBe('media_untrusted_url');
    return (err as GraphApiError).message;
  }
  throw new Error(`${url} was accepted`);
}

describe('media URL policy', () => {
  it("accepts Meta's media URLs as the lookup hands them out", () => {
    const url = checkMediaUrl(
      'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1019433874424562&ext=1&hash=x',
      META,
    );
    expect(url.host).toBe('lookaside.fbsbx.com');
    expect(checkMediaUrl('https://LOOKASIDE.fbsbx.com:443/x', META).host).toBe(
      'lookaside.fbsbx.com',
    );
  });

  it.each([
    'http://lookaside.fbsbx.com/x',
    'https://lookaside.fbsbx.com:8443/x',
    'https://lookaside.fbsbx.com.evil.example/x',
    'https://evil.example/lookaside.fbsbx.com/x',
    'https://fbsbx.com/x',
    'https://user:secret@lookaside.fbsbx.com/x',
    'ftp://lookaside.fbsbx.com/x',
    'file:///etc/passwd',
    '/relative/path',
    'not a url',
  ])('refuses %s', (url) => {
    refused(url);
  });

  it('names the host, never the signed query, when it refuses', () => {
    const message = refused('https://evil.example/a?hash=SECRET&mid=1');
    expect(message).toContain('evil.example');
    expect(message).not.toContain('SECRET');
  });

  it('allows plain http only for an origin configured with http://', () => {
    const local = ['http://127.0.0.1:18090'];
    expect(
      checkMediaUrl('http://127.0.0.1:18090/whatsapp_business/attachments/', local),
    ).toBeDefined();
    refused('http://127.0.0.1:18091/x', local);
    refused('http://localhost:18090/x', local);
    refused('https://127.0.0.1:18090/x', local);
  });
});

describe('WHATSAPP_MEDIA_HOSTS', () => {
  const base = {
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x',
    REDIS_URL: 'redis://127.0.0.1:6379',
    WHATSAPP_VERIFY_TOKEN: 'v',
    WHATSAPP_APP_SECRET: 's',
    WHATSAPP_ACCESS_TOKEN: 't',
    OPENROUTER_API_KEY: 'k',
    ADMIN_API_TOKEN: 'admin-token-0123456789',
    ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
  };

  it("defaults to Meta's media host over https, and nothing else", () => {
    expect(parseEnv(base).WHATSAPP_MEDIA_HOSTS).toEqual(['https://lookaside.fbsbx.com']);
  });

  it('reads host names as https origins and keeps explicit http origins', () => {
    const env = parseEnv({
      ...base,
      WHATSAPP_MEDIA_HOSTS: 'lookaside.fbsbx.com, http://127.0.0.1:18090/ ,LOOKASIDE.FBSBX.COM',
    });
    expect(env.WHATSAPP_MEDIA_HOSTS).toEqual([
      'https://lookaside.fbsbx.com',
      'http://127.0.0.1:18090',
    ]);
  });

  it.each([
    'ftp://lookaside.fbsbx.com',
    'https://lookaside.fbsbx.com/path',
    'a b',
    'https://u:p@x',
    ',',
  ])('refuses %j at boot, naming the variable', (value) => {
    expect(() => parseEnv({ ...base, WHATSAPP_MEDIA_HOSTS: value })).toThrow(
      /WHATSAPP_MEDIA_HOSTS/,
    );
  });

  it('has strict defaults for the new audio and transcription settings', () => {
    const env = parseEnv(base);
    expect(env).toMatchObject({
      AUDIO_MAX_SECONDS: 120,
      AUDIO_MAX_BYTES: 16 * 1024 * 1024,
      TRANSCRIPTION_MODEL: 'google/gemini-2.5-flash',
      WHATSAPP_MEDIA_TIMEOUT_MS: 20_000,
    });
    expect(env.TRANSCRIPTION_BASE_URL).toBeUndefined();
    expect(env.TRANSCRIPTION_API_KEY).toBeUndefined();
    expect(
      parseEnv({ ...base, TRANSCRIPTION_BASE_URL: '' }).TRANSCRIPTION_BASE_URL,
    ).toBeUndefined();
    expect(() => parseEnv({ ...base, TRANSCRIPTION_BASE_URL: 'whisper' })).toThrow(
      /TRANSCRIPTION_BASE_URL/,
    );
  });
});

describe('media lookup and sha256', () => {
  it('reads the lookup, file_size as a number or a string', () => {
    expect(
      parseMediaLookup({
        messaging_product: 'whatsapp',
        url: 'https://lookaside.fbsbx.com/x',
        mime_type: 'audio/ogg; codecs=opus',
        sha256: 'abc',
        file_size: '303833',
        id: '1',
      }),
    ).toEqual({
      url: 'https://lookaside.fbsbx.com/x',
      mimeType: 'audio/ogg; codecs=opus',
      fileSize: 303_833,
      sha256: 'abc',
    });
    expect(() => parseMediaLookup({ id: '1' })).toThrow(GraphApiError);
  });

  it('reads Meta’s sha256 as hex or base64 (the webhook’s form)', () => {
    const digest = createHash('sha256').update('x').digest();
    expect(expectedDigest(digest.toString('hex'))?.equals(digest)).toBe(true);
    expect(expectedDigest(digest.toString('hex').toUpperCase())?.equals(digest)).toBe(true);
    expect(expectedDigest(digest.toString('base64'))?.equals(digest)).toBe(true);
    expect(expectedDigest(digest.toString('base64url'))?.equals(digest)).toBe(true);
    // The example in Meta's audio webhook reference.
    expect(expectedDigest('zc3KEenfPxenEtfmKnSbUHARsFAKboIj4bJXaEfBudw=')).toHaveLength(32);
    expect(expectedDigest('fake')).toBeUndefined();
    expect(expectedDigest(digest.toString('hex').slice(2))).toBeUndefined();
  });
});

import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { AxiosInstance } from 'axios';
import { z } from 'zod';
import { classifyGraphError, GraphApiError } from './graph-api.errors';

/**
 * The second half of a media download: the short-lived URL the media lookup hands out. The
 * bearer token goes along, so the URL must be one of Meta's media origins (https, exact
 * host), redirects are errors and never followed, and the body is capped while it streams.
 */

/** What GET /{version}/{media-id} answers (file_size is sometimes a string). */
export interface MediaLookup {
  url: string;
  mimeType: string;
  fileSize: number | null;
  sha256: string | null;
}

const lookupSchema = z.object({
  url: z.string().min(1),
  mime_type: z.string().min(1).optional(),
  sha256: z.string().min(1).optional(),
  file_size: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
});

export function parseMediaLookup(data: unknown): MediaLookup {
  const parsed = lookupSchema.safeParse(data);
  if (!parsed.success) {
    throw new GraphApiError('unknown', 'media lookup answered without a usable url', 200, null);
  }
  const { url, mime_type, sha256, file_size } = parsed.data;
  return {
    url,
    mimeType: mime_type ?? 'application/octet-stream',
    fileSize: file_size ?? null,
    sha256: sha256 ?? null,
  };
}

/**
 * The URL, if its origin (scheme, host and port) is one of `allowedOrigins` exactly; a
 * media_untrusted_url error otherwise. The reason names the host, never the whole URL (its
 * query carries Meta's signature).
 */
export function checkMediaUrl(raw: string, allowedOrigins: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new GraphApiError('media_untrusted_url', 'media URL is not a URL', null, null);
  }
  if (url.username !== '' || url.password !== '') {
    throw new GraphApiError('media_untrusted_url', 'media URL carries credentials', null, null);
  }
  if (!allowedOrigins.includes(url.origin)) {
    const why = url.protocol === 'https:' ? 'is not a Meta media host' : 'is not https';
    throw new GraphApiError(
      'media_untrusted_url',
      `media URL ${url.protocol}//${url.host} ${why} (WHATSAPP_MEDIA_HOSTS)`,
      null,
      null,
    );
  }
  return url;
}

/**
 * Meta's sha256 as a digest: hex (the media lookup) or base64 (the webhook). Undefined when it
 * is neither, which the caller treats as a mismatch rather than skipping the check.
 */
export function expectedDigest(sha256: string): Buffer | undefined {
  const value = sha256.trim();
  if (/^[0-9a-f]{64}$/i.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
    const bytes = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    return bytes.length === 32 ? bytes : undefined;
  }
  return undefined;
}

export interface FetchedMedia {
  bytes: Buffer;
  /** sha256 of the bytes, hex. */
  sha256: string;
  contentType: string | null;
}

export interface FetchMediaOptions {
  authorization: string;
  maxBytes: number;
  /** The whole download: connect, headers and body. */
  timeoutMs: number;
}

const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** GET the (already checked) media URL; every refusal is a typed GraphApiError. */
export async function fetchMediaBody(
  http: AxiosInstance,
  url: URL,
  options: FetchMediaOptions,
): Promise<FetchedMedia> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  try {
    const res = await http.get<Readable>(url.href, {
      baseURL: '',
      responseType: 'stream',
      maxRedirects: 0,
      validateStatus: () => true,
      signal: controller.signal,
      timeout: options.timeoutMs,
      headers: { Authorization: options.authorization },
    });
    const stream = res.data;
    if (res.status >= 300 && res.status < 400) {
      stream.destroy();
      const location = hostOf(res.headers.location);
      throw new GraphApiError(
        'media_redirect',
        `media URL answered ${res.status}${location ? ` towards ${location}` : ''}; redirects are not followed`,
        res.status,
        null,
      );
    }
    if (res.status >= 400) throw await errorFromBody(res.status, stream);
    if (res.status !== 200) {
      stream.destroy();
      throw new GraphApiError('unknown', `media URL answered ${res.status}`, res.status, null);
    }
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      stream.destroy();
      throw tooLarge(`Content-Length ${declared}`, options.maxBytes);
    }
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > options.maxBytes) {
        stream.destroy();
        throw tooLarge(`body past ${total} bytes`, options.maxBytes);
      }
      hash.update(chunk);
      chunks.push(chunk);
    }
    const contentType = res.headers['content-type'];
    return {
      bytes: Buffer.concat(chunks, total),
      sha256: hash.digest('hex'),
      contentType: typeof contentType === 'string' ? contentType : null,
    };
  } catch (err) {
    if (err instanceof GraphApiError) throw err;
    if (timedOut) {
      throw new GraphApiError(
        'network',
        `media download took longer than ${options.timeoutMs} ms`,
        null,
        null,
      );
    }
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

function tooLarge(what: string, maxBytes: number): GraphApiError {
  return new GraphApiError(
    'media_too_large',
    `media is larger than ${maxBytes} bytes (${what})`,
    null,
    null,
  );
}

function hostOf(location: unknown): string | null {
  if (typeof location !== 'string') return null;
  try {
    return new URL(location).host;
  } catch {
    return null;
  }
}

/** Meta's JSON error body, read with a bound: the media host is not trusted to be brief. */
async function errorFromBody(status: number, stream: Readable): Promise<GraphApiError> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_ERROR_BODY_BYTES) break;
      chunks.push(chunk);
    }
  } catch {
    // The status alone classifies the failure.
  } finally {
    stream.destroy();
  }
  let code: number | null = null;
  let message = `media URL answered ${status}`;
  let fbtraceId: string | null = null;
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      error?: { message?: unknown; code?: unknown; fbtrace_id?: unknown };
    };
    if (typeof body.error?.code === 'number') code = body.error.code;
    if (typeof body.error?.message === 'string') message = body.error.message;
    if (typeof body.error?.fbtrace_id === 'string') fbtraceId = body.error.fbtrace_id;
  } catch {
    // Not JSON: keep the generic message.
  }
  return new GraphApiError(classifyGraphError(status, code), message, status, code, fbtraceId);
}

import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Meta's Graph API that speaks its wire format: POST
 * /{version}/{phone_number_id}/messages (sends and mark-as-read), GET /{version}/{media_id}
 * and the media URL it hands out, Bearer auth, and Meta's JSON error bodies. Tests, the
 * benchmarks and the simulator script it: failures, delays, dropped connections.
 */
export interface SentMessage {
  phoneNumberId: string;
  wamid: string;
  /** The wa_id it went to; '' when it was addressed by BSUID (see recipient). */
  to: string;
  /** The business-scoped user id it was addressed to, when there was no phone. */
  recipient: string | null;
  type: string;
  body: Record<string, unknown>;
  /** The text a person would read: text body, or the interactive body text. */
  text: string;
  at: number;
}

export interface ReadReceipt {
  phoneNumberId: string;
  messageId: string;
  typing: boolean;
}

export interface GraphFailure {
  status: number;
  code: number;
  message?: string;
  /** Apply to sends only (default), or to every request. */
  scope?: 'send' | 'all';
}

/**
 * A media object the fake serves. Only `bytes` and `mimeType` are needed; the rest are test
 * controls that make the fake misbehave the ways a hostile or broken peer could.
 */
export interface FakeMedia {
  bytes: Buffer;
  mimeType: string;
  /** sha256 the lookup reports: default the real one (hex); null leaves it out. */
  sha256?: string | null;
  /** file_size the lookup reports (default the real size); null leaves it out. */
  fileSize?: number | null;
  /** URL the lookup hands out instead of the fake's own signed one (e.g. a non-Meta host). */
  url?: string;
  /** The download answers this redirect instead of the bytes. */
  redirect?: { status?: 301 | 302 | 303 | 307 | 308; location: string };
  /** Send the body without Content-Length (chunked), so only a streaming cap can stop it. */
  chunked?: boolean;
  /** Bytes served after `bytes` (an oversized or tampered body; the lookup does not count them). */
  extraBytes?: number;
}

export interface RecordedGraphRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  /** Host header as the client sent it: tells which name the client connected to. */
  host: string | undefined;
}

export type GraphEvent =
  { kind: 'message'; message: SentMessage } | { kind: 'read'; read: ReadReceipt; at: number };

/** How long a handed-out media URL works, like Meta's (about 5 minutes). */
const MEDIA_URL_TTL_SECONDS = 300;

export interface FakeGraphApi {
  baseUrl: string;
  sent: SentMessage[];
  reads: ReadReceipt[];
  requests: RecordedGraphRequest[];
  media: Map<string, FakeMedia>;
  /** The fake's signed media URL for `mediaId`, as its lookup hands it out. */
  mediaUrl(mediaId: string): string;
  /** Requests that reached the media URL path (whatever host name was used). */
  mediaDownloads(): RecordedGraphRequest[];
  /** The next `times` matching requests fail with this error. */
  failNext(failure: GraphFailure, times?: number): void;
  /** Every request waits this long before answering. */
  delayMs: number;
  /** The next `times` sends have their connection dropped without an answer. */
  dropNext(times?: number): void;
  waitForSent(count: number, timeoutMs?: number): Promise<SentMessage[]>;
  /** Called with every message sent and read receipt received, as they arrive (the simulator). */
  subscribe(listener: (event: GraphEvent) => void): () => void;
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeGraphApi(
  options: { accessToken?: string; port?: number } = {},
): Promise<FakeGraphApi> {
  const accessToken =
    options.accessToken ?? process.env.WHATSAPP_ACCESS_TOKEN ?? 'test-access-token';
  const failures: (GraphFailure & { remaining: number })[] = [];
  let drops = 0;
  const waiters: { count: number; resolve: () => void }[] = [];
  const listeners = new Set<(event: GraphEvent) => void>();
  const emit = (event: GraphEvent) => {
    for (const l of listeners) l(event);
  };
  // Signs handed-out media URLs, like Meta's `hash` parameter: a tampered URL gets a 404.
  const urlSecret = randomBytes(16);

  const fake: FakeGraphApi = {
    baseUrl: '',
    sent: [],
    reads: [],
    requests: [],
    media: new Map(),
    mediaUrl: (mediaId) => signedMediaUrl(fake.baseUrl, mediaId, urlSecret),
    mediaDownloads: () => fake.requests.filter((r) => r.path === MEDIA_PATH),
    delayMs: 0,
    failNext(failure, times = 1) {
      failures.push({ ...failure, remaining: times });
    },
    dropNext(times = 1) {
      drops += times;
    },
    async waitForSent(count, timeoutMs = 10_000) {
      if (fake.sent.length >= count) return fake.sent;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`expected ${count} sent messages, got ${fake.sent.length}`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
      return fake.sent;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reset() {
      fake.sent.length = 0;
      fake.reads.length = 0;
      fake.requests.length = 0;
      failures.length = 0;
      drops = 0;
      fake.delayMs = 0;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const notify = () => {
    for (const w of [...waiters]) {
      if (fake.sent.length >= w.count) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = await readBody(req);
    fake.requests.push({
      method: req.method ?? '',
      path: url.pathname,
      authorization: req.headers.authorization,
      host: req.headers.host,
    });
    if (fake.delayMs > 0) await new Promise((r) => setTimeout(r, fake.delayMs));

    if (req.headers.authorization !== `Bearer ${accessToken}`) {
      return metaError(res, 401, 190, 'Error validating access token: Session has expired.');
    }
    const isSend = req.method === 'POST' && /\/messages$/.test(url.pathname);
    const failure = failures.find((f) => f.remaining > 0 && (f.scope === 'all' || isSend));
    if (failure) {
      failure.remaining -= 1;
      return metaError(
        res,
        failure.status,
        failure.code,
        failure.message ?? `(#${failure.code}) fake failure`,
      );
    }

    // /{version}/{phone_number_id}/messages
    const send = /^\/v\d+\.\d+\/([^/]+)\/messages$/.exec(url.pathname);
    if (req.method === 'POST' && send) {
      let payload: Record<string, unknown>;
      try {
        payload = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      } catch {
        return metaError(res, 400, 100, 'Invalid JSON');
      }
      if (payload.messaging_product !== 'whatsapp') {
        return metaError(res, 400, 100, '(#100) The parameter messaging_product is required.');
      }
      if (payload.status === 'read') {
        const read: ReadReceipt = {
          phoneNumberId: send[1],
          messageId: String(payload.message_id),
          typing: Boolean(payload.typing_indicator),
        };
        fake.reads.push(read);
        emit({ kind: 'read', read, at: Date.now() });
        return json(res, 200, { success: true });
      }
      if (isSend && drops > 0) {
        drops -= 1;
        req.socket.destroy();
        return;
      }
      const to = payload.to === undefined ? '' : String(payload.to);
      const recipient = typeof payload.recipient === 'string' ? payload.recipient : null;
      if (to === '' && !recipient) {
        return metaError(res, 400, 100, '(#100) The parameter to or recipient is required.');
      }
      if (to !== '' && !/^\d{5,20}$/.test(to)) {
        return metaError(res, 400, 100, '(#100) Invalid parameter: to');
      }
      if (recipient && !/^[A-Z]{2}\.[A-Za-z0-9.]{1,140}$/.test(recipient)) {
        return metaError(res, 400, 100, '(#100) Invalid parameter: recipient');
      }
      const badTemplate = templateBroken(payload);
      if (badTemplate) return metaError(res, 400, badTemplate.code, badTemplate.message);
      const tooLong = limitBroken(payload);
      if (tooLong) return metaError(res, 400, 100, `(#100) Invalid parameter: ${tooLong}`);
      const wamid = `wamid.FAKE${randomBytes(12).toString('hex')}`;
      const message: SentMessage = {
        phoneNumberId: send[1],
        wamid,
        to,
        recipient,
        type: String(payload.type),
        body: payload,
        text: textOf(payload),
        at: Date.now(),
      };
      fake.sent.push(message);
      notify();
      emit({ kind: 'message', message });
      return json(res, 200, {
        messaging_product: 'whatsapp',
        contacts: [to ? { input: to, wa_id: to } : { input: recipient, user_id: recipient }],
        messages: [{ id: wamid }],
      });
    }

    if (req.method === 'GET' && url.pathname === MEDIA_PATH) {
      return serveMediaDownload(fake, url, res, urlSecret);
    }

    // /{version}/{media_id}
    const mediaInfo = /^\/v\d+\.\d+\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && mediaInfo) {
      return serveMediaLookup(fake, mediaInfo[1]!, res);
    }
    return metaError(res, 404, 803, 'Unknown path components');
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) json(res, 500, { error: { message: 'fake crashed', code: 1 } });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

const segmenter = new Intl.Segmenter('es', { granularity: 'grapheme' });
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * What Meta refuses for size: a text body over 4,096 characters, interactive fields over
 * their limits (counted as characters a person sees), broken characters (half an emoji).
 */
function limitBroken(payload: Record<string, unknown>): string | null {
  const checks: [string, unknown, number][] = [];
  const text = payload.text as { body?: unknown } | undefined;
  if (text) checks.push(['text.body', text.body, 4096]);
  const i = payload.interactive as
    | {
        body?: { text?: unknown };
        footer?: { text?: unknown };
        action?: {
          button?: unknown;
          buttons?: { reply?: { title?: unknown } }[];
          sections?: { title?: unknown; rows?: { title?: unknown; description?: unknown }[] }[];
        };
      }
    | undefined;
  if (i) {
    checks.push(['interactive.body.text', i.body?.text, 1024]);
    if (i.footer) checks.push(['interactive.footer.text', i.footer.text, 60]);
    if (i.action?.button !== undefined) checks.push(['action.button', i.action.button, 20]);
    for (const b of i.action?.buttons ?? []) checks.push(['button.title', b.reply?.title, 20]);
    for (const sec of i.action?.sections ?? []) {
      if (sec.title !== undefined) checks.push(['section.title', sec.title, 24]);
      for (const r of sec.rows ?? []) {
        checks.push(['row.title', r.title, 24]);
        if (r.description !== undefined) checks.push(['row.description', r.description, 72]);
      }
    }
  }
  for (const [field, value, max] of checks) {
    if (typeof value !== 'string') return `${field} is required`;
    if (LONE_SURROGATE.test(value)) return `${field} is not valid UTF-8`;
    const length = field === 'text.body' ? value.length : [...segmenter.segment(value)].length;
    if (length > max) return `${field} must be at most ${max} characters long`;
  }
  return null;
}

interface TemplatePayload {
  name?: unknown;
  language?: { code?: unknown };
  components?: { type?: unknown; parameters?: { type?: unknown; text?: unknown }[] }[];
}

/** The text values of a template message's body parameters, in order. */
export function templateParameters(payload: Record<string, unknown>): string[] {
  const template = payload.template as TemplatePayload | undefined;
  const body = template?.components?.find((c) => c.type === 'body');
  return (body?.parameters ?? []).map((p) => String(p.text ?? ''));
}

/**
 * What Meta refuses in a template message: no name or language (#100), and body parameters
 * that are not text, empty, or carry new lines, tabs or more than four spaces in a row (#132018).
 */
function templateBroken(
  payload: Record<string, unknown>,
): { code: number; message: string } | null {
  if (payload.type !== 'template') return null;
  const template = payload.template as TemplatePayload | undefined;
  if (typeof template?.name !== 'string' || template.name === '') {
    return { code: 100, message: '(#100) The parameter template.name is required.' };
  }
  if (typeof template.language?.code !== 'string') {
    return { code: 100, message: '(#100) The parameter template.language is required.' };
  }
  const body = template.components?.find((c) => c.type === 'body');
  for (const p of body?.parameters ?? []) {
    if (
      p.type !== 'text' ||
      typeof p.text !== 'string' ||
      p.text === '' ||
      /[\n\t]| {5,}/.test(p.text)
    ) {
      return {
        code: 132018,
        message: '(#132018) There was an issue with the parameters in your template.',
      };
    }
  }
  return null;
}

// --- media ---------------------------------------------------------------------------------

/** Meta's media URLs look like lookaside.fbsbx.com/whatsapp_business/attachments/?mid=…&ext=…&hash=… */
const MEDIA_PATH = '/whatsapp_business/attachments/';

function signedMediaUrl(baseUrl: string, mediaId: string, secret: Buffer): string {
  const ext = Math.floor(Date.now() / 1000) + MEDIA_URL_TTL_SECONDS;
  const hash = mediaUrlHash(mediaId, ext, secret);
  return `${baseUrl}${MEDIA_PATH}?mid=${encodeURIComponent(mediaId)}&ext=${ext}&hash=${hash}`;
}

function mediaUrlHash(mediaId: string, ext: number, secret: Buffer): string {
  return createHmac('sha256', secret).update(`${mediaId}:${ext}`).digest('base64url').slice(0, 22);
}

/** GET /{version}/{media_id}: {url, mime_type, sha256, file_size, id}, as Meta answers it. */
function serveMediaLookup(fake: FakeGraphApi, mediaId: string, res: ServerResponse): void {
  const media = fake.media.get(mediaId);
  if (!media) {
    return metaError(
      res,
      400,
      100,
      `Unsupported get request. Object with ID '${mediaId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    );
  }
  const sha256 =
    media.sha256 === undefined
      ? createHash('sha256').update(media.bytes).digest('hex')
      : media.sha256;
  const fileSize = media.fileSize === undefined ? media.bytes.length : media.fileSize;
  json(res, 200, {
    messaging_product: 'whatsapp',
    url: media.url ?? fake.mediaUrl(mediaId),
    mime_type: media.mimeType,
    ...(sha256 === null ? {} : { sha256 }),
    ...(fileSize === null ? {} : { file_size: fileSize }),
    id: mediaId,
  });
}

/** GET of a handed-out URL: checks the signature and expiry, then serves (or misbehaves). */
function serveMediaDownload(
  fake: FakeGraphApi,
  url: URL,
  res: ServerResponse,
  secret: Buffer,
): void {
  const mediaId = url.searchParams.get('mid') ?? '';
  const ext = Number(url.searchParams.get('ext'));
  const media = fake.media.get(mediaId);
  const valid =
    media !== undefined &&
    url.searchParams.get('hash') === mediaUrlHash(mediaId, ext, secret) &&
    ext >= Math.floor(Date.now() / 1000);
  if (!media || !valid) return metaError(res, 404, 100, 'Media not found or URL expired');
  if (media.redirect) {
    res.writeHead(media.redirect.status ?? 302, { Location: media.redirect.location });
    res.end();
    return;
  }
  const body =
    media.extraBytes && media.extraBytes > 0
      ? Buffer.concat([media.bytes, Buffer.alloc(media.extraBytes, 0x55)])
      : media.bytes;
  if (!media.chunked) {
    res.writeHead(200, { 'Content-Type': media.mimeType, 'Content-Length': body.length });
    res.end(body);
    return;
  }
  // Chunked: no Content-Length, the size shows only as the bytes arrive.
  res.writeHead(200, { 'Content-Type': media.mimeType, 'Transfer-Encoding': 'chunked' });
  const CHUNK = 64 * 1024;
  let offset = 0;
  const pump = (): void => {
    while (offset < body.length) {
      const piece = body.subarray(offset, offset + CHUNK);
      offset += piece.length;
      if (!res.write(piece)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  res.on('error', () => undefined);
  pump();
}

function textOf(payload: Record<string, unknown>): string {
  const text = payload.text as { body?: string } | undefined;
  if (text?.body) return text.body;
  // A template: what the fake can show of it is its parameters, one per line.
  const template = payload.template as TemplatePayload | undefined;
  if (template) return templateParameters(payload).join('\n');
  const interactive = payload.interactive as { body?: { text?: string } } | undefined;
  return interactive?.body?.text ?? '';
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(data),
  });
  res.end(data);
}

/** Meta's error body: {"error":{"message","type","code","fbtrace_id"}}. */
function metaError(res: ServerResponse, status: number, code: number, message: string): void {
  json(res, status, {
    error: {
      message,
      type: 'OAuthException',
      code,
      error_data: {},
      fbtrace_id: `Fake${randomBytes(6).toString('hex')}`,
    },
  });
}

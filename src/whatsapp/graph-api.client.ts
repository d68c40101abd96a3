import { Inject, Injectable, Logger } from '@nestjs/common';
import axios, { AxiosError, type AxiosInstance } from 'axios';
import { APP_CONFIG, type AppConfig } from '../config/config.module';
import { backoffDelay, sleep } from '../common/retry';
import { classifyGraphError, GraphApiError } from './graph-api.errors';
import type {
  DownloadedMedia,
  MediaDownloadOptions,
  OutgoingMessage,
  Recipient,
  SentMessage,
  TemplateMessage,
} from './graph-api.types';
import {
  checkMediaUrl,
  expectedDigest,
  fetchMediaBody,
  parseMediaLookup,
  type FetchedMedia,
} from './media-download';
import { LIMITS, truncateGraphemes } from './text-limits';

interface MetaErrorBody {
  error?: { message?: string; code?: number; error_subcode?: number; fbtrace_id?: string };
}

const MAX_ATTEMPTS = 3;
const BACKOFF_BASE_MS = 300;
const BACKOFF_MAX_MS = 4_000;
/** Meta's JSON answers are small; media bytes never come through this instance. */
const MAX_JSON_BYTES = 1024 * 1024;

/**
 * WhatsApp Cloud API client: sends, mark-as-read and media download. Every call has a
 * timeout; 429/5xx/network errors are retried a bounded number of times with jittered
 * backoff; Meta's error codes surface as typed GraphApiErrors.
 */
@Injectable()
export class GraphApiClient {
  private readonly log = new Logger(GraphApiClient.name);
  private readonly http: AxiosInstance;
  /** Media bytes: no default headers, so the bearer goes only where downloadMedia allows. */
  private readonly mediaHttp: AxiosInstance;
  private readonly authorization: string;
  private readonly mediaOrigins: readonly string[];
  private readonly mediaTimeoutMs: number;
  private readonly mediaMaxBytes: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.authorization = `Bearer ${config.WHATSAPP_ACCESS_TOKEN}`;
    this.http = axios.create({
      baseURL: `${config.WHATSAPP_API_BASE_URL.replace(/\/$/, '')}/${config.WHATSAPP_API_VERSION}`,
      timeout: config.WHATSAPP_TIMEOUT_MS,
      headers: { Authorization: this.authorization },
      maxContentLength: MAX_JSON_BYTES,
      // A Graph call that redirects is not one we know; the bearer must not follow it.
      maxRedirects: 0,
    });
    this.mediaHttp = axios.create({ maxRedirects: 0 });
    this.mediaOrigins = config.WHATSAPP_MEDIA_HOSTS;
    this.mediaTimeoutMs = config.WHATSAPP_MEDIA_TIMEOUT_MS;
    this.mediaMaxBytes = config.AUDIO_MAX_BYTES;
  }

  async send(phoneNumberId: string, to: Recipient, message: OutgoingMessage): Promise<SentMessage> {
    return this.sendRaw(phoneNumberId, buildSendBody(to, message));
  }

  /** A template message (outside the 24-hour window too), with its body parameters. */
  async sendTemplate(
    phoneNumberId: string,
    to: Recipient,
    template: TemplateMessage,
  ): Promise<SentMessage> {
    return this.sendRaw(phoneNumberId, buildTemplateBody(to, template));
  }

  /** Sends a body already built by buildSendBody (as stored in outbound_messages.request). */
  async sendRaw(phoneNumberId: string, body: Record<string, unknown>): Promise<SentMessage> {
    const data = await this.request<{ messages?: { id: string }[] }>('send', () =>
      this.http.post(`/${encodeURIComponent(phoneNumberId)}/messages`, body),
    );
    const wamid = data.messages?.[0]?.id;
    if (!wamid)
      throw new GraphApiError('unknown', 'Graph API answered without a message id', 200, null);
    return { wamid };
  }

  /** Blue ticks for the owner, plus the typing indicator while the answer is prepared. */
  async markRead(phoneNumberId: string, wamid: string, showTyping = true): Promise<void> {
    await this.request('mark_read', () =>
      this.http.post(`/${encodeURIComponent(phoneNumberId)}/messages`, {
        messaging_product: 'whatsapp',
        status: 'read',
        message_id: wamid,
        ...(showTyping ? { typing_indicator: { type: 'text' } } : {}),
      }),
    );
  }

  /**
   * GET /{version}/{media-id} (bearer) for {url, mime_type, file_size, sha256}, then GET that
   * URL, only if its origin is one of WHATSAPP_MEDIA_HOSTS, without following redirects,
   * within WHATSAPP_MEDIA_TIMEOUT_MS and `maxBytes` (default AUDIO_MAX_BYTES), and only keeps
   * bytes that hash to Meta's sha256. Refusals are GraphApiErrors of kind media_* (never
   * retried); 429/5xx/network failures are retried like every Graph call.
   */
  async downloadMedia(
    mediaId: string,
    options: MediaDownloadOptions = {},
  ): Promise<DownloadedMedia> {
    const maxBytes = options.maxBytes ?? this.mediaMaxBytes;
    const lookup = parseMediaLookup(
      await this.request<unknown>('media_url', () =>
        this.http.get(`/${encodeURIComponent(mediaId)}`),
      ),
    );
    if (lookup.fileSize !== null && lookup.fileSize > maxBytes) {
      throw new GraphApiError(
        'media_too_large',
        `media is larger than ${maxBytes} bytes (file_size ${lookup.fileSize})`,
        null,
        null,
      );
    }
    const url = checkMediaUrl(lookup.url, this.mediaOrigins);
    const fetched = await this.request<FetchedMedia>('media_download', async () => ({
      data: await fetchMediaBody(this.mediaHttp, url, {
        authorization: this.authorization,
        maxBytes,
        timeoutMs: this.mediaTimeoutMs,
      }),
    }));
    if (lookup.sha256 !== null) {
      const expected = expectedDigest(lookup.sha256);
      if (!expected || !expected.equals(Buffer.from(fetched.sha256, 'hex'))) {
        this.log.warn(`Graph media ${mediaId}: sha256 does not match the lookup's`);
        throw new GraphApiError(
          'media_integrity',
          "media bytes do not match the lookup's sha256",
          null,
          null,
        );
      }
    }
    return {
      bytes: fetched.bytes,
      mimeType: lookup.mimeType,
      sha256: fetched.sha256,
      verified: lookup.sha256 !== null,
    };
  }

  private async request<T>(operation: string, call: () => Promise<{ data: T }>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return (await call()).data;
      } catch (err) {
        const error = toGraphError(err);
        const last = attempt + 1 >= MAX_ATTEMPTS;
        if (!error.retryable || last) {
          this.log.warn(
            `Graph ${operation} failed: kind=${error.kind} status=${error.status} code=${error.code} attempt=${attempt + 1}`,
          );
          throw error;
        }
        await sleep(backoffDelay(attempt, BACKOFF_BASE_MS, BACKOFF_MAX_MS) + 50);
      }
    }
  }
}

/**
 * The Graph API body for a message to one user: addressed to their phone (`to`, a wa_id) or,
 * when Meta withholds it, to their business-scoped user id (`recipient`). Every title, row and
 * button is trimmed to WhatsApp's limits by user-perceived characters (never half an emoji);
 * the text body must already fit (the caller splits long answers, see splitText).
 */
export function buildSendBody(to: Recipient, message: OutgoingMessage): Record<string, unknown> {
  const address = to.waId ? { to: to.waId } : { recipient: to.userId };
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', ...address };
  const footer = (text?: string) =>
    text ? { footer: { text: truncateGraphemes(text, LIMITS.footer) } } : {};
  switch (message.type) {
    case 'text':
      return {
        ...base,
        type: 'text',
        text: { preview_url: false, body: truncateGraphemes(message.body, LIMITS.textBody) },
      };
    case 'buttons':
      return {
        ...base,
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: truncateGraphemes(message.body, LIMITS.interactiveBody) },
          ...footer(message.footer),
          action: {
            buttons: message.buttons.slice(0, 3).map((b) => ({
              type: 'reply',
              reply: { id: b.id, title: truncateGraphemes(b.title, LIMITS.buttonTitle) },
            })),
          },
        },
      };
    case 'list':
      return {
        ...base,
        type: 'interactive',
        interactive: {
          type: 'list',
          body: { text: truncateGraphemes(message.body, LIMITS.interactiveBody) },
          ...footer(message.footer),
          action: {
            button: truncateGraphemes(message.buttonText, LIMITS.listButton),
            sections: message.sections.map((s) => ({
              ...(s.title ? { title: truncateGraphemes(s.title, LIMITS.sectionTitle) } : {}),
              rows: s.rows.map((r) => ({
                id: r.id,
                title: truncateGraphemes(r.title, LIMITS.rowTitle),
                ...(r.description
                  ? { description: truncateGraphemes(r.description, LIMITS.rowDescription) }
                  : {}),
              })),
            })),
          },
        },
      };
  }
}

/**
 * The Graph API body of a template message: type "template", the template's name and
 * language, and one "body" component with a text parameter per placeholder. Meta refuses a
 * parameter with new lines, tabs or more than four spaces in a row, so each is flattened to
 * one line (and cut to a length no template body exceeds).
 */
export function buildTemplateBody(
  to: Recipient,
  template: TemplateMessage,
): Record<string, unknown> {
  const address = to.waId ? { to: to.waId } : { recipient: to.userId };
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    ...address,
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language },
      components: [
        {
          type: 'body',
          parameters: template.bodyParameters.map((text) => ({
            type: 'text',
            text: templateParameter(text),
          })),
        },
      ],
    },
  };
}

/** One line, no tabs, never empty (Meta refuses an empty parameter), within the body limit. */
export function templateParameter(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return truncateGraphemes(flat === '' ? '-' : flat, LIMITS.interactiveBody);
}

function toGraphError(err: unknown): GraphApiError {
  if (err instanceof GraphApiError) return err;
  if (err instanceof AxiosError) {
    const status = err.response?.status ?? null;
    const body = err.response?.data as MetaErrorBody | undefined;
    const meta = body && typeof body === 'object' ? body.error : undefined;
    const code = typeof meta?.code === 'number' ? meta.code : null;
    const message = meta?.message ?? err.message;
    return new GraphApiError(
      classifyGraphError(status, code),
      message,
      status,
      code,
      meta?.fbtrace_id ?? null,
    );
  }
  return new GraphApiError('unknown', err instanceof Error ? err.message : String(err), null, null);
}

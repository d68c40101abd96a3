import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  applyMaxTokens,
  buildUsage,
  completionBody,
  envelope,
  streamChunks,
  streamErrorChunk,
  type ResolvedAnswer,
} from './openrouter/completion';
import {
  audioTokens,
  DEFAULT_AUDIO_EXPECTATION,
  defaultTranscript,
  inputAudioParts,
  receiveChatAudio,
  receiveUpload,
  type AudioExpectation,
  type ReceivedAudio,
} from './openrouter/audio';
import { defaultResponder } from './openrouter/default-responder';
import { parseMultipart } from './openrouter/multipart';
import { defaultErrorMessage, defaultErrorMetadata, errorBody } from './openrouter/errors';
import type {
  ChatRequestBody,
  FakeBehavior,
  FakeDefaultHandler,
  FakeMatcher,
  FakeModel,
  FakeReply,
  RecordedRequest,
} from './openrouter/types';
import { DEFAULT_MODELS, estimatePromptTokens, serialiseArguments } from './openrouter/usage';

export type * from './openrouter/types';
export type { AudioExpectation, ReceivedAudio } from './openrouter/audio';
export { defaultTranscript, FAKE_AUDIO_TOKENS_PER_SECOND } from './openrouter/audio';
export { defaultResponder } from './openrouter/default-responder';
export { toolCallingModel } from './openrouter/tool-calling-model';
export { DEFAULT_MODELS } from './openrouter/usage';

/**
 * A local HTTP server speaking OpenRouter's chat-completions wire protocol (JSON and SSE),
 * for tests, benchmarks and the local simulator. Behaviour is scripted per test with rules;
 * without rules it answers like a small, deterministic Spanish-speaking model.
 */

export interface FakeOpenRouterOptions {
  /** When set, only these bearer keys are accepted (others get 401); any key otherwise. */
  validKeys?: string[];
  /** Catalog for GET /models and pricing. */
  models?: FakeModel[];
  /** Reject models missing from the catalog with 400, like the real service. Default false. */
  strictModels?: boolean;
  /** The built-in keyword responder unless replaced. */
  defaultHandler?: FakeDefaultHandler;
  /** Send `: OPENROUTER PROCESSING` comment lines in streams, like the real service. Default true. */
  processingComments?: boolean;
  /** Pause between SSE chunks (ms). Default 0. */
  chunkDelayMs?: number;
  /**
   * Audio uploads must be WAV of this format, or get a 400 (default 16 kHz mono 16-bit PCM);
   * null accepts any readable WAV.
   */
  expectedAudio?: AudioExpectation | null;
  /**
   * Fixed latency added to every chat completion before it answers (ms), like a real model's
   * think time; a rule's `delayMs` comes on top. Default 0. Benchmarks set it.
   */
  latencyMs?: number;
  port?: number;
}

/** Writes the transcript for audio the fake received (the "speech recogniser"). */
export type FakeTranscriber = (audio: ReceivedAudio, request: RecordedRequest) => string;

export interface RuleOptions {
  /** The rule expires after this many matches ("fail N times, then succeed"). */
  times?: number;
}

export interface FakeRule {
  /** How many requests this rule has answered. */
  readonly hits: number;
  remove(): void;
}

export interface FakeOpenRouter {
  /** e.g. http://127.0.0.1:PORT/api/v1 (what OPENROUTER_BASE_URL should be). */
  readonly baseUrl: string;
  /** Every request received, in order (chat, models, rejected ones). */
  readonly requests: RecordedRequest[];
  /** Fixed latency of every chat completion (ms); starts as the `latencyMs` option. */
  latencyMs: number;
  /** Chat-completion requests, optionally for one model. */
  chatRequests(model?: string): RecordedRequest[];
  /**
   * Scripts requests that match. Rules are checked in the order they were added; the first
   * one that matches and has not expired decides. Unmatched requests get the default answer.
   */
  on(matcher: FakeMatcher, behavior: FakeBehavior, options?: RuleOptions): FakeRule;
  /** One-shot behaviours for the next requests (any model), in order. */
  enqueue(...behaviors: FakeBehavior[]): void;
  /** Replaces the default answerer; no argument restores the built-in one. */
  setDefault(handler?: FakeDefaultHandler): void;
  /** Every audio file received (accepted or refused), in order. */
  readonly audio: ReceivedAudio[];
  /**
   * Replaces the transcript given for audio that no rule scripts (default: a deterministic
   * sentence naming the length); no argument restores it.
   */
  setTranscriber(transcriber?: FakeTranscriber): void;
  /** POST /audio/transcriptions requests (the OpenAI-compatible whisper path). */
  transcriptionRequests(): RecordedRequest[];
  /** null: accept any bearer key. */
  setValidKeys(keys: string[] | null): void;
  /** Forgets rules, recorded requests and custom defaults, latency included (keeps the port). */
  reset(): void;
  close(): Promise<void>;
}

interface Rule {
  matcher: FakeMatcher;
  behavior: FakeBehavior;
  remaining: number;
  hits: number;
}

const MAX_BODY_BYTES = 5 * 1024 * 1024;

export async function startFakeOpenRouter(
  options: FakeOpenRouterOptions = {},
): Promise<FakeOpenRouter> {
  const fake = new FakeOpenRouterServer(options);
  await fake.listen(options.port ?? 0);
  return fake;
}

class FakeOpenRouterServer implements FakeOpenRouter {
  readonly requests: RecordedRequest[] = [];
  readonly audio: ReceivedAudio[] = [];
  private transcriber: FakeTranscriber = defaultTranscript;
  latencyMs: number;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private rules: Rule[] = [];
  private validKeys: Set<string> | null;
  private defaultHandler: FakeDefaultHandler;
  private counter = 0;
  private port = 0;

  constructor(private readonly options: FakeOpenRouterOptions) {
    this.validKeys = options.validKeys ? new Set(options.validKeys) : null;
    this.defaultHandler = options.defaultHandler ?? defaultResponder;
    this.latencyMs = options.latencyMs ?? 0;
    this.server = createServer((req, res) => {
      // A client that hung up must not crash the fake with an unhandled stream error.
      res.on('error', () => undefined);
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent && !res.destroyed) {
          sendJson(res, 500, errorBody(500, `Fake OpenRouter failed: ${String(err)}`));
        } else {
          res.destroy();
        }
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/api/v1`;
  }

  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  chatRequests(model?: string): RecordedRequest[] {
    return this.requests.filter(
      (r) => r.path.endsWith('/chat/completions') && (model === undefined || r.model === model),
    );
  }

  on(matcher: FakeMatcher, behavior: FakeBehavior, options: RuleOptions = {}): FakeRule {
    const rule: Rule = { matcher, behavior, remaining: options.times ?? Infinity, hits: 0 };
    this.rules.push(rule);
    return {
      get hits() {
        return rule.hits;
      },
      remove: () => {
        this.rules = this.rules.filter((r) => r !== rule);
      },
    };
  }

  enqueue(...behaviors: FakeBehavior[]): void {
    for (const b of behaviors) this.on(() => true, b, { times: 1 });
  }

  setDefault(handler?: FakeDefaultHandler): void {
    this.defaultHandler = handler ?? this.options.defaultHandler ?? defaultResponder;
  }

  setTranscriber(transcriber?: FakeTranscriber): void {
    this.transcriber = transcriber ?? defaultTranscript;
  }

  transcriptionRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.endsWith('/audio/transcriptions'));
  }

  setValidKeys(keys: string[] | null): void {
    this.validKeys = keys ? new Set(keys) : null;
  }

  reset(): void {
    this.rules = [];
    this.requests.length = 0;
    this.audio.length = 0;
    this.transcriber = defaultTranscript;
    this.counter = 0;
    this.defaultHandler = this.options.defaultHandler ?? defaultResponder;
    this.validKeys = this.options.validKeys ? new Set(this.options.validKeys) : null;
    this.latencyMs = this.options.latencyMs ?? 0;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // --- request handling -------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const bytes = await readBody(req);
    const path = (req.url ?? '/').split('?')[0]!;
    const isUpload = /^multipart\//i.test(req.headers['content-type'] ?? '');
    const record = this.record(req, path, isUpload ? '' : bytes.toString('utf8'));
    reportServiceTime(res, started, record);

    if (req.method === 'GET' && path === '/api/v1/models') {
      sendJson(res, 200, { data: this.models() });
      return;
    }
    if (req.method === 'POST' && path === '/api/v1/audio/transcriptions') {
      await this.transcription(record, bytes, res);
      return;
    }
    if (req.method !== 'POST' || path !== '/api/v1/chat/completions') {
      sendJson(res, 404, errorBody(404, `Not Found: ${req.method} ${path}`));
      return;
    }
    if (!record.apiKey) {
      sendJson(res, 401, errorBody(401, 'No auth credentials found'));
      return;
    }
    if (this.validKeys && !this.validKeys.has(record.apiKey)) {
      sendJson(res, 401, errorBody(401, 'User not found.'));
      return;
    }
    const invalid = this.validate(record) ?? this.checkChatAudio(record);
    if (invalid) {
      sendJson(res, 400, errorBody(400, invalid));
      return;
    }
    const reply = (await this.script(record)) ?? {};
    await this.reply(record, reply, res);
  }

  private record(req: IncomingMessage, path: string, raw: string): RecordedRequest {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    }
    const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '');
    let body: ChatRequestBody | null = null;
    try {
      const parsed: unknown = raw ? JSON.parse(raw) : null;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        body = parsed as ChatRequestBody;
      }
    } catch {
      body = null;
    }
    const model =
      typeof body?.model === 'string'
        ? body.model
        : Array.isArray(body?.models) && typeof body.models[0] === 'string'
          ? body.models[0]
          : null;
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      headers,
      apiKey: bearer ? bearer[1]!.trim() : null,
      body,
      model,
      stream: body?.stream === true,
      receivedAt: Date.now(),
    };
    this.requests.push(recorded);
    return recorded;
  }

  /** The checks OpenRouter itself answers with 400 before any model runs. */
  private validate(request: RecordedRequest): string | undefined {
    const body = request.body;
    if (!body) return 'Invalid JSON body';
    if (!request.model) return 'model is required';
    if (!Array.isArray(body.messages) || body.messages.length === 0) {
      return 'Invalid request: messages must be a non-empty array';
    }
    if (this.options.strictModels && !this.models().some((m) => m.id === request.model)) {
      return `${request.model} is not a valid model ID`;
    }
    return undefined;
  }

  private async script(request: RecordedRequest): Promise<FakeReply | undefined> {
    const rule = this.rules.find((r) => r.remaining > 0 && matches(r.matcher, request));
    if (!rule) return undefined;
    rule.remaining -= 1;
    rule.hits += 1;
    return typeof rule.behavior === 'function' ? rule.behavior(request) : rule.behavior;
  }

  private async reply(request: RecordedRequest, reply: FakeReply, res: ServerResponse) {
    const delayMs = (reply.delayMs ?? 0) + this.latencyMs;
    if (delayMs > 0) await this.sleep(delayMs);
    if (res.destroyed) return;
    const model = reply.model ?? request.model ?? 'unknown';

    if (reply.drop === true || (reply.drop && !request.stream)) {
      res.socket?.destroy();
      return;
    }
    if (reply.status !== undefined && reply.status !== 200) {
      const headers: Record<string, string> = {};
      if (reply.retryAfter !== undefined) headers['retry-after'] = String(reply.retryAfter);
      const metadata = reply.metadata ?? defaultErrorMetadata(reply.status, request.model);
      const message = reply.message ?? defaultErrorMessage(reply.status);
      sendJson(res, reply.status, errorBody(reply.status, message, metadata), headers);
      return;
    }
    const answer = this.resolveAnswer(request, reply, model);
    const streamError = reply.streamError;
    if (reply.bodyError || (streamError && !request.stream)) {
      const detail = typeof streamError === 'object' ? streamError : {};
      const err = reply.bodyError ?? {
        code: detail.code ?? 502,
        message: detail.message ?? 'Provider returned error',
      };
      sendJson(res, 200, {
        ...envelope(answer, 'chat.completion'),
        error: errorBody(err.code ?? 502, err.message, err.metadata).error,
      });
      return;
    }
    if (reply.emptyChoices) {
      sendJson(res, 200, {
        ...envelope(answer, 'chat.completion'),
        choices: [],
        usage: answer.usage,
      });
      return;
    }
    if (request.stream) {
      await this.stream(answer, reply, res);
      return;
    }
    sendJson(res, 200, completionBody(answer));
  }

  private resolveAnswer(request: RecordedRequest, reply: FakeReply, model: string): ResolvedAnswer {
    const scripted = reply.content !== undefined || reply.toolCalls !== undefined;
    const heard = request.audio?.[0];
    const base = scripted
      ? { content: reply.content, toolCalls: reply.toolCalls, finishReason: reply.finishReason }
      : heard
        ? { content: this.transcriber(heard, request) }
        : this.defaultHandler(request);
    const toolCalls = (base.toolCalls ?? []).map((c) => ({
      id: c.id ?? `call_fake_${++this.counter}`,
      name: c.name,
      arguments: serialiseArguments(c),
    }));
    const body = request.body ?? {};
    const { content, finishReason } = applyMaxTokens(
      base.content ?? null,
      reply.finishReason ?? base.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
      body,
    );
    return {
      id: `gen-fake-${++this.counter}`,
      created: Math.floor(Date.now() / 1000),
      model,
      provider: reply.provider ?? providerOf(model),
      content,
      toolCalls,
      finishReason,
      usage: this.usageFor(request, model, body, content, toolCalls, reply),
    };
  }

  private async stream(answer: ResolvedAnswer, reply: FakeReply, res: ServerResponse) {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-generation-id': answer.id,
    });
    if (this.options.processingComments !== false) await flush(res, ': OPENROUTER PROCESSING\n\n');

    const chunks = streamChunks(answer);
    const dropAfter = typeof reply.drop === 'object' ? reply.drop.afterChunks : undefined;
    const streamError = reply.streamError;
    const errorAfter =
      streamError === undefined
        ? undefined
        : streamError === true
          ? 2
          : (streamError.afterChunks ?? 2);
    const chunkDelay = reply.chunkDelayMs ?? this.options.chunkDelayMs ?? 0;

    for (let i = 0; i < chunks.length; i++) {
      if (res.destroyed) return;
      if (dropAfter !== undefined && i >= dropAfter) {
        res.socket?.destroy();
        return;
      }
      if (errorAfter !== undefined && i >= errorAfter) break;
      if (chunkDelay > 0 && i > 0) await this.sleep(chunkDelay);
      // Flushed one by one so a scripted drop happens after the client really got them.
      await flush(res, `data: ${JSON.stringify(chunks[i])}\n\n`);
    }
    if (errorAfter !== undefined) {
      const detail = typeof streamError === 'object' ? streamError : {};
      const event = streamErrorChunk(
        answer,
        detail.code ?? 'server_error',
        detail.message ?? 'Provider disconnected unexpectedly',
      );
      // OpenRouter ends the stream after the error event, without [DONE].
      res.end(`data: ${JSON.stringify(event)}\n\n`);
      return;
    }
    if (dropAfter !== undefined) {
      res.socket?.destroy();
      return;
    }
    res.end('data: [DONE]\n\n');
  }

  // --- audio ------------------------------------------------------------------------------

  /** Checks and records the input_audio parts of a chat request; a problem → 400. */
  private checkChatAudio(request: RecordedRequest): string | undefined {
    const parts = inputAudioParts(request.body);
    if (parts.length === 0) return undefined;
    const expected = this.expectedAudio();
    request.audio = parts.map((p) => receiveChatAudio(p, request.model, expected));
    this.audio.push(...request.audio);
    const bad = request.audio.find((a) => a.problem !== null);
    return bad ? `Invalid input_audio: ${bad.problem}` : undefined;
  }

  /**
   * POST /audio/transcriptions as OpenAI-compatible servers (whisper) speak it: multipart
   * file + model in, {"text", "usage"} out, OpenAI's error body on failure. Scripted rules
   * apply (status, delay, drop, content as the transcript).
   */
  private async transcription(record: RecordedRequest, bytes: Buffer, res: ServerResponse) {
    if (this.validKeys && !(record.apiKey && this.validKeys.has(record.apiKey))) {
      sendJson(res, 401, openAiError('Incorrect API key provided.', 'invalid_request_error'));
      return;
    }
    const parts = parseMultipart(bytes, record.headers['content-type']);
    if (!parts) {
      sendJson(res, 400, openAiError('Expected multipart/form-data', 'invalid_request_error'));
      return;
    }
    const audio = receiveUpload(parts, this.expectedAudio());
    record.audio = [audio];
    record.model = audio.model;
    this.audio.push(audio);
    if (audio.problem !== null) {
      sendJson(res, 400, openAiError(`Invalid file: ${audio.problem}`, 'invalid_request_error'));
      return;
    }
    const reply = (await this.script(record)) ?? {};
    if (reply.delayMs) await this.sleep(reply.delayMs);
    if (res.destroyed) return;
    if (reply.drop) {
      res.socket?.destroy();
      return;
    }
    if (reply.status !== undefined && reply.status !== 200) {
      const headers: Record<string, string> = {};
      if (reply.retryAfter !== undefined) headers['retry-after'] = String(reply.retryAfter);
      const message = reply.message ?? defaultErrorMessage(reply.status);
      sendJson(res, reply.status, openAiError(message, 'server_error'), headers);
      return;
    }
    sendJson(res, 200, {
      text: reply.content ?? this.transcriber(audio, record),
      usage: { type: 'duration', seconds: Math.ceil(audio.seconds ?? 0) },
    });
  }

  /** The computed usage, with the audio's tokens in the prompt (and its cost) when there is audio. */
  private usageFor(
    request: RecordedRequest,
    model: string,
    body: ChatRequestBody,
    content: string | null,
    toolCalls: ResolvedAnswer['toolCalls'],
    reply: FakeReply,
  ) {
    const heard = (request.audio ?? []).reduce((n, a) => n + audioTokens(a), 0);
    if (heard === 0) return buildUsage(this.models(), model, body, content, toolCalls, reply.usage);
    const promptTokens = reply.usage?.promptTokens ?? estimatePromptTokens(body) + heard;
    const usage = buildUsage(this.models(), model, body, content, toolCalls, {
      ...reply.usage,
      promptTokens,
    });
    return {
      ...usage,
      prompt_tokens_details: { ...usage.prompt_tokens_details, audio_tokens: heard },
    };
  }

  private expectedAudio(): AudioExpectation | null {
    return this.options.expectedAudio === undefined
      ? DEFAULT_AUDIO_EXPECTATION
      : this.options.expectedAudio;
  }

  private models(): FakeModel[] {
    return this.options.models ?? DEFAULT_MODELS;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }
}

function matches(matcher: FakeMatcher, request: RecordedRequest): boolean {
  if (typeof matcher === 'string') return request.model === matcher;
  if (matcher instanceof RegExp) return request.model !== null && matcher.test(request.model);
  return matcher(request);
}

/** OpenRouter reports which upstream provider served the request. */
function providerOf(model: string): string {
  const vendor = model.split('/')[0] ?? '';
  const known: Record<string, string> = {
    anthropic: 'Anthropic',
    openai: 'OpenAI',
    google: 'Google',
  };
  return known[vendor] ?? 'FakeProvider';
}

/** OpenAI's error body (what OpenAI-compatible transcription servers send). */
function openAiError(message: string, type: string): Record<string, unknown> {
  return { error: { message, type, param: null, code: null } };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (part: Buffer) => {
      size += part.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      parts.push(part);
    });
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

/**
 * Sends the fake's own service time (request received → response headers, latency included) as
 * `x-fake-service-ms` and records it, so a benchmark can subtract it from what its client saw.
 */
function reportServiceTime(res: ServerResponse, started: number, record: RecordedRequest): void {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = ((...args: unknown[]) => {
    const ms = performance.now() - started;
    record.serviceMs = ms;
    res.setHeader('x-fake-service-ms', ms.toFixed(3));
    return writeHead(...args);
  }) as ServerResponse['writeHead'];
}

function flush(res: ServerResponse, data: string): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) {
      resolve();
      return;
    }
    res.write(data, () => resolve());
  });
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed) return;
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

/** `ts-node test/fakes/fake-openrouter.ts`: a standalone fake for the local simulator. */
if (require.main === module) {
  const port = Number(process.env.FAKE_OPENROUTER_PORT ?? 18091);
  const latencyMs = Number(process.env.FAKE_OPENROUTER_LATENCY_MS ?? 0);
  void startFakeOpenRouter({ port, latencyMs }).then((fake) => {
    process.stdout.write(`fake OpenRouter at ${fake.baseUrl} (set OPENROUTER_BASE_URL to it)\n`);
    const stop = () => void fake.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

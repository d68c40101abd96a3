/**
 * Types of the fake OpenRouter: what a test scripts (replies, rules) and what the fake records.
 * The wire shapes are described loosely on purpose: the fake parses whatever a client sends and
 * answers like OpenRouter would, it does not reuse the client SDK's types.
 */

import type { ReceivedAudio } from './audio';

/** One chat message as received on the wire (only the fields the fake looks at). */
export interface WireMessage {
  role: string;
  content?: unknown;
  name?: string;
  tool_call_id?: string;
  tool_calls?: { id?: string; type?: string; function?: { name?: string; arguments?: string } }[];
}

/** One tool as offered in the request (`tools[]`). */
export interface WireTool {
  type?: string;
  function?: { name?: string; description?: string; parameters?: JsonSchemaLike };
}

export interface JsonSchemaLike {
  type?: string;
  properties?: Record<string, JsonSchemaLike>;
  required?: string[];
  enum?: unknown[];
  description?: string;
}

/** A request the fake received, recorded for assertions. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Bearer token from the Authorization header, if any (a fake: recording it is the point). */
  apiKey: string | null;
  /** Parsed JSON body; null when there was none or it was not JSON. */
  body: ChatRequestBody | null;
  model: string | null;
  stream: boolean;
  receivedAt: number;
  /** Audio the request carried (input_audio parts, or a transcription upload), as checked. */
  audio?: ReceivedAudio[];
  /** The fake's own time on it (received → response headers, ms); set once it answers. */
  serviceMs?: number;
}

/** The chat-completions request body, as far as the fake understands it. */
export interface ChatRequestBody {
  model?: string;
  models?: string[];
  messages?: WireMessage[];
  tools?: WireTool[];
  stream?: boolean;
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  usage?: { include?: boolean };
  [extra: string]: unknown;
}

export interface FakeToolCall {
  name: string;
  /** A JSON string (sent as is, even if malformed) or an object (serialised). */
  arguments: string | Record<string, unknown>;
  id?: string;
}

export type FinishReason = 'stop' | 'tool_calls' | 'length' | 'content_filter';

/**
 * What the fake does with one request. Fields combine: `delayMs` waits before anything else;
 * then the first of drop → status → bodyError → emptyChoices → streamError → answer applies.
 * A reply with none of content/toolCalls/errors (e.g. only `delayMs`) gets the default answer.
 */
export interface FakeReply {
  /** Wait before sending anything (headers included): drives client timeouts. */
  delayMs?: number;
  /**
   * Destroy the socket. `true`: before any response byte. `{ afterChunks }`: on a streaming
   * request, after that many SSE data chunks (on a non-streaming one, same as `true`).
   */
  drop?: true | { afterChunks: number };
  /** HTTP error with OpenRouter's body `{"error":{"code","message","metadata"}}`. */
  status?: number;
  message?: string;
  metadata?: Record<string, unknown>;
  /** Retry-After header value in seconds (only sent when set). */
  retryAfter?: number | string;
  /** HTTP 200 whose body is `{"error":{...}}` and no choices (provider failed while generating). */
  bodyError?: { code?: number | string; message: string; metadata?: Record<string, unknown> };
  /** HTTP 200 with `choices: []`. */
  emptyChoices?: true;
  /**
   * Streaming: some chunks, then a `data:` event carrying `error` and finish_reason "error", then
   * the stream ends without [DONE]. Non-streaming: behaves like `bodyError`.
   */
  streamError?: true | { message?: string; code?: number | string; afterChunks?: number };
  content?: string;
  toolCalls?: FakeToolCall[];
  finishReason?: FinishReason;
  /** Pause between SSE chunks for this reply (overrides the server option). */
  chunkDelayMs?: number;
  /** Overrides of the computed usage. */
  usage?: { promptTokens?: number; completionTokens?: number; cost?: number | null };
  /** `model` echoed in the response (defaults to the requested one). */
  model?: string;
  provider?: string;
}

export type FakeBehavior =
  | FakeReply
  | ((request: RecordedRequest) => FakeReply | undefined | Promise<FakeReply | undefined>);

/** Which requests a rule applies to: a model id, a model pattern, or a predicate. */
export type FakeMatcher = string | RegExp | ((request: RecordedRequest) => boolean);

/** Produces the normal answer when no rule matches (the "model"). */
export type FakeDefaultHandler = (request: RecordedRequest) => FakeAnswer;

/** A successful answer: text and/or tool calls. */
export interface FakeAnswer {
  content?: string | null;
  toolCalls?: FakeToolCall[];
  finishReason?: FinishReason;
}

export interface FakeModel {
  id: string;
  name: string;
  context_length: number;
  /** USD per token, as strings, like OpenRouter's /models. */
  pricing: { prompt: string; completion: string };
}

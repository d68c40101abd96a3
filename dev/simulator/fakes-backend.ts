import { randomBytes } from 'node:crypto';
import type {
  DemoBackend,
  DemoGraphEvent,
  DemoShop,
  LlmFailure,
} from '../../src/demo/demo-backend';
import type { FakeGraphApi, GraphEvent } from '../fakes/fake-graph-api';
import type { FakeOpenRouter, FakeRule } from '../fakes/fake-openrouter';

/** How long a "timeout" failure makes the fake LLM hang: far past any LLM_TIMEOUT_MS. */
const HANG_MS = 10 * 60_000;

/**
 * The simulator's backend from the demo's in-process fakes: the fake Graph API's traffic
 * becomes the phone's incoming messages and read ticks; failures are rules on the fake
 * OpenRouter (null when a real OpenRouter key is used: nothing to script then).
 */
export function fakesBackend(options: {
  shop: DemoShop;
  graph: FakeGraphApi;
  llm: FakeOpenRouter | null;
  /** LLM_MODEL_DEFAULT: the model a 429 failure hits. */
  defaultModel: string;
}): DemoBackend {
  const { graph, llm, shop } = options;
  const history: DemoGraphEvent[] = [];
  const listeners = new Set<(event: DemoGraphEvent) => void>();
  // Only this shop's traffic: the demo app sends for no other, but tests may share a fake.
  graph.subscribe((e: GraphEvent) => {
    let event: DemoGraphEvent;
    if (e.kind === 'message') {
      if (e.message.phoneNumberId !== shop.phoneNumberId) return;
      const { wamid, to, type, body, at } = e.message;
      event = { kind: 'message', wamid, to, type, body, at };
    } else {
      if (e.read.phoneNumberId !== shop.phoneNumberId) return;
      event = { kind: 'read', messageId: e.read.messageId, typing: e.read.typing, at: e.at };
    }
    history.push(event);
    if (history.length > 500) history.shift();
    for (const l of listeners) l(event);
  });

  let failure: LlmFailure = 'none';
  let rule: FakeRule | null = null;
  const chat = (r: { path: string }) => r.path.endsWith('/chat/completions');
  return {
    shop,
    offlineLlm: llm !== null,
    graphEvents: () => [...history],
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    llmFailure: () => failure,
    setLlmFailure(next) {
      if (!llm) {
        if (next === 'none') return;
        throw new Error('failures are scripted on the fake LLM only');
      }
      rule?.remove();
      rule = null;
      failure = next;
      if (next === 'rate_limit_default') {
        rule = llm.on(options.defaultModel, { status: 429, retryAfter: 1 });
      } else if (next === 'payment_required') {
        rule = llm.on(chat, { status: 402 });
      } else if (next === 'timeout') {
        rule = llm.on(chat, { delayMs: HANG_MS });
      } else if (next === 'all_down') {
        rule = llm.on(chat, { status: 503 });
      }
    },
    storeMedia(bytes, mimeType) {
      const id = `${Date.now()}${randomBytes(4).readUInt32BE(0)}`;
      graph.media.set(id, { bytes, mimeType });
      return id;
    },
  };
}

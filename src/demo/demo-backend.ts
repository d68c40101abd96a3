/**
 * What the simulator needs from the demo that started the app: the shop it plays, the fake
 * Graph API's traffic (what the app "sent to WhatsApp") and the fake LLM's failure switch.
 * `npm run demo` builds it from its in-process fakes (dev/simulator); nothing in production
 * provides one, so the simulator cannot be served there.
 */
export const DEMO_BACKEND = Symbol('DEMO_BACKEND');

/** The ways the simulator can make the (fake) LLM fail, to watch the fallback levels. */
export const LLM_FAILURES = [
  'none',
  /** 429 on the default model only: the fallback model answers (level 1b). */
  'rate_limit_default',
  /** 402 (the platform's OpenRouter credit ran out) on every model: level 2. */
  'payment_required',
  /** Every model hangs past the timeout: level 2 after the deadline. */
  'timeout',
  /** 503 on every model: level 2. */
  'all_down',
] as const;
export type LlmFailure = (typeof LLM_FAILURES)[number];

export interface DemoPerson {
  /** As Meta sends it in `from` (digits). */
  waId: string;
  name: string;
  role: 'owner' | 'employee';
}

export interface DemoShop {
  tenantId: string;
  name: string;
  /** The shop's business number id: where the simulated messages arrive. */
  phoneNumberId: string;
  displayPhoneNumber: string;
  people: DemoPerson[];
}

/** What the app sent to the (fake) Graph API, as the simulator shows it. */
export type DemoGraphEvent =
  | {
      kind: 'message';
      wamid: string;
      to: string;
      type: string;
      /** The exact request body the app posted to /{phone_number_id}/messages. */
      body: Record<string, unknown>;
      at: number;
    }
  | { kind: 'read'; messageId: string; typing: boolean; at: number };

export interface DemoBackend {
  shop: DemoShop;
  /** True when the LLM is the local fake (no OPENROUTER_API_KEY): failures can be scripted. */
  offlineLlm: boolean;
  /** Every Graph event so far, oldest first (a page that opens late still sees the chat). */
  graphEvents(): DemoGraphEvent[];
  /** Called with each new Graph event; returns the unsubscribe function. */
  subscribe(listener: (event: DemoGraphEvent) => void): () => void;
  llmFailure(): LlmFailure;
  /** Only with offlineLlm; throws otherwise. */
  setLlmFailure(failure: LlmFailure): void;
  /** Puts media on the fake Graph API (as a phone's upload to Meta would); returns its id. */
  storeMedia(bytes: Buffer, mimeType: string): string;
}

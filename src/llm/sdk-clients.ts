import OpenAI from 'openai';

export interface SdkClientSettings {
  baseUrl: string;
  timeoutMs: number;
  appUrl: string;
  appTitle: string;
  maxClients: number;
}

/**
 * One SDK client per API key (platform key or a tenant's own), so connection pools are reused.
 * Bounded and least-recently-used first out: tenants with their own keys can be many. Keys are
 * only Map keys here: never logged, never part of an error.
 */
export class SdkClientCache {
  private readonly clients = new Map<string, OpenAI>();

  constructor(private readonly settings: SdkClientSettings) {}

  get(apiKey: string): OpenAI {
    const cached = this.clients.get(apiKey);
    if (cached) {
      this.clients.delete(apiKey);
      this.clients.set(apiKey, cached);
      return cached;
    }
    const client = new OpenAI({
      apiKey,
      baseURL: this.settings.baseUrl,
      // The gateway owns retries (per model, bounded by the deadline) and timeouts.
      maxRetries: 0,
      timeout: this.settings.timeoutMs,
      // The SDK's debug logs would include message contents; we log our own structured lines.
      logLevel: 'off',
      defaultHeaders: {
        'HTTP-Referer': this.settings.appUrl,
        'X-Title': this.settings.appTitle,
      },
    });
    this.clients.set(apiKey, client);
    while (this.clients.size > this.settings.maxClients) {
      const oldest = this.clients.keys().next().value;
      if (oldest === undefined) break;
      this.clients.delete(oldest);
    }
    return client;
  }

  get size(): number {
    return this.clients.size;
  }
}

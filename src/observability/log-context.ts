import { AsyncLocalStorage } from 'node:async_hooks';

/** The inbound wamid being worked on: every log line written meanwhile carries it. */
const storage = new AsyncLocalStorage<{ wamid: string }>();

export function withCorrelation<T>(wamid: string, work: () => Promise<T>): Promise<T> {
  return storage.run({ wamid }, work);
}

export function correlationFields(): { wamid?: string } {
  const store = storage.getStore();
  return store ? { wamid: store.wamid } : {};
}

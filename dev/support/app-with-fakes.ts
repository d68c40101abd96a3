import { startFakeGraphApi, type FakeGraphApi } from '../fakes/fake-graph-api';
import { startFakeOpenRouter, type FakeOpenRouter } from '../fakes/fake-openrouter';
import { startApp, type RunningApp } from './app-harness';

export interface Fakes {
  graph: FakeGraphApi;
  llm: FakeOpenRouter;
}

export interface AppWithFakes extends Fakes {
  t: RunningApp;
}

export interface AppWithFakesOptions {
  /** Call graph.reset() after every test (sent messages, failures, media forgotten). */
  resetGraph?: boolean;
}

/**
 * The setup most e2e suites share, registered as Jest hooks of the calling describe block:
 * beforeAll starts the fake Graph API and the fake OpenRouter, then the app (role 'all') with
 * WHATSAPP_API_BASE_URL / OPENROUTER_BASE_URL pointing at them plus the suite's own `env`
 * (an object, or a function of the fakes and of anything earlier beforeAll hooks set up);
 * afterAll closes the app, then the fakes. One copy instead of the same dozen lines per suite.
 *
 * What it returns can be destructured at once (`const { graph, llm, t } = useAppWithFakes(…)`):
 * each is a handle that forwards to the real object once beforeAll has run, so test bodies
 * keep using `graph.sent`, `llm.on(…)`, `t.db` as before. Hooks the suite registers after this
 * call run after it (beforeAll: the app is up; afterAll: the app is already closed).
 */
export function useAppWithFakes(
  env: Record<string, string> | ((fakes: Fakes) => Record<string, string>) = {},
  options: AppWithFakesOptions = {},
): AppWithFakes {
  let running: Partial<AppWithFakes> = {};

  beforeAll(async () => {
    const graph = await startFakeGraphApi();
    running.graph = graph;
    const llm = await startFakeOpenRouter();
    running.llm = llm;
    running.t = await startApp({
      WHATSAPP_API_BASE_URL: graph.baseUrl,
      OPENROUTER_BASE_URL: llm.baseUrl,
      ...(typeof env === 'function' ? env({ graph, llm }) : env),
    });
  });
  if (options.resetGraph) afterEach(() => running.graph?.reset());
  afterAll(async () => {
    const { t, graph, llm } = running;
    running = {};
    await t?.close();
    await graph?.close();
    await llm?.close();
  });

  return {
    graph: liveHandle('graph', () => running.graph),
    llm: liveHandle('llm', () => running.llm),
    t: liveHandle('t', () => running.t),
  };
}

/** A stand-in for an object that only exists once beforeAll has run; methods keep their `this`. */
function liveHandle<T extends object>(name: string, current: () => T | undefined): T {
  const target = (): T => {
    const value = current();
    if (!value) throw new Error(`useAppWithFakes: '${name}' used outside the suite's tests`);
    return value;
  };
  return new Proxy({} as T, {
    get(_, key) {
      const real = target();
      const value: unknown = Reflect.get(real, key, real);
      return typeof value === 'function' ? value.bind(real) : value;
    },
    set: (_, key, value) => Reflect.set(target(), key, value),
    has: (_, key) => Reflect.has(target(), key),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(target(), key);
      // A proxy may only report a property its own (empty) target lacks as configurable.
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}

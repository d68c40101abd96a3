import type { RunningApp } from './app-harness';

export const ADMIN_TOKEN = process.env.ADMIN_API_TOKEN ?? 'test-admin-token-0123456789';

/** Read per request, so a caller that generates its token at start-up (benchmarks) is followed. */
function currentAdminToken(): string {
  return process.env.ADMIN_API_TOKEN ?? ADMIN_TOKEN;
}

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  text: string;
}

/** A request to the running app; `token: null` sends no Authorization header. */
export async function api<T = Record<string, unknown>>(
  t: Pick<RunningApp, 'url'>,
  method: string,
  path: string,
  options: { body?: unknown; token?: string | null; rawBody?: string } = {},
): Promise<ApiResponse<T>> {
  const token = options.token === undefined ? currentAdminToken() : options.token;
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let payload: string | undefined;
  if (options.rawBody !== undefined) payload = options.rawBody;
  else if (options.body !== undefined) payload = JSON.stringify(options.body);
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${t.url}${path}`, { method, headers, body: payload });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (e.g. an empty body): keep the text
  }
  return { status: res.status, body: body as T, text };
}

export interface RouteInfo {
  path: string;
  methods: string[];
}

/**
 * Every route Fastify has, from its own route tree (printRoutes with full segments per node):
 * indentation is the depth, and a node's path is its ancestors' segments joined.
 */
export function registeredRoutes(t: RunningApp): RouteInfo[] {
  const tree = t.app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  const routes: RouteInfo[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[├└]── (.+?)(?: \(([^)]*)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 4;
    stack.length = depth;
    stack.push(m[2]);
    if (m[3]) routes.push({ path: stack.join(''), methods: m[3].split(',').map((s) => s.trim()) });
  }
  return routes;
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A host that is not Meta's: it records every request (headers included) and answers 200
 * with a few bytes. Tests point media URLs and redirects at it to prove the bearer token
 * never reaches it.
 */
export interface RecordingServer {
  /** http://127.0.0.1:PORT */
  readonly baseUrl: string;
  readonly requests: { method: string; url: string; headers: Record<string, string> }[];
  close(): Promise<void>;
}

export async function startRecordingServer(): Promise<RecordingServer> {
  const requests: RecordingServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    }
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers });
    req.resume();
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': 4 });
    res.end(Buffer.from('nope'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

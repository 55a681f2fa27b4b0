// Small helpers for the loopback servers of the sandbox (and the test fakes built on them).
import type { IncomingMessage, Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';

// One JSON answer for the product's endpoints and the sandbox's servers alike.
export { sendJson } from '../../lib/http/json.js';

/** Listens on a free loopback port and resolves to the base url, e.g. `http://127.0.0.1:40123`. */
export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/**
 * Stops the server and drops every socket: clients keep idle keep-alive connections open, and a
 * fake may hold requests it never answers, so a plain close() would wait for them forever.
 */
export async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

/** The whole request body. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/** A TCP port that was free a moment ago (for child processes that need a port number up front). */
export async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolve);
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

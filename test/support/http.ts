// Small helpers shared by the loopback servers in test/support (Upstash bridge, fake Bot API).
// The server helpers live in lib/sandbox, which runs the same fakes for `npm start`.
import { createServer as createNetServer, type AddressInfo } from 'node:net';

export { closeServer, listen, readBody, sendJson, sleep } from '../../lib/sandbox/http.js';
export { multipartBoundary, parseMultipart, type MultipartPart } from '../../lib/sandbox/multipart.js';

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

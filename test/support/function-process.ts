// The Telegram function as Vercel runs it, in a process of its own so a test can kill it in the
// middle of an update: `api/telegram.ts` served on a loopback port, configured by the environment.
// Prints `listening <port>` when ready.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import handler from '../../api/telegram.js';

const server = createServer((req, res) => void handler(req, res));
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});

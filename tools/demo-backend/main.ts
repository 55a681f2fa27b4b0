import { parseArgs } from 'node:util';
import type { StatusNotification } from '../../lib/backend/schemas.js';
import { createNotifySender } from './notify-sender.js';
import { DEMO_ROUTES, startDemoBackend } from './server.js';

/**
 * `npm run backend:demo`: the demo backend on 127.0.0.1 for local runs of the bot.
 *
 *   --port 4010                  listening port
 *   --api-key KEY                require `Authorization: Bearer KEY` (set BACKEND_API_KEY to match)
 *   --latency-ms 0               delay added to every request
 *   --connection-latency-ms 0    delay added to the first request of each connection
 *   --advance-every-ms 30000     how long a request stays in a status (0: never moves)
 *   --notify-url URL             POST status changes there (the bot's /api/notify), each with an
 *                                event_id, retried on 429/503 after Retry-After (10 attempts at most)
 *   --notify-secret SECRET       sent as `Authorization: Bearer SECRET` to --notify-url
 */
const USAGE =
  'Usage: backend:demo [--port 4010] [--api-key KEY] [--latency-ms N] [--connection-latency-ms N]\n' +
  '                    [--advance-every-ms 30000] [--notify-url URL] [--notify-secret SECRET]';

function wholeNumber(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) throw new Error(`--${name} must be a whole number, got "${text}"\n${USAGE}`);
  return Number(text);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'api-key': { type: 'string' },
      'latency-ms': { type: 'string' },
      'connection-latency-ms': { type: 'string' },
      'advance-every-ms': { type: 'string' },
      'notify-url': { type: 'string' },
      'notify-secret': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = wholeNumber('port', values.port, 4010);
  const advanceEveryMs = wholeNumber('advance-every-ms', values['advance-every-ms'], 30_000);
  const notifyUrl = values['notify-url'];
  const notifySecret = values['notify-secret'];

  const notify =
    notifyUrl === undefined
      ? (notification: StatusNotification) => {
          process.stdout.write(`status ${notification.number} → ${notification.status} (no --notify-url)\n`);
        }
      : notifyVia(createNotifySender({ url: notifyUrl, secret: notifySecret }), notifyUrl);

  const backend = await startDemoBackend({
    port,
    apiKey: values['api-key'],
    latencyMs: wholeNumber('latency-ms', values['latency-ms'], 0),
    connectionLatencyMs: wholeNumber('connection-latency-ms', values['connection-latency-ms'], 0),
    advanceEveryMs: advanceEveryMs === 0 ? undefined : advanceEveryMs,
    onStatusChange: notify,
    onRequest: ({ method, route, status, ms }) => {
      const name = route === 'unmatched' ? `${method} (no such route)` : route;
      process.stdout.write(`${new Date().toISOString()} ${name} ${status} ${ms} ms\n`);
    },
  });

  process.stdout.write(
    [
      `Demo backend listening on ${backend.url}`,
      `  BACKEND_URL=${backend.url}${values['api-key'] === undefined ? '' : '  (API key required)'}`,
      `  statuses advance every ${advanceEveryMs === 0 ? 'never' : `${advanceEveryMs} ms`}`,
      'Routes:',
      ...DEMO_ROUTES.map((route) => `  ${route}`),
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: closing the demo backend\n`);
    backend.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function notifyVia(sender: ReturnType<typeof createNotifySender>, url: string) {
  return async (notification: StatusNotification) => {
    const result = await sender.send(notification);
    const answer = result.status === undefined ? `no answer (${result.error ?? 'unknown'})` : `answered ${result.status}`;
    process.stdout.write(`status ${notification.number} → ${notification.status}: notify ${answer} after ${result.attempts} attempt(s)\n`);
    if (!result.ok) throw new Error(`${url} ${answer}`);
  };
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

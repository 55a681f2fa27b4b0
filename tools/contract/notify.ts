import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { CliIo } from './check.js';
import { runNotifyCheck } from './notify-check.js';

/**
 * `npm run contract:notify -- --url <bot deployment> --secret S --user <id>`: sends one event of
 * each kind to the bot's /api/notify, twice each, and reports the answers.
 * Exit 0 when every answer was right, 1 otherwise, 2 for bad arguments.
 */
export const NOTIFY_USAGE = [
  'Usage: npm run contract:notify -- --url <bot deployment> --secret <NOTIFY_SECRET> --user <telegram user id> [options]',
  '  --url URL            the bot deployment (https://<project>.vercel.app) or its /api/notify URL',
  '  --secret S           NOTIFY_SECRET, as the backend sends it',
  '  --user ID            who gets the test messages: your own Telegram user id (start the bot first)',
  '  --request-id ID      the request the events name (default contract-check); --number SR-… its number (default SR-CHECK)',
  '  --burst N            also send N status events at once, retried after their Retry-After (default 0)',
  '  --max-attempts N     per event (default 5); --max-wait S: the longest Retry-After waited for (default 60)',
  '  --dry-run            print the events, send nothing',
].join('\n');

export async function contractNotifyCli(argv: readonly string[], io: CliIo, sleep?: (ms: number) => Promise<void>): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        url: { type: 'string' },
        secret: { type: 'string' },
        user: { type: 'string' },
        'request-id': { type: 'string' },
        number: { type: 'string' },
        burst: { type: 'string' },
        'max-attempts': { type: 'string' },
        'max-wait': { type: 'string' },
        'timeout-ms': { type: 'string' },
        'dry-run': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    io.error(`${error instanceof Error ? error.message : String(error)}\n${NOTIFY_USAGE}`);
    return 2;
  }
  if (values.help === true) {
    io.print(NOTIFY_USAGE);
    return 0;
  }
  const problems: string[] = [];
  const whole = (name: string, text: string | undefined, fallback: number | undefined, min = 1): number => {
    if (text === undefined) {
      if (fallback === undefined) problems.push(`--${name} is required`);
      return fallback ?? 0;
    }
    if (!/^\d{1,16}$/.test(text) || Number(text) < min) problems.push(`--${name} must be a whole number of at least ${min}, got "${text}"`);
    return Number(text);
  };
  const user = whole('user', values.user, undefined);
  const burst = whole('burst', values.burst, 0, 0);
  const maxAttempts = whole('max-attempts', values['max-attempts'], 5);
  const maxWaitSeconds = whole('max-wait', values['max-wait'], 60);
  const timeoutMs = whole('timeout-ms', values['timeout-ms'], 30_000);
  if (values.url === undefined) problems.push('--url is required');
  else if (!/^https?:\/\//.test(values.url)) problems.push(`--url must be an http(s) URL, got "${values.url}"`);
  if (values.secret === undefined || values.secret === '') problems.push('--secret is required');
  if (problems.length > 0) {
    io.error(`${problems.join('\n')}\n${NOTIFY_USAGE}`);
    return 2;
  }
  const report = await runNotifyCheck({
    url: values.url as string,
    secret: values.secret as string,
    user,
    requestId: values['request-id'] ?? 'contract-check',
    number: values.number ?? 'SR-CHECK',
    burst,
    maxAttempts,
    maxWaitSeconds,
    timeoutMs,
    dryRun: values['dry-run'] === true,
    print: io.print,
    ...(sleep !== undefined && { sleep }),
  });
  return report.failed.length > 0 ? 1 : 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  contractNotifyCli(process.argv.slice(2), { print: (line) => console.log(line), error: (line) => console.error(line) }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      process.exit(1);
    },
  );
}

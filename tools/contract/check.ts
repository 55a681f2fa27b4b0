import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startDemoTarget, type DemoTarget } from './check/demo-target.js';
import { checkIds, runContractCheck } from './check/run-check.js';

/**
 * `npm run contract:check -- --url <backend> [--api-key K] [--user ID] [--other-user ID]
 *  [--agent-hook URL] [--dry-run] [--demo]`: checks a live backend against the contract.
 * Exit 0 when nothing failed (skips allowed), 1 when a check failed, 2 for bad arguments.
 */
export const USAGE = [
  'Usage: npm run contract:check -- --url <backend> [options]',
  '  --url URL            the backend\'s base URL (BACKEND_URL)',
  '  --api-key KEY        sent as Authorization: Bearer KEY (BACKEND_API_KEY); also checks a call without it is refused',
  '  --user ID            Telegram user id the test requests belong to (default 999999001; give your own to see notifications)',
  '  --other-user ID      a second user id for the ownership checks (default: --user + 1); nothing of theirs is changed',
  '  --agent-hook URL     a staging endpoint that moves a request as an agent would: POST {"request_id", "status"};',
  '                       without it the checks that need a resolved request are skipped',
  '  --timeout-ms N       per call (default 10000)',
  '  --max-pages N        bound on the cursor walk (default 500)',
  '  --only ID[,ID…]      run only these checks (and the checks they need), e.g. --only list.cursors',
  '  --dry-run            print what would be done, make no call',
  '  --demo               check a demo backend started here (with its agent hook), as CI does',
].join('\n');

export interface CliIo {
  readonly print: (line: string) => void;
  readonly error: (line: string) => void;
}

const DEFAULT_USER = 999_999_001;

export async function contractCheckCli(argv: readonly string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        url: { type: 'string' },
        'api-key': { type: 'string' },
        user: { type: 'string' },
        'other-user': { type: 'string' },
        'agent-hook': { type: 'string' },
        'timeout-ms': { type: 'string' },
        'max-pages': { type: 'string' },
        only: { type: 'string' },
        'dry-run': { type: 'boolean' },
        demo: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    io.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  if (values.help === true) {
    io.print(USAGE);
    return 0;
  }
  const problems: string[] = [];
  const whole = (name: string, text: string | undefined, fallback: number): number => {
    if (text === undefined) return fallback;
    if (!/^[1-9]\d{0,15}$/.test(text)) problems.push(`--${name} must be a positive whole number, got "${text}"`);
    return Number(text);
  };
  const user = whole('user', values.user, DEFAULT_USER);
  const otherUser = whole('other-user', values['other-user'], user + 1);
  const timeoutMs = whole('timeout-ms', values['timeout-ms'], 10_000);
  const maxPages = whole('max-pages', values['max-pages'], 500);
  if (otherUser === user) problems.push('--other-user must differ from --user');
  if (values.demo !== true) {
    if (values.url === undefined) problems.push('--url is required (or --demo)');
    else if (!isHttpUrl(values.url)) problems.push(`--url must be an http(s) URL, got "${values.url}"`);
  }
  if (values['agent-hook'] !== undefined && !isHttpUrl(values['agent-hook'])) problems.push(`--agent-hook must be an http(s) URL, got "${values['agent-hook']}"`);
  const only = values.only?.split(',').map((id) => id.trim()).filter((id) => id !== '');
  const unknown = (only ?? []).filter((id) => !checkIds().includes(id));
  if (unknown.length > 0) problems.push(`--only: no check named ${unknown.join(', ')}; the checks are ${checkIds().join(', ')}`);
  if (problems.length > 0) {
    io.error(`${problems.join('\n')}\n${USAGE}`);
    return 2;
  }

  let demo: DemoTarget | undefined;
  try {
    if (values.demo === true && values['dry-run'] !== true) {
      demo = await startDemoTarget(values['api-key'] === undefined ? {} : { apiKey: values['api-key'] });
      io.print(`demo backend on ${demo.url}, agent hook ${demo.agentHook}`);
    }
    const report = await runContractCheck({
      url: demo?.url ?? values.url ?? 'http://127.0.0.1:<demo port>',
      apiKey: values['api-key'],
      user,
      otherUser,
      agentHook: demo?.agentHook ?? values['agent-hook'] ?? (values.demo === true ? 'http://127.0.0.1:<hook port>/agent/status' : undefined),
      timeoutMs,
      maxPages,
      maxReopens: 5,
      dryRun: values['dry-run'] === true,
      ...(only !== undefined && { only }),
      print: io.print,
    });
    return report.failed.length > 0 ? 1 : 0;
  } finally {
    await demo?.close();
  }
}

function isHttpUrl(text: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  contractCheckCli(process.argv.slice(2), { print: (line) => console.log(line), error: (line) => console.error(line) }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      process.exit(1);
    },
  );
}

/**
 * `npm start`: the whole bot offline, as a chat in this terminal. No TELEGRAM_BOT_TOKEN and no
 * network: the demo backend, a local Bot API and the real webhook and notify endpoints run on
 * 127.0.0.1. With stdin not a terminal the lines are a script (exit 1 at the first error).
 *
 *   --verbose   show the bot's log lines (LOG_LEVEL, default info) on stderr
 *
 * The store is in memory unless UPSTASH_REDIS_REST_URL/_TOKEN are set. Logs are off unless
 * LOG_LEVEL is set (then they go to a file, named in the banner) or --verbose is given.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, LOG_LEVELS, processEnv, type LogLevel } from '../../lib/config.js';
import { localRedmine, redmineStatePath, type LocalRedmine } from '../redmine/local-redmine.js';
import { startSandbox, type LogSink, type Sandbox } from './sandbox.js';
import { QUIT, runTerminalChat } from './terminal-chat.js';

const ADVANCE_EVERY_MS = 20_000;
const USAGE = 'Usage: npm start [-- --verbose] [--backend demo|redmine]   (a script: printf "/start\\n1\\n" | npm start)';

interface LogSetup {
  readonly level: LogLevel;
  readonly sink?: LogSink;
  /** For the banner. */
  readonly where: string;
  close(): void;
}

function setUpLogs(verbose: boolean, requested: string | undefined): LogSetup {
  const level = requested?.trim() || undefined;
  if (level !== undefined && !(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new ConfigError([`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`]);
  }
  if (verbose) {
    const shown = (level ?? 'info') as LogLevel;
    return { level: shown, sink: { write: (line) => process.stderr.write(formatLogLine(line)) }, where: `${shown} and up on stderr (--verbose)`, close() {} };
  }
  if (level === undefined || level === 'silent') {
    return { level: 'silent', where: 'off (set LOG_LEVEL for a log file, or use --verbose)', close() {} };
  }
  // A file keeps the transcript readable; JSON lines, as Vercel would store them (npm run analyze reads them).
  const path = join(tmpdir(), 'service-desk-sandbox.log');
  const fd = openSync(path, 'w');
  return {
    level: level as LogLevel,
    sink: { write: (line) => writeSync(fd, line) },
    where: `${level} and up in ${path}`,
    close: () => closeSync(fd),
  };
}

/** A JSON log line as one short readable line for the terminal. */
function formatLogLine(line: string): string {
  try {
    const { level, time: _time, msg, err, ...fields } = JSON.parse(line) as Record<string, unknown>;
    const parts = Object.entries(fields).map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
    if (err && typeof err === 'object') {
      const { type, message } = err as { type?: unknown; message?: unknown };
      parts.push(`err=${String(type ?? 'Error')}: ${String(message ?? '')}`);
    }
    return `  [log ${String(level)}] ${String(msg ?? '')} ${parts.join(' ')}`.trimEnd() + '\n';
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
}

function banner(sandbox: Sandbox, logs: LogSetup, tokenSet: boolean): string {
  const store =
    sandbox.store === 'memory'
      ? 'in memory'
      : `Upstash Redis at ${new URL(sandbox.config.redis?.url ?? 'http://unknown').host} (from UPSTASH_REDIS_REST_URL; the only network use)`;
  return [
    'Service desk sandbox: the real bot on 127.0.0.1, with no Telegram token and no network.',
    `  bot       ${sandbox.botUrl}  POST /api/telegram, /api/notify (the real webhook and notify handlers)`,
    `  Bot API   ${sandbox.botApi.apiRoot}  (local, in place of api.telegram.org)`,
    sandbox.config.redmine !== undefined
      ? `  backend   Redmine at ${sandbox.config.redmine.url}, project ${sandbox.config.redmine.project} (/agent, /wait, /resolve act there; the poll cron runs every ${ADVANCE_EVERY_MS / 1000} s)`
      : `  backend   ${sandbox.backend.url}  (demo; each request moves on every ${ADVANCE_EVERY_MS / 1000} s)`,
    `  store     ${store}`,
    `  Mini App  ${sandbox.botUrl}/app  open this in a desktop browser as ${sandbox.person.firstName} (launch data signed by the sandbox bot, same backend as this chat):`,
    `            ${sandbox.miniAppUrl()}`,
    `  bot logs  ${logs.where}`,
    ...(tokenSet ? ['  TELEGRAM_BOT_TOKEN is set but not used here: `npm run dev` runs the bot on the real Telegram.'] : []),
    `Type a message. A number presses that button · /contact shares your phone · /photo sends a photo · /document sends a PDF · /advance moves statuses on now`,
    `/agent <text> has an agent comment on your newest request (/agent --file <text> attaches a PDF and a picture) · /agentedit <text> changes that comment · /swipe <text> replies to the bot's last message`,
    `/wait sets your newest request waiting for you · /remind runs the reminder cron now · /resolve resolves your newest request`,
    `/start <payload> opens a deep link · /link makes a QR poster · ${QUIT}`,
    '',
  ].join('\n');
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { verbose: { type: 'boolean', short: 'v' }, help: { type: 'boolean', short: 'h' }, backend: { type: 'string' } } });
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const env = processEnv();
  const interactive = process.stdin.isTTY === true;
  const logs = setUpLogs(values.verbose === true, env.LOG_LEVEL);

  const stop = new AbortController();
  let signalName: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    signalName = signal;
    stop.abort();
  };
  // `once`: a second Ctrl+C while closing ends the process the default way.
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let sandbox: Sandbox | undefined;
  try {
    let redmine: LocalRedmine | undefined;
    if (values.backend === 'redmine') {
      redmine = await localRedmine();
      if (redmine === undefined) {
        console.error(`sandbox: no local Redmine answers (state file ${redmineStatePath()}): run npm run redmine:setup first`);
        return 1;
      }
    } else if (values.backend !== undefined && values.backend !== 'demo') {
      console.error(`sandbox: --backend must be demo or redmine\n${USAGE}`);
      return 2;
    }
    sandbox = await startSandbox({ env, advanceEveryMs: ADVANCE_EVERY_MS, logLevel: logs.level, logSink: logs.sink, ...(redmine !== undefined && { redmine }) });
    process.stdout.write(banner(sandbox, logs, (env.TELEGRAM_BOT_TOKEN ?? '').trim() !== ''));
    if (stop.signal.aborted) return 0;
    const result = await runTerminalChat(sandbox, {
      input: process.stdin,
      output: process.stdout,
      interactive,
      bold: process.stdout.isTTY === true,
      signal: stop.signal,
    });
    if (result.ended === 'error') {
      console.error(`sandbox: stopped at the first error (${result.errors} in all)`);
      return 1;
    }
    if (result.ended === 'aborted' && !interactive) return signalName === 'SIGTERM' ? 143 : 130;
    return 0;
  } finally {
    await sandbox?.close();
    logs.close();
  }
}

// `npm start | head`: a reader that went away is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

main().then(
  (code) => finish(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    finish(1);
  },
);

function finish(code: number): void {
  process.exitCode = code;
  process.stdin.destroy();
  // Everything is closed; should a stray keep-alive socket linger, do not wait for it.
  setTimeout(() => process.exit(code), 2000).unref();
}

// Shared by the reliability tests (test/reliability): fault injection that counts what it
// injected, reading sessions back from Redis through the bridge, watching for unhandled
// rejections, and the figures each file reports (summed over the run in one final summary).
import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Redis } from '@upstash/redis';
import type { DemoBackend, DemoFault, DemoRoute } from '../../tools/demo-backend/server.js';
import { parseSession, sessionKey, type Session } from '../../lib/session/session.js';
import { keyNamespace } from '../../lib/store/key-namespace.js';
import { updateLines, type BotInstance, type Harness } from './bot-harness.js';
import { TEST_BOT_TOKEN } from './updates.js';
import type { Person } from './person.js';
import type { UpstashBridge, UpstashFault } from './upstash-bridge.js';

/** The figures the issue note quotes. */
export interface Figures {
  /** Updates that reached the bot (one `update` log line each), duplicates included. */
  updatesDelivered: number;
  /** Deliveries dropped as duplicates (`handler: 'duplicate'`). */
  duplicatesDropped: number;
  /** Faulty answers (or silences) the network-edge fakes gave. */
  faultsInjected: number;
  /** Generated bodies and updates sent by the fuzzer. */
  inputsFuzzed: number;
  requestsCreated: number;
  requestsExpected: number;
  /** People told by a status push (one successful send each at the Bot API), and how many should be. */
  notificationsSent: number;
  notificationsExpected: number;
  /** People told more than once by the same event. */
  notificationDuplicates: number;
}

const FIGURE_NAMES: readonly (keyof Figures)[] = [
  'updatesDelivered',
  'duplicatesDropped',
  'faultsInjected',
  'inputsFuzzed',
  'requestsCreated',
  'requestsExpected',
  'notificationsSent',
  'notificationsExpected',
  'notificationDuplicates',
];

/** The files of test/reliability; the one that finds all of them reported prints the total. */
export const RELIABILITY_FILES = [
  'redelivery',
  'submission',
  'backend-faults',
  'store-faults',
  'bot-api-faults',
  'fuzz',
  'security',
  'load',
  'notification-burst',
  'lifecycle',
] as const;

export type ReliabilityFile = (typeof RELIABILITY_FILES)[number];

export interface Tally {
  readonly figures: Figures;
  /** Faults the test injected and saw consumed. */
  fault(count?: number): void;
  fuzzed(count?: number): void;
  /** Requests the test's own arithmetic says must exist at the backend. */
  expectRequests(count: number): void;
  /** What a notification run delivered, counted at the Bot API, against what it should have. */
  notifications(counts: { readonly sent: number; readonly expected: number; readonly duplicates: number }): void;
  /**
   * Adds what a harness counted (update log lines, duplicates, requests at its backend) and
   * prints this file's line; when every file of the run has reported, prints the run's total.
   */
  report(harnesses: readonly Harness[]): void;
}

export function createTally(file: ReliabilityFile): Tally {
  const figures: Figures = {
    updatesDelivered: 0,
    duplicatesDropped: 0,
    faultsInjected: 0,
    inputsFuzzed: 0,
    requestsCreated: 0,
    requestsExpected: 0,
    notificationsSent: 0,
    notificationsExpected: 0,
    notificationDuplicates: 0,
  };
  return {
    figures,
    fault(count = 1) {
      figures.faultsInjected += count;
    },
    fuzzed(count = 1) {
      figures.inputsFuzzed += count;
    },
    expectRequests(count) {
      figures.requestsExpected += count;
    },
    notifications({ sent, expected, duplicates }) {
      figures.notificationsSent += sent;
      figures.notificationsExpected += expected;
      figures.notificationDuplicates += duplicates;
    },
    report(harnesses) {
      for (const harness of harnesses) {
        const lines = updateLines(harness);
        figures.updatesDelivered += lines.length;
        figures.duplicatesDropped += lines.filter((line) => line.handler === 'duplicate').length;
        figures.requestsCreated += harness.backend.requests().length;
      }
      console.log(`[reliability] ${file}: ${describeFigures(figures)}`);
      recordAndSummarize(file, figures);
    },
  };
}

function describeFigures(f: Figures): string {
  return (
    `updates delivered ${f.updatesDelivered}, duplicates dropped ${f.duplicatesDropped}, ` +
    `faults injected ${f.faultsInjected}, inputs fuzzed ${f.inputsFuzzed}, ` +
    `requests created ${f.requestsCreated} / expected ${f.requestsExpected}, ` +
    `notifications sent ${f.notificationsSent} / expected ${f.notificationsExpected}, duplicates ${f.notificationDuplicates}`
  );
}

/**
 * Vitest runs each file in its own process, all children of one vitest process: the files of
 * one run share a scratch file named after that parent.
 */
function recordAndSummarize(file: ReliabilityFile, figures: Figures): void {
  const path = join(tmpdir(), `service-desk-reliability-${process.ppid}.jsonl`);
  appendFileSync(path, JSON.stringify({ file, figures }) + '\n');
  const reported = new Map<string, Figures>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const entry = JSON.parse(line) as { file: string; figures: Figures };
    reported.set(entry.file, entry.figures);
  }
  if (!RELIABILITY_FILES.every((name) => reported.has(name))) return;
  const total = Object.fromEntries(FIGURE_NAMES.map((name) => [name, 0])) as unknown as Figures;
  for (const f of reported.values()) for (const name of FIGURE_NAMES) total[name] += f[name];
  const rows = RELIABILITY_FILES.map((name) => `  ${name.padEnd(19)} ${describeFigures(reported.get(name) ?? total)}`);
  console.log(['[reliability] SUMMARY (all files of this run)', ...rows, `  ${'TOTAL'.padEnd(19)} ${describeFigures(total)}`].join('\n'));
  rmSync(path, { force: true });
}

/** Collects unhandled rejections while a file runs; `stop()` removes the listener. */
export function watchUnhandledRejections(): { readonly seen: unknown[]; stop(): void } {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', listener);
  return { seen, stop: () => process.off('unhandledRejection', listener) };
}

/**
 * A backend fault on a route for the next `times` requests (all until `stop` when omitted).
 * `stop()` clears it and answers how many requests it hit, counted at the demo backend.
 */
export function backendFault(backend: DemoBackend, route: DemoRoute | '*', fault: DemoFault, times = Number.POSITIVE_INFINITY) {
  const seen = () => (route === '*' ? backend.stats.requests : (backend.stats.byRoute[route] ?? 0));
  const before = seen();
  backend.setFault(route, fault, times);
  return {
    stop(): number {
      backend.setFault(route, 'none');
      return Math.min(times, seen() - before);
    },
  };
}

/** An Upstash fault until `stop()`, which answers how many round trips met it at the bridge. */
export function upstashFault(bridge: UpstashBridge, fault: UpstashFault) {
  const before = bridge.stats.requests;
  bridge.setFault(fault);
  return {
    stop(): number {
      bridge.setFault('none');
      return bridge.stats.requests - before;
    },
  };
}

/** A client of the harness's Redis through the bridge, as another instance would see it. */
export function redisOf(harness: Harness): Redis {
  if (!harness.bridge) throw new Error('this test needs the Redis bridge');
  return new Redis({ url: harness.bridge.url, token: harness.bridge.token, automaticDeserialization: false, enableAutoPipelining: false });
}

/** The raw stored session, as Redis holds it under the test bot's namespace. */
export function rawSession(redis: Redis, userId: number, namespace = keyNamespace({ token: TEST_BOT_TOKEN })): Promise<string | null> {
  return redis.get<string>(`${namespace}:${sessionKey(userId)}`);
}

/**
 * Delivers one update to the instances (a, b, a, …) all at once, then as Telegram does: a delivery
 * answered 503 (the update was still running elsewhere) is delivered again after a backoff until
 * it is answered 200. Resolves with each delivery's final status and how many were retried.
 */
export async function atOnceLikeTelegram(update: unknown, instances: readonly BotInstance[], times = 5): Promise<{ statuses: number[]; retried: number }> {
  const deliver = (i: number) => (instances[i % instances.length] as BotInstance).send(update);
  const answers = await Promise.all(Array.from({ length: times }, (_, i) => deliver(i)));
  const retried = answers.filter((answer) => answer.status === 503).length;
  const statuses = await Promise.all(
    answers.map(async (answer, i) => {
      let status = answer.status;
      // Telegram backs off (from 1 s, doubling) before delivering again; a shorter wait does here.
      for (let attempt = 0; status === 503 && attempt < 5; attempt++) {
        await sleep(50 * 2 ** attempt);
        status = (await deliver(i)).status;
      }
      return status;
    }),
  );
  return { statuses, retried };
}

/** The person's session as stored in Redis (null when there is none), under the test bot's namespace. */
export async function storedSession(redis: Redis, userId: number, namespace = keyNamespace({ token: TEST_BOT_TOKEN })): Promise<Session | null> {
  const raw = await redis.get<string>(`${namespace}:${sessionKey(userId)}`);
  return raw === null ? null : parseSession(raw);
}

/** True when the raw value is a whole, valid session: parsing it keeps every field it has. */
export function isIntactSession(raw: string): boolean {
  try {
    return isDeepStrictEqual(parseSession(raw), JSON.parse(raw));
  } catch {
    return false;
  }
}

/** The steps of a person from /start to the description step of Repair · Individual · Plumbing. */
export async function toDescription(p: Person): Promise<void> {
  await p.say('/start');
  await p.tap('New request');
  await p.tap('Repair');
  await p.tap('Individual');
  await p.tap('Plumbing');
}

/** On to the summary with this description, a photo and the person's own phone number. */
export async function toSummary(p: Person, description: string, extras: { readonly photo?: boolean; readonly phone?: boolean } = {}): Promise<void> {
  await toDescription(p);
  await p.say(description);
  if (extras.photo) await p.sendPhoto();
  else await p.tap('Skip');
  if (extras.phone) await p.shareContact();
  else await p.say('skip');
}

/** A message as the person reads it: the bot sends HTML, Telegram shows it without tags. */
export function plain(html: string): string {
  return html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

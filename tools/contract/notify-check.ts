import { randomBytes } from 'node:crypto';
import { setTimeout as sleepFor } from 'node:timers/promises';
import * as v from 'valibot';
import { excerpt } from './check/probe-client.js';
import { NotifyAnswerSchema, NotifyRefusedSchema, NotifyRetryLaterSchema, type NotifyAnswer } from './notify-answers.js';
import { EVENTS } from './routes.js';

/**
 * `npm run contract:notify`: the other direction of the contract. Sends one event of each kind to
 * a running bot's `/api/notify` as a backend would, each twice with one `event_id`, retrying 429
 * and 503 after their Retry-After, and reports every answer; so a backend team sees its secret
 * accepted, its event ids de-duplicated, and what its retry handling must do.
 */

export interface NotifyCheckOptions {
  /** The bot deployment (`https://…vercel.app`) or its `/api/notify` URL. */
  readonly url: string;
  readonly secret: string;
  /** Who receives the test messages: give your own Telegram user id (you must have started the bot). */
  readonly user: number;
  /** The request the events name (their buttons open it). */
  readonly requestId: string;
  readonly number: string;
  /** Also send this many status events at once (each with its own event id), retried as told. */
  readonly burst: number;
  readonly maxAttempts: number;
  /** A Retry-After longer than this (s) is reported, not waited for. */
  readonly maxWaitSeconds: number;
  readonly timeoutMs: number;
  readonly dryRun: boolean;
  readonly runId?: string;
  readonly print: (line: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface NotifyReport {
  readonly passed: readonly string[];
  readonly failed: readonly string[];
}

export const NOTIFY_MARK = '[contract check]';

interface Answer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly text: string;
}

class NotifyFailure extends Error {}

/** The endpoint: `…/api/notify`, whether the URL names the deployment or the endpoint itself. */
export function notifyEndpoint(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return trimmed.endsWith('/api/notify') ? trimmed : `${trimmed}/api/notify`;
}

/**
 * An event of `kind` from the OpenAPI table's first example, addressed to `user`, marked as a test,
 * without files (the bot would try to download them).
 */
export function sampleEvent(kind: keyof typeof EVENTS, fields: { eventId: string; user: number; requestId: string; number: string; runId: string }): Record<string, unknown> {
  const doc = EVENTS[kind];
  const example = doc.body.examples[0]?.value;
  if (example === undefined) throw new Error(`The ${kind} event has no example in tools/contract/routes.ts`);
  const text = `${NOTIFY_MARK} A ${kind} event from npm run contract:notify (run ${fields.runId}).`;
  const marked = (value: unknown, key?: string): unknown => {
    if (Array.isArray(value)) return value.map((item) => marked(item));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).filter(([name]) => name !== 'attachments').map(([name, item]) => [name, marked(item, name)]));
    }
    return typeof value === 'string' && (key === 'text' || key === 'comment') ? text : value;
  };
  const event = {
    ...(marked(example) as Record<string, unknown>),
    event_id: fields.eventId,
    telegram_user_id: fields.user,
    request_id: fields.requestId,
    number: fields.number,
  };
  const parsed = v.safeParse(doc.body.schema, event);
  if (!parsed.success) throw new Error(`The sample ${kind} event is not valid: ${parsed.issues.map((issue) => v.getDotPath(issue) ?? 'body').join(', ')}`);
  return event;
}

export async function runNotifyCheck(options: NotifyCheckOptions): Promise<NotifyReport> {
  const runId = options.runId ?? randomBytes(4).toString('hex');
  const endpoint = notifyEndpoint(options.url);
  const sleep = options.sleep ?? ((ms: number) => sleepFor(ms));
  const { print } = options;
  const kinds = Object.keys(EVENTS) as (keyof typeof EVENTS)[];
  const events = kinds.map((kind) => ({
    kind,
    event: sampleEvent(kind, { eventId: `contract-notify-${runId}-${kind}`, user: options.user, requestId: options.requestId, number: options.number, runId }),
  }));
  const ids = ['notify.wrong-secret', 'notify.invalid-event', ...kinds.flatMap((kind) => [`notify.${kind}`, `notify.${kind}.again`]), ...(options.burst > 0 ? ['notify.burst'] : [])];
  const width = Math.max(...ids.map((id) => id.length));

  if (options.dryRun) {
    print(`dry run: nothing is sent. To ${endpoint} the check would POST, in this order:`);
    print(`  ${'notify.wrong-secret'.padEnd(width)}  an event with a wrong secret (expects 401)`);
    print(`  ${'notify.invalid-event'.padEnd(width)}  an event without its fields (expects 400 naming them)`);
    for (const { kind, event } of events) {
      print(`  ${`notify.${kind}`.padEnd(width)}  ${JSON.stringify(event)}`);
      print(`  ${`notify.${kind}.again`.padEnd(width)}  the same event again (expects duplicate: true)`);
    }
    if (options.burst > 0) print(`  ${'notify.burst'.padEnd(width)}  ${options.burst} status events at once, each retried after its Retry-After`);
    print(`User ${options.user} gets ${events.length + options.burst} Telegram messages, marked "${NOTIFY_MARK}".`);
    return { passed: [], failed: [] };
  }

  const post = async (body: unknown, secret: string): Promise<Answer> => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), text: await response.text() };
  };

  /** Sends until the bot stops saying "later", as a backend must: 429 and 503 after their Retry-After. */
  const deliver = async (event: unknown): Promise<{ answer: NotifyAnswer; steps: string[] }> => {
    const steps: string[] = [];
    for (let attempt = 1; ; attempt += 1) {
      const answer = await post(event, options.secret);
      if (answer.status === 200) {
        const parsed = v.safeParse(NotifyAnswerSchema, parseJson(answer.text));
        if (!parsed.success) throw new NotifyFailure(`200 not in the notify answer's shape: ${excerpt(answer.text)}`);
        return { answer: parsed.output, steps };
      }
      if (answer.status === 401) throw new NotifyFailure('401: the bot refused the secret (NOTIFY_SECRET differs between the backend and the bot)');
      if (answer.status !== 429 && answer.status !== 503) throw new NotifyFailure(`${answer.status} ${excerpt(answer.text)}`);
      if (answer.retryAfter === null) {
        throw new NotifyFailure(`${answer.status} without Retry-After: ${excerpt(answer.text)} (the bot could not start, or NOTIFY_SECRET is not set there)`);
      }
      const seconds = Number(answer.retryAfter);
      const body = v.safeParse(NotifyRetryLaterSchema, parseJson(answer.text));
      if (!Number.isFinite(seconds) || !body.success) throw new NotifyFailure(`${answer.status} with Retry-After "${answer.retryAfter}" and ${excerpt(answer.text)}`);
      steps.push(`${answer.status} Retry-After ${seconds}`);
      if (attempt >= options.maxAttempts) throw new NotifyFailure(`still ${answer.status} after ${attempt} attempts (${steps.join(', ')})`);
      if (seconds > options.maxWaitSeconds) throw new NotifyFailure(`${answer.status} asks to wait ${seconds} s, more than --max-wait ${options.maxWaitSeconds}`);
      await sleep(seconds * 1000);
    }
  };
  const retried = (steps: readonly string[]) => (steps.length === 0 ? '' : ` after ${steps.join(', ')} (waited as told)`);

  const report = { passed: [] as string[], failed: [] as string[] };
  const run = async (id: string, body: () => Promise<string>) => {
    try {
      const detail = await body();
      report.passed.push(id);
      print(`PASS ${id.padEnd(width)}  ${detail}`);
    } catch (error) {
      report.failed.push(id);
      const detail = error instanceof NotifyFailure ? error.message : error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      print(`FAIL ${id.padEnd(width)}  ${detail}`);
    }
  };

  print(`contract notify check of ${endpoint} for user ${options.user}, run ${runId}`);
  const [first] = events;
  await run('notify.wrong-secret', async () => {
    const answer = await post(first?.event, `${options.secret}-wrong`);
    if (answer.status !== 401) throw new NotifyFailure(`a wrong secret: expected 401, got ${answer.status} ${excerpt(answer.text)}`);
    return 'a wrong secret: 401, nothing sent';
  });
  await run('notify.invalid-event', async () => {
    const answer = await post({ kind: first?.kind, event_id: `contract-notify-${runId}-invalid` }, options.secret);
    if (answer.status === 401) throw new NotifyFailure('401: the bot refused the secret (NOTIFY_SECRET differs between the backend and the bot)');
    const body = v.safeParse(NotifyRefusedSchema, parseJson(answer.text));
    if (answer.status !== 400 || !body.success || (body.output.fields ?? []).length === 0) {
      throw new NotifyFailure(`an event without its fields: expected 400 naming them, got ${answer.status} ${excerpt(answer.text)}`);
    }
    return `an event without its fields: 400, fields ${body.output.fields?.join(', ')}`;
  });
  for (const { kind, event } of events) {
    let firstAnswer: NotifyAnswer | undefined;
    await run(`notify.${kind}`, async () => {
      const { answer, steps } = await deliver(event);
      firstAnswer = answer;
      if (answer.duplicate === true) throw new NotifyFailure(`event ${String(event.event_id)} answered duplicate: true the first time it was sent`);
      return answer.delivered
        ? `event ${String(event.event_id)}: 200 delivered, messageId ${answer.messageId}${retried(steps)}`
        : `event ${String(event.event_id)}: 200 delivered: false, blocked (user ${options.user} blocked the bot or never started it)${retried(steps)}`;
    });
    await run(`notify.${kind}.again`, async () => {
      if (firstAnswer === undefined) throw new NotifyFailure(`needs notify.${kind}`);
      const { answer, steps } = await deliver(event);
      if (answer.duplicate !== true) throw new NotifyFailure(`the same event_id again: expected 200 duplicate: true, got ${JSON.stringify(answer)} (a second message was sent)`);
      const same = !firstAnswer.delivered || (answer.delivered && answer.messageId === firstAnswer.messageId);
      if (!same) throw new NotifyFailure(`the same event_id again named another message: ${JSON.stringify(answer)}`);
      return `the same event_id again: 200 duplicate: true${answer.delivered ? `, messageId ${answer.messageId}` : ''}, no second message${retried(steps)}`;
    });
  }
  if (options.burst > 0) {
    await run('notify.burst', async () => {
      const burst = Array.from({ length: options.burst }, (_, index) =>
        sampleEvent('status', { eventId: `contract-notify-${runId}-burst-${index + 1}`, user: options.user, requestId: options.requestId, number: options.number, runId }),
      );
      const results = await Promise.all(burst.map((event) => deliver(event)));
      const told = results.filter((result) => result.answer.delivered && result.answer.duplicate !== true).length;
      const waits = results.flatMap((result) => result.steps);
      const counted = [...new Set(waits)].map((step) => `${step} ×${waits.filter((other) => other === step).length}`);
      if (told !== burst.length) throw new NotifyFailure(`${told} of ${burst.length} events told once`);
      return `${burst.length} events at once, each told once; on the way: ${counted.length === 0 ? 'no 429 or 503' : counted.join(', ')}`;
    });
  }
  print(`${report.passed.length} passed, ${report.failed.length} failed`);
  return report;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

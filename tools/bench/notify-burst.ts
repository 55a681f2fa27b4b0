// A burst of notification events, as an organisation's backend sends them after an outage: every
// event POSTed to the bot's instances by a worker pool through a network that loses some answers
// after the bot did the work (the backend then retries), retried on 429/503 no sooner than
// Retry-After. Counted at the fakes: who was told how often, Telegram's refusals, the POSTs, the
// Upstash round trips. The reliability test asserts on it; `npm run bench -- --workloads
// notify-burst` measures it for 1, 2 and 3 instances.
import { createNotifySender, type NotifySendResult } from '../demo-backend/notify-sender.js';
import type { BotApiServer } from '../sandbox/bot-api-server.js';
import type { UpstashBridge } from '../sandbox/upstash-bridge.js';
import { startLossyBalancer } from './lossy-balancer.js';

export interface NotifyBurstOptions {
  /** The instances' notify endpoints; the balancer spreads the POSTs over them round robin. */
  readonly targets: readonly string[];
  /** The Bot API fake the instances send to (its rate limit is the caller's); its calls are counted. */
  readonly telegram: BotApiServer;
  /** The Upstash bridge, when the instances use one: its round trips are counted (reset first). */
  readonly bridge?: UpstashBridge;
  /** NOTIFY_SECRET of the instances. */
  readonly secret: string;
  readonly events: number;
  /** The backend's worker pool: events in flight at once. */
  readonly workers: number;
  /** Telegram user id of the first person; one person per event. */
  readonly firstUser: number;
  /** The answer of every n-th event's first delivery is lost on the way back (0: none). */
  readonly loseEvery: number;
  /** Makes this run's event ids its own (the bot remembers event ids for 24 h). */
  readonly runId: string;
  /** Attempts per event before the backend gives up (30 by default). */
  readonly maxAttempts?: number;
}

export interface NotifyBurstFigures {
  readonly instances: number;
  readonly events: number;
  /** From the first POST to the last answer. */
  readonly seconds: number;
  /** People told at least once, and the ones told more than once or never. */
  readonly told: number;
  readonly twice: readonly number[];
  readonly never: readonly number[];
  /** People whose message does not name their own request. */
  readonly misaddressed: readonly number[];
  /** Events whose last answer was not "delivered". */
  readonly unacknowledged: number;
  readonly posts: number;
  readonly retries: { readonly rateLimited: number; readonly unavailable: number; readonly network: number };
  /** Answers the network lost, and how many of those events were answered `duplicate: true` on the retry. */
  readonly lostAnswers: number;
  readonly lostAnsweredAsDuplicate: number;
  /** sendMessage calls Telegram refused with 429. */
  readonly telegramRefused: number;
  readonly mostAttempts: number;
  /** Upstash round trips and commands during the run, and the shared pace's script calls among them. */
  readonly redisRoundTrips: number;
  readonly redisCommands: number;
  readonly paceCalls: number;
  readonly results: readonly NotifySendResult[];
}

export async function runNotifyBurst(options: NotifyBurstOptions): Promise<NotifyBurstFigures> {
  const lost = new Set<string>();
  const balancer = await startLossyBalancer({
    targets: options.targets,
    loseAnswer({ body, status, answer }) {
      if (options.loseEvery <= 0) return false;
      const event = JSON.parse(body.toString('utf8')) as { event_id: string };
      const index = Number(event.event_id.split('-').at(-1));
      const firstDelivery = status === 200 && !answer.includes('"duplicate"') && !lost.has(event.event_id);
      if (index % options.loseEvery !== 0 || !firstDelivery) return false;
      lost.add(event.event_id);
      return true;
    },
  });
  try {
    const people = Array.from({ length: options.events }, (_, i) => options.firstUser + i);
    const events = people.map((userId, i) => ({
      event_id: `${options.runId}-${i}`,
      kind: 'status',
      request_id: `req-${options.runId}-${i}`,
      number: `SR-${options.runId}-${i}`,
      status: 'resolved',
      telegram_user_id: userId,
    }));
    const backend = createNotifySender({ url: balancer.url, secret: options.secret, maxAttempts: options.maxAttempts ?? 30, networkRetryMs: 200 });
    const callsBefore = options.telegram.calls.length;
    options.bridge?.resetStats();

    const started = performance.now();
    const results = await pool(events, options.workers, (event) => backend.send(event));
    const seconds = (performance.now() - started) / 1000;

    const first = options.firstUser;
    const mine = options.telegram.calls
      .slice(callsBefore)
      .filter((call) => call.method.toLowerCase() === 'sendmessage' && Number(call.payload.chat_id) >= first && Number(call.payload.chat_id) < first + options.events);
    const accepted = mine.filter((call) => call.status === 200);
    const perPerson = new Map<number, number>();
    const misaddressed: number[] = [];
    for (const call of accepted) {
      const userId = Number(call.payload.chat_id);
      perPerson.set(userId, (perPerson.get(userId) ?? 0) + 1);
      if (!String(call.payload.text).includes(`SR-${options.runId}-${userId - first}<`)) misaddressed.push(userId);
    }
    const commandNames = options.bridge?.stats.commandNames ?? [];
    return {
      instances: options.targets.length,
      events: options.events,
      seconds,
      told: perPerson.size,
      twice: people.filter((userId) => (perPerson.get(userId) ?? 0) > 1),
      never: people.filter((userId) => !perPerson.has(userId)),
      misaddressed,
      unacknowledged: results.filter((result) => !result.ok || (result.body as { delivered?: unknown } | undefined)?.delivered !== true).length,
      posts: results.reduce((sum, result) => sum + result.attempts, 0),
      retries: results.reduce(
        (sum, result) => ({
          rateLimited: sum.rateLimited + result.retries.rateLimited,
          unavailable: sum.unavailable + result.retries.unavailable,
          network: sum.network + result.retries.network,
        }),
        { rateLimited: 0, unavailable: 0, network: 0 },
      ),
      lostAnswers: balancer.lost,
      lostAnsweredAsDuplicate: events.filter((event, i) => lost.has(event.event_id) && (results[i]?.body as { duplicate?: unknown } | undefined)?.duplicate === true).length,
      telegramRefused: mine.filter((call) => call.status === 429).length,
      mostAttempts: Math.max(0, ...results.map((result) => result.attempts)),
      redisRoundTrips: options.bridge?.stats.requests ?? 0,
      redisCommands: options.bridge?.stats.commands ?? 0,
      paceCalls: commandNames.filter((name) => name.startsWith('EVAL')).length,
      results,
    };
  } finally {
    await balancer.close();
  }
}

/** One line of figures, for logs and the test's output. */
export function describeBurst(figures: NotifyBurstFigures, label: string): string {
  const { retries } = figures;
  return (
    `[notify-burst] ${label}: ${figures.events} events, ${figures.instances} instance(s): took ${figures.seconds.toFixed(1)} s; ` +
    `told ${figures.told}, twice ${figures.twice.length}, never ${figures.never.length}, unacknowledged ${figures.unacknowledged}; ` +
    `POSTs ${figures.posts} (retries: 429 ${retries.rateLimited}, 503 ${retries.unavailable}, lost answers ${retries.network}, ` +
    `answered as duplicates ${figures.lostAnsweredAsDuplicate}); Telegram refused ${figures.telegramRefused} (429); ` +
    `Upstash ${figures.redisRoundTrips} round trips, ${figures.redisCommands} commands, ${figures.paceCalls} pace calls; most attempts for one event ${figures.mostAttempts}`
  );
}

/** Runs `work` over `items`, at most `limit` at a time, like a backend's worker pool. */
async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

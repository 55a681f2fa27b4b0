// Warm workloads: the three modes side by side, each in its own bot process, run in rounds whose
// mode order rotates (naive, optimized, floor / optimized, floor, naive / …) so drift of the
// machine over time falls on every mode alike.
import { startBotChild, type BotChild, type SendResult } from './bot-children.js';
import type { BenchBuild } from './build.js';
import { addCounts, BOT_TOKEN, zeroCounts, type EdgeCounts, type Fakes } from './fakes.js';
import { cycleOf, JourneyError, seedRequestBody, setupSteps, type Person, type Step, type WarmWorkload } from './journeys.js';
import { MODES, type Mode } from './modes.js';

export interface ModeResult {
  readonly mode: Mode;
  readonly answerMs: number[];
  readonly fullMs: number[];
  updates: number;
  readonly counts: EdgeCounts;
  cpuMs: number;
  peakRssMb: number;
  errors: number;
  readonly errorSamples: string[];
  botErrorLogs: number;
}

export function emptyModeResult(mode: Mode): ModeResult {
  return { mode, answerMs: [], fullMs: [], updates: 0, counts: zeroCounts(), cpuMs: 0, peakRssMb: 0, errors: 0, errorSamples: [], botErrorLogs: 0 };
}

export interface WarmOptions {
  readonly workload: WarmWorkload;
  readonly fakes: Fakes;
  readonly build: BenchBuild;
  readonly people: number;
  /** People tapping at the same moment (all of them for burst). */
  readonly concurrency: number;
  readonly rounds: number;
  /** People who run one unmeasured cycle first (fills caches and connection pools). */
  readonly warmupPeople: number;
  /** Distinguishes this workload's users from the others' (sessions, requests). */
  readonly userBase: number;
  readonly progress: (line: string) => void;
  /** The Node binary every mode runs on (Vercel's, Node 24, when the bench has it). */
  readonly node?: string;
  /** The shipped `api/telegram.func` the optimized mode runs, and the environment it is started with. */
  readonly funcDir?: string;
  readonly funcEnv?: Record<string, string>;
}

/** User ids per mode, so the modes never share a session, a chat or a request list. */
export function userIdOf(mode: Mode, userBase: number, index: number): number {
  return 1_000_000 * (MODES.indexOf(mode) + 1) + userBase + index + 1;
}

export async function runWarmWorkload(options: WarmOptions): Promise<Record<Mode, ModeResult>> {
  const { workload, fakes, rounds } = options;
  const results = { naive: emptyModeResult('naive'), optimized: emptyModeResult('optimized'), floor: emptyModeResult('floor') };
  const children: Partial<Record<Mode, BotChild>> = {};
  try {
    await Promise.all(
      MODES.map(async (mode) => {
        children[mode] = await startBotChild({
          mode,
          script: options.build.botProcess,
          env: fakes.env(),
          connections: Math.max(options.concurrency, 8) + 8,
          node: options.node,
          funcDir: options.funcDir,
          funcEnv: options.funcEnv,
        });
      }),
    );
    // Every person runs ONE measured cycle (fresh people each round, others for the warm-up), as
    // real people tap a few times a minute: the product's flood limit (30 updates a minute per
    // person) never applies, and no person's state leaks from one round into the next.
    const person = (mode: Mode, index: number): Person => ({ index, userId: userIdOf(mode, options.userBase, index) });
    const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
    const roundPeople = (mode: Mode, round: number) => range(round * options.people, options.people).map((i) => person(mode, i));
    const warmPeople = (mode: Mode) => range(rounds * options.people, Math.min(options.warmupPeople, options.people)).map((i) => person(mode, i));
    const everyone = (mode: Mode) => [...range(0, rounds).flatMap((round) => roundPeople(mode, round)), ...warmPeople(mode)];

    // Unmeasured, so the modes go in parallel: everyone opens the chat (the status workload also
    // seeds requests to look at), then the warm-up people run one cycle to fill caches and pools.
    await Promise.all(
      MODES.map(async (mode) => {
        const child = children[mode] as BotChild;
        if (workload === 'status' && mode !== 'floor') await seedRequests(fakes, everyone(mode));
        if (mode !== 'floor') await runSlice(child, fakes, everyone(mode), SETUP_CONCURRENCY, () => setupSteps(), undefined);
        const warm = warmPeople(mode);
        await runSlice(child, fakes, warm, Math.max(options.concurrency, warm.length), (p) => cycleOf(workload, p), undefined);
      }),
    );
    fakes.take();

    for (let round = 0; round < rounds; round++) {
      const order = MODES.map((_, i) => MODES[(i + round) % MODES.length] as Mode);
      for (const mode of order) {
        const child = children[mode] as BotChild;
        const result = results[mode];
        const before = await child.sample();
        const sliceStart = result.answerMs.length;
        await runSlice(child, fakes, roundPeople(mode, round), options.concurrency, (p) => cycleOf(workload, p), result);
        const after = await child.sample();
        addCounts(result.counts, fakes.take());
        result.cpuMs += after.cpuMs - before.cpuMs;
        const answers = result.answerMs.slice(sliceStart).sort((a, b) => a - b);
        const p50 = answers[Math.floor(answers.length / 2)] ?? Number.NaN;
        options.progress(
          `${workload.padEnd(6)} round ${round + 1}/${rounds} ${mode.padEnd(9)} ${String(answers.length).padStart(5)} updates, ` +
            `webhook answer p50 ${p50.toFixed(1)} ms${result.errors > 0 ? `, ${result.errors} errors` : ''}`,
        );
      }
    }
    for (const mode of MODES) {
      const child = children[mode] as BotChild;
      results[mode].peakRssMb = (await child.sample()).maxRssMb;
      results[mode].botErrorLogs = child.errorLogs().count;
      for (const line of child.errorLogs().first) if (results[mode].errorSamples.length < 5) results[mode].errorSamples.push(line);
    }
  } finally {
    await Promise.allSettled(Object.values(children).map((child) => child.stop()));
  }
  return results;
}

/**
 * Each person runs their steps in order, waiting until the bot has finished one update before
 * the next tap (as a person waits for the screen to change); at most `concurrency` people at once.
 * With `into`, every update's timings and the failures are recorded there.
 */
export async function runSlice(
  child: BotChild,
  fakes: Fakes,
  people: readonly Person[],
  concurrency: number,
  stepsOf: (person: Person) => Step[],
  into: ModeResult | undefined,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < people.length) {
      const person = people[next++] as Person;
      for (const step of stepsOf(person)) {
        let result: SendResult;
        try {
          const update = step.build({ person, mode: child.mode, telegram: fakes.telegram });
          result = await child.send(update);
        } catch (error) {
          // Setup and warm-up must work; in a measured slice a failure is counted and reported.
          if (!into) throw new Error(`bench setup failed at "${step.name}": ${error instanceof Error ? error.message : String(error)}`);
          recordError(into, `${step.name}: ${error instanceof JourneyError ? error.message : String(error)}`);
          break; // the person's screen is not what the next step expects
        }
        applyWebhookReply(fakes, result.body);
        if (into) {
          into.updates += 1;
          into.answerMs.push(result.answerMs);
          into.fullMs.push(result.fullMs);
        }
        if (result.status !== 200) {
          const message = `${step.name}: webhook answered ${result.status} ${result.body.slice(0, 200)}`;
          if (!into) throw new Error(`bench setup failed: ${message}`);
          recordError(into, message);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, people.length)) }, worker));
}

function recordError(into: ModeResult | undefined, message: string): void {
  if (!into) return;
  into.errors += 1;
  if (into.errorSamples.length < 5) into.errorSamples.push(message);
}

/** Telegram executes a method written into the webhook answer; so does the fake. */
export function applyWebhookReply(fakes: Fakes, body: string): void {
  if (!body.trimStart().startsWith('{')) return;
  try {
    fakes.telegram.applyWebhookReply(BOT_TOKEN, JSON.parse(body));
  } catch {
    // not a method call
  }
}

const SETUP_CONCURRENCY = 16;

/** Three requests per person, straight to the backend (unmeasured setup). */
async function seedRequests(fakes: Fakes, people: readonly Person[]): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < people.length) await seedOne(people[next++] as Person);
  };
  await Promise.all(Array.from({ length: SETUP_CONCURRENCY }, worker));

  async function seedOne(person: Person): Promise<void> {
    for (let n = 1; n <= 3; n++) {
      const response = await fetch(`${fakes.backend.url}/requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `bench-seed-${person.userId}-${n}` },
        body: JSON.stringify(seedRequestBody(person, n)),
      });
      if (response.status !== 201 && response.status !== 200) throw new Error(`bench: seeding a request failed: ${response.status} ${await response.text()}`);
    }
  }
}

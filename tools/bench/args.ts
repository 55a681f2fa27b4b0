import { DEFAULT_LATENCIES, type Latencies } from './fakes.js';
import { WORKLOADS, type WarmWorkload } from './journeys.js';
import { DEFAULT_PRICES, type Prices } from './cost.js';

export const ALL_WORKLOADS = [...WORKLOADS, 'cold', 'notify-burst', 'miniapp'] as const;
export type Workload = (typeof ALL_WORKLOADS)[number];
/** What a run without --workloads measures: notify-burst (minutes of Telegram's pace) only when asked for. */
export const DEFAULT_WORKLOADS: readonly Workload[] = [...WORKLOADS, 'cold', 'miniapp'];

export interface BenchOptions {
  readonly workloads: readonly Workload[];
  readonly latencies: Latencies;
  /** People in browse, submit and status. */
  readonly people: number;
  /** People at once in burst. */
  readonly burstPeople: number;
  /** People tapping at the same moment in browse, submit and status. */
  readonly concurrency: number;
  readonly rounds: number;
  /** Page loads per mode (throttled, unthrottled) in the miniapp workload: the median of these. */
  readonly miniAppRounds: number;
  readonly warmupPeople: number;
  /** Fresh processes per mode for the cold rows, and per variant for the cold-start experiments. */
  readonly coldSamples: number;
  /** Fresh processes per import probe. */
  readonly importSamples: number;
  /** Cold-start variants and the import breakdown (part of the cold workload). */
  readonly coldExperiments: boolean;
  readonly soak: boolean;
  readonly soakUpdates: number;
  /** Events per run of notify-burst, and the instance counts it runs (each with and without the shared pace). */
  readonly notifyEvents: number;
  readonly notifyInstances: readonly number[];
  /** Node 24 binary (`--node24`); else $BENCH_NODE24 or the npm cache folder (see node-binaries.ts). */
  readonly node24: string | undefined;
  /** Install node@24 into the cache folder when no Node 24 is found (default on; `--no-install-node24`). */
  readonly installNode24: boolean;
  /** Node flags for one more soak on Node 24 beside the plain ones (e.g. `--max-semi-space-size=1`). */
  readonly soakNodeFlags: readonly string[];
  /** Environment for that extra soak, over the function's own (e.g. `MALLOC_ARENA_MAX=0`). */
  readonly soakEnv: Readonly<Record<string, string>>;
  /** A `.vercel/output` directory to measure beside what tools/build writes (e.g. `vercel build`'s). */
  readonly artifact: string | undefined;
  /** Prices for the cost table (USD); defaults in cost.ts. */
  readonly prices: Partial<Prices>;
  readonly jsonFile: string | undefined;
  readonly markdownFile: string;
  readonly quick: boolean;
}

export const USAGE = `npm run bench -- [options]

  --backend redmine [--people N]  only the browse and submit journeys against the local Redmine
                              (npm run redmine:setup) beside the demo backend: p50, backend calls, round trips
  --quick                     small run (under a minute): fewer people, rounds and samples, no soak
  --workloads LIST            comma-separated: ${ALL_WORKLOADS.join(',')} (default: all but notify-burst)
  --notify-events N           events per notify-burst run (default 1000)
  --notify-instances LIST     instance counts notify-burst runs, each with the per-instance and the shared pace (default 1,2,3)
  --json FILE                 also write the rows as a JSON array
  --out FILE                  Markdown report (default bench-results/latest.md)
  --rounds N                  interleaved rounds per warm workload (default 3, quick 2)
  --miniapp-rounds N          page loads per mode in miniapp, throttled and not (default 5, quick 3)
  --people N                  people per round in browse, submit, status (default 50, quick 6)
  --burst N                   people at once in burst (default 100)
  --concurrency N             people tapping at the same moment (default 4)
  --cold-samples N            fresh processes per cold mode/variant (default 15, quick 2)
  --import-samples N          fresh processes per import probe (default 7, quick 1)
  --no-cold-experiments       cold rows only: skip bundling variants and the import breakdown
  --soak / --no-soak          10k optimized updates with heap samples (default on for the complete run,
                              off with --quick or --workloads)
  --soak-updates N            updates in the soak (default 10000)
  --node24 PATH               Node 24 binary (default: $BENCH_NODE24, else node@24 from npm in ~/.cache/service-desk-bot/node24)
  --no-install-node24         do not install node@24 when none is found (the Node 24 rows are skipped)
  --soak-node-flags="FLAGS"   one more soak on Node 24 with these Node flags, beside the plain ones (memory vs CPU)
  --soak-env="K=V …"         that extra soak with this environment over the function's own
  --artifact DIR              also measure this Build Output directory (e.g. .vercel/output from vercel build)
  --price-upstash-per-100k USD      Upstash pay-as-you-go, per 100k commands (default ${DEFAULT_PRICES.upstashPer100kCommands})
  --price-cpu-per-hour USD          Vercel active CPU, per hour (default ${DEFAULT_PRICES.vercelCpuPerHour})
  --price-memory-per-gb-hour USD    Vercel provisioned memory, per GB-hour (default ${DEFAULT_PRICES.vercelMemoryPerGbHour})
  --price-invocations-per-million USD  Vercel invocations, per million (default ${DEFAULT_PRICES.vercelInvocationsPerMillion})
  --backend-latency MS        per backend request (default ${DEFAULT_LATENCIES.backendMs})
  --backend-connect-latency MS  per new backend connection (default ${DEFAULT_LATENCIES.backendConnectMs})
  --redis-latency MS          per Upstash request (default ${DEFAULT_LATENCIES.redisMs})
  --telegram-latency MS       per Bot API call (default ${DEFAULT_LATENCIES.telegramMs})
  --help`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parses the command line; `--help` gives `undefined`. @throws UsageError naming the bad flag. */
export function parseArgs(argv: readonly string[]): BenchOptions | undefined {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument: ${arg}`);
    // Only the first `=` separates: a value may hold more (`--soak-node-flags=--max-semi-space-size=1`).
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    if (BOOLEAN_FLAGS.has(name)) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      flags.set(name, true);
    } else if (VALUE_FLAGS.has(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  if (flags.has('help')) return undefined;
  if (flags.has('soak') && flags.has('no-soak')) throw new UsageError('--soak and --no-soak contradict each other');

  const quick = flags.has('quick');
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = flags.get(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (typeof raw !== 'string' || !/^\d+$/.test(raw) || value < min || value > max) {
      throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got ${String(raw)}`);
    }
    return value;
  };
  const text = (name: string): string | undefined => {
    const raw = flags.get(name);
    return typeof raw === 'string' ? raw : undefined;
  };

  const prices = (): Partial<Prices> => {
    const out: { -readonly [K in keyof Prices]?: number } = {};
    for (const [flag, key] of PRICE_FLAGS) {
      const raw = text(flag);
      if (raw === undefined) continue;
      const value = Number(raw);
      if (!/^\d+(\.\d+)?$/.test(raw) || !Number.isFinite(value)) throw new UsageError(`--${flag} must be a price in USD, got ${raw}`);
      out[key] = value;
    }
    return out;
  };

  let workloads: Workload[] = [...DEFAULT_WORKLOADS];
  const list = text('workloads');
  if (list !== undefined) {
    workloads = [];
    for (const item of list.split(',').map((s) => s.trim()).filter(Boolean)) {
      if (!(ALL_WORKLOADS as readonly string[]).includes(item)) throw new UsageError(`unknown workload "${item}" (use ${ALL_WORKLOADS.join(', ')})`);
      if (!workloads.includes(item as Workload)) workloads.push(item as Workload);
    }
    if (workloads.length === 0) throw new UsageError('--workloads is empty');
  }

  return {
    workloads,
    latencies: {
      backendMs: int('backend-latency', DEFAULT_LATENCIES.backendMs, 0, 10_000),
      backendConnectMs: int('backend-connect-latency', DEFAULT_LATENCIES.backendConnectMs, 0, 10_000),
      redisMs: int('redis-latency', DEFAULT_LATENCIES.redisMs, 0, 10_000),
      telegramMs: int('telegram-latency', DEFAULT_LATENCIES.telegramMs, 0, 10_000),
    },
    people: int('people', quick ? 6 : 50, 1, 10_000),
    burstPeople: int('burst', 100, 1, 1_000),
    concurrency: int('concurrency', 4, 1, 1_000),
    rounds: int('rounds', quick ? 2 : 3, 1, 1_000),
    miniAppRounds: int('miniapp-rounds', quick ? 3 : 5, 1, 100),
    warmupPeople: 6,
    coldSamples: int('cold-samples', quick ? 2 : 15, 1, 1_000),
    importSamples: int('import-samples', quick ? 1 : 7, 1, 1_000),
    coldExperiments: !flags.has('no-cold-experiments'),
    // The soak belongs to the complete run; a run of chosen workloads or --quick adds it with --soak.
    soak: flags.has('soak') || (!quick && !flags.has('no-soak') && list === undefined),
    soakUpdates: int('soak-updates', 10_000, 100, 1_000_000),
    notifyEvents: int('notify-events', 1000, 10, 100_000),
    notifyInstances: instanceCounts(text('notify-instances') ?? '1,2,3'),
    node24: text('node24'),
    installNode24: !flags.has('no-install-node24'),
    artifact: text('artifact'),
    soakNodeFlags: (text('soak-node-flags') ?? '').split(/\s+/).filter(Boolean),
    soakEnv: Object.fromEntries(
      (text('soak-env') ?? '')
        .split(/\s+/)
        .filter(Boolean)
        .map((pair) => {
          const eq = pair.indexOf('=');
          if (eq <= 0) throw new UsageError(`--soak-env takes NAME=VALUE pairs, got ${pair}`);
          return [pair.slice(0, eq), pair.slice(eq + 1)];
        }),
    ),
    prices: prices(),
    jsonFile: text('json'),
    markdownFile: text('out') ?? 'bench-results/latest.md',
    quick,
  };
}

function instanceCounts(list: string): number[] {
  const counts = list.split(',').map((item) => item.trim()).filter(Boolean);
  if (counts.length === 0 || counts.some((item) => !/^\d+$/.test(item) || Number(item) < 1 || Number(item) > 10)) {
    throw new UsageError(`--notify-instances takes instance counts from 1 to 10, e.g. 1,2,3; got ${list}`);
  }
  return counts.map(Number);
}

const PRICE_FLAGS: readonly (readonly [string, keyof Prices])[] = [
  ['price-upstash-per-100k', 'upstashPer100kCommands'],
  ['price-cpu-per-hour', 'vercelCpuPerHour'],
  ['price-memory-per-gb-hour', 'vercelMemoryPerGbHour'],
  ['price-invocations-per-million', 'vercelInvocationsPerMillion'],
];

const BOOLEAN_FLAGS = new Set(['quick', 'soak', 'no-soak', 'no-cold-experiments', 'no-install-node24', 'help']);
const VALUE_FLAGS = new Set([
  'node24',
  'artifact',
  'soak-node-flags',
  'soak-env',
  ...PRICE_FLAGS.map(([flag]) => flag),
  'workloads',
  'json',
  'out',
  'rounds',
  'miniapp-rounds',
  'people',
  'burst',
  'concurrency',
  'cold-samples',
  'import-samples',
  'soak-updates',
  'notify-events',
  'notify-instances',
  'backend-latency',
  'backend-connect-latency',
  'redis-latency',
  'telegram-latency',
]);

export function isWarmWorkload(workload: Workload): workload is WarmWorkload {
  return workload !== 'cold' && workload !== 'notify-burst' && workload !== 'miniapp';
}

// Turns measurements into rows (JSON), a Markdown report and a terminal table.
import type { ColdSample, ColdVariantResult } from './cold.js';
import type { EdgeCounts, Latencies } from './fakes.js';
import type { ImportResult } from './imports.js';
import { MODES, type Mode } from './modes.js';
import type { SoakResult } from './soak.js';
import { organisationMonth, PRICE_PAGES, PRICES_READ_ON, type CostRow, type OrganisationEstimate, type Prices } from './cost.js';
import { averageJourneyUpdates } from './journeys.js';
import { perUnit, ratio, round, summarize, type Summary } from './stats.js';
import type { ModeResult } from './warm.js';

/** One line of the results: a workload in one mode. */
export interface BenchRow {
  readonly workload: string;
  readonly mode: Mode;
  /** What p50/p95/p99 time: the webhook answer (what Telegram waits for), from spawn() for cold rows. */
  readonly latency_measure: 'webhook_answer' | 'process_start_to_webhook_answer';
  readonly p50_ms: number | null;
  readonly p95_ms: number | null;
  readonly p99_ms: number | null;
  /** p50 / naive's p50 of the same workload. */
  readonly ratio_to_naive: number | null;
  /** Until the update's work is over: handlers after a webhook reply and waitUntil included. */
  readonly full_p50_ms: number | null;
  readonly full_p95_ms: number | null;
  readonly full_p99_ms: number | null;
  readonly full_ratio_to_naive: number | null;
  readonly updates: number;
  readonly backend_requests_per_update: number | null;
  /** New backend (TCP) connections per update, counted at the demo backend. */
  readonly backend_connections: number | null;
  readonly backend_connections_total: number;
  readonly redis_round_trips_per_update: number | null;
  readonly redis_commands_per_update: number | null;
  /** Bot API calls over HTTP per update (real round trips). */
  readonly telegram_calls_per_update: number | null;
  /** Bot API calls that rode in the webhook answer, per update (no round trip). */
  readonly telegram_webhook_replies_per_update: number | null;
  /** User + system CPU of the bot process per update (cold rows: the whole process life). */
  readonly cpu_ms_per_update: number | null;
  /** Peak resident memory of the bot process over the workload (warm-up included). */
  readonly peak_rss_mb: number | null;
  readonly errors: number;
  readonly heap_mb_at_half?: number | null;
  readonly heap_mb_at_end?: number | null;
  readonly heap_growth_mb?: number | null;
}

interface Measured {
  readonly answer: Summary;
  readonly full: Summary;
  readonly updates: number;
  readonly counts: EdgeCounts;
  readonly cpuMs: number;
  readonly peakRssMb: number;
  readonly errors: number;
}

function row(workload: string, mode: Mode, measure: BenchRow['latency_measure'], m: Measured, naive: Measured | undefined): BenchRow {
  const per = (total: number) => round(perUnit(total, m.updates));
  return {
    workload,
    mode,
    latency_measure: measure,
    p50_ms: round(m.answer.p50),
    p95_ms: round(m.answer.p95),
    p99_ms: round(m.answer.p99),
    ratio_to_naive: round(ratio(m.answer.p50, naive?.answer.p50)),
    full_p50_ms: round(m.full.p50),
    full_p95_ms: round(m.full.p95),
    full_p99_ms: round(m.full.p99),
    full_ratio_to_naive: round(ratio(m.full.p50, naive?.full.p50)),
    updates: m.updates,
    backend_requests_per_update: per(m.counts.backendRequests),
    backend_connections: per(m.counts.backendConnections),
    backend_connections_total: m.counts.backendConnections,
    redis_round_trips_per_update: per(m.counts.redisRoundTrips),
    redis_commands_per_update: per(m.counts.redisCommands),
    telegram_calls_per_update: per(m.counts.telegramCalls),
    telegram_webhook_replies_per_update: per(m.counts.telegramWebhookReplies),
    cpu_ms_per_update: per(m.cpuMs),
    peak_rss_mb: round(m.peakRssMb),
    errors: m.errors,
  };
}

function measuredOf(result: ModeResult): Measured {
  return {
    answer: summarize(result.answerMs),
    full: summarize(result.fullMs),
    updates: result.updates,
    counts: result.counts,
    cpuMs: result.cpuMs,
    peakRssMb: result.peakRssMb,
    errors: result.errors + result.botErrorLogs,
  };
}

export function warmRows(workload: string, results: Record<Mode, ModeResult>): BenchRow[] {
  const naive = measuredOf(results.naive);
  return MODES.map((mode) => row(workload, mode, 'webhook_answer', measuredOf(results[mode]), naive));
}

function coldMeasured(result: ColdVariantResult): Measured {
  const samples: ColdSample[] = result.samples;
  return {
    answer: summarize(samples.map((s) => s.answerMs)),
    full: summarize(samples.map((s) => s.doneMs)),
    updates: samples.length,
    counts: result.counts,
    cpuMs: samples.reduce((total, s) => total + s.cpuMs, 0),
    peakRssMb: samples.reduce((peak, s) => Math.max(peak, s.maxRssMb), 0),
    errors: result.errors,
  };
}

/** Cold rows: variants named after the modes. */
export function coldRows(results: readonly ColdVariantResult[]): BenchRow[] {
  const byMode = new Map(results.map((r) => [r.name, coldMeasured(r)]));
  const naive = byMode.get('naive');
  return MODES.filter((mode) => byMode.has(mode)).map((mode) =>
    row('cold', mode, 'process_start_to_webhook_answer', byMode.get(mode) as Measured, naive),
  );
}

export function soakRow(soak: SoakResult): BenchRow {
  const base = row(soak.label ? `soak ${soak.label}` : 'soak', 'optimized', 'webhook_answer', measuredOf(soak.result), undefined);
  return {
    ...base,
    heap_mb_at_half: round(soak.heapAtHalf?.heapUsedMb ?? null),
    heap_mb_at_end: round(soak.heapAtEnd?.heapUsedMb ?? null),
    heap_growth_mb: round(soak.heapGrowthMb),
  };
}

// ---------------------------------------------------------------------------------------------
// Targets (issue 5)

export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  /** null: not measured in this run. */
  readonly met: boolean | null;
}

export interface ColdStartSummary {
  readonly name: string;
  readonly answer: Summary;
  readonly done: Summary;
  readonly phases: Record<keyof ReturnType<typeof phaseDurations>, number>;
  readonly cpuMs: number;
  readonly maxRssMb: number;
  /** Redis round trips and commands per cold update (its whole life, after-answer work included). */
  readonly redisRoundTrips: number | null;
  readonly redisCommands: number | null;
  /** Per instance, written when it is retired (SIGTERM): the metrics flush. */
  readonly shutdownRoundTrips: number | null;
  readonly shutdownCommands: number | null;
  readonly n: number;
  readonly errors: number;
  readonly errorSamples: readonly string[];
}

export function phaseDurations(sample: ColdSample) {
  const m = sample.marks;
  return {
    boot: m.entry,
    imports: m.imported - m.entry,
    listen: m.listening - m.imported,
    waitForRequest: m.arrived - m.listening,
    toAnswer: m.answered - m.arrived,
    afterAnswer: m.done - m.answered,
  };
}

export function coldStartSummary(result: ColdVariantResult): ColdStartSummary {
  const phases = result.samples.map(phaseDurations);
  const med = (pick: (p: ReturnType<typeof phaseDurations>) => number) => summarize(phases.map(pick)).p50;
  return {
    name: result.name,
    answer: summarize(result.samples.map((s) => s.answerMs)),
    done: summarize(result.samples.map((s) => s.doneMs)),
    phases: {
      boot: med((p) => p.boot),
      imports: med((p) => p.imports),
      listen: med((p) => p.listen),
      waitForRequest: med((p) => p.waitForRequest),
      toAnswer: med((p) => p.toAnswer),
      afterAnswer: med((p) => p.afterAnswer),
    },
    cpuMs: summarize(result.samples.map((s) => s.cpuMs)).p50,
    maxRssMb: summarize(result.samples.map((s) => s.maxRssMb)).p50,
    redisRoundTrips: perUnit(result.counts.redisRoundTrips, result.samples.length + result.errors),
    redisCommands: perUnit(result.counts.redisCommands, result.samples.length + result.errors),
    shutdownRoundTrips: perUnit(result.shutdown.roundTrips, result.samples.length),
    shutdownCommands: perUnit(result.shutdown.commands, result.samples.length),
    n: result.samples.length,
    errors: result.errors,
    errorSamples: result.errorSamples,
  };
}

export function checkTargets(input: {
  readonly rows: readonly BenchRow[];
  readonly latencies: Latencies;
  readonly coldStart: readonly ColdStartSummary[];
  readonly soaks: readonly SoakResult[];
}): TargetCheck[] {
  const { rows, latencies } = input;
  const find = (workload: string, mode: Mode) => rows.find((r) => r.workload === workload && r.mode === mode);
  const checks: TargetCheck[] = [];
  const ms = (value: number | null | undefined) => (value === null || value === undefined ? 'n/a' : `${value} ms`);

  const browse = find('browse', 'optimized');
  const browseNaive = find('browse', 'naive');
  const browseFloor = find('browse', 'floor');
  if (browse && browseNaive) {
    checks.push({
      target: 'browse, optimized/naive p50 ratio ≤ 0.25 (webhook answer)',
      measured: `${browse.ratio_to_naive} (${ms(browse.p50_ms)} vs ${ms(browseNaive.p50_ms)}); full processing: ${browse.full_ratio_to_naive} (${ms(browse.full_p50_ms)} vs ${ms(browseNaive.full_p50_ms)})`,
      met: browse.ratio_to_naive !== null && browse.ratio_to_naive <= 0.25,
    });
  } else checks.push({ target: 'browse, optimized/naive p50 ratio ≤ 0.25', measured: 'browse not run', met: null });

  const slack = latencies.redisMs + latencies.telegramMs + 3;
  if (browse && browseFloor && browse.p50_ms !== null && browseFloor.p50_ms !== null) {
    const limit = browseFloor.p50_ms + slack;
    const fullLimit = (browseFloor.full_p50_ms ?? 0) + slack;
    checks.push({
      target: `warm optimized p50 ≤ floor + one Redis RTT (${latencies.redisMs} ms) + one Bot API RTT (${latencies.telegramMs} ms) + 3 ms (browse)`,
      measured:
        `webhook answer ${ms(browse.p50_ms)} ≤ ${round(limit)} ms: ${browse.p50_ms <= limit ? 'yes' : 'no'}; ` +
        `full processing ${ms(browse.full_p50_ms)} ≤ ${round(fullLimit)} ms: ${(browse.full_p50_ms ?? Infinity) <= fullLimit ? 'yes' : 'no'}`,
      met: browse.p50_ms <= limit && (browse.full_p50_ms ?? Infinity) <= fullLimit,
    });
  } else checks.push({ target: 'warm optimized p50 ≤ floor + Redis RTT + Bot API RTT + 3 ms', measured: 'browse not run', met: null });

  const shipped = input.coldStart.find((c) => c.name.endsWith(` ${COLD_SHIPPED}`));
  const shippedFloor = shipped && input.coldStart.find((c) => c.name === `${shipped.name.split(' ')[0]} floor`);
  if (shipped && shipped.n > 0) {
    checks.push({
      target: `cold start, fresh process to webhook answered: median < 120 ms (${shipped.name}, no injected latency)`,
      measured: `${round(shipped.answer.p50)} ms; floor ${shippedFloor ? round(shippedFloor.answer.p50) : 'n/a'} ms`,
      met: shipped.answer.p50 < 120,
    });
    checks.push({
      target: 'cold /start: ≤ 2 Redis round trips and ≤ 4 commands',
      measured:
        `${round(shipped.redisRoundTrips)} round trips, ${round(shipped.redisCommands)} commands per cold /start; ` +
        `when Vercel retires the instance (SIGTERM) it writes its metrics: ${round(shipped.shutdownRoundTrips)} round trip, ${round(shipped.shutdownCommands)} commands`,
      met: shipped.redisRoundTrips !== null && shipped.redisCommands !== null && shipped.redisRoundTrips <= 2 && shipped.redisCommands <= 4,
    });
  } else checks.push({ target: 'cold start median < 120 ms', measured: 'cold start not run', met: null });

  if (input.soaks.length > 0) {
    for (const soak of input.soaks) {
      const peak = soak.result.peakRssMb;
      checks.push({
        target: `peak RSS < 100 MB over ${soak.result.updates + soak.setupUpdates} updates (${soak.label || 'soak'}; goal 80 MB)`,
        measured: `${round(peak)} MB`,
        met: peak < 100,
      });
      checks.push({
        target: `heap growth < 5 MB from ~${soak.heapAtHalf?.updates ?? '?'} to ${soak.heapAtEnd?.updates ?? '?'} updates (${soak.label || 'soak'})`,
        measured: soak.heapGrowthMb === null ? 'n/a' : `${round(soak.heapGrowthMb)} MB (after GC: ${soak.gc ? 'yes' : 'no, --expose-gc unavailable'})`,
        met: soak.heapGrowthMb === null ? null : soak.heapGrowthMb < 5,
      });
    }
  } else {
    checks.push({ target: 'peak RSS < 100 MB over 10k updates', measured: 'soak not run (--quick; add --soak)', met: null });
  }

  const warm = rows.filter((r) => r.mode === 'optimized' && ['browse', 'submit', 'status', 'burst'].includes(r.workload));
  if (warm.length > 0) {
    const worst = (pick: (r: BenchRow) => number | null) => Math.max(...warm.map((r) => pick(r) ?? 0));
    const rt = worst((r) => r.redis_round_trips_per_update);
    const cmds = worst((r) => r.redis_commands_per_update);
    checks.push({
      target: '≤ 2 Redis round trips and ≤ 3 commands per warm update (optimized, every warm workload)',
      measured: warm.map((r) => `${r.workload} ${r.redis_round_trips_per_update}/${r.redis_commands_per_update}`).join(', ') + ' (round trips/commands)',
      met: rt <= 2 && cmds <= 3,
    });
  }
  if (browse) {
    checks.push({
      target: '0 backend requests on cached navigation (optimized browse)',
      measured: `${browse.backend_requests_per_update} per update`,
      met: browse.backend_requests_per_update === 0,
    });
  }
  return checks;
}

/** Cold-start variant names (after the Node label): what ships, and what @vercel/node would deploy. */
export const COLD_SHIPPED = 'api/telegram.func as shipped, through the launcher';
export const COLD_PER_FILE = 'sources compiled per file (@vercel/node\'s shape, no launcher)';

// ---------------------------------------------------------------------------------------------
// Rendering

const fmt = (value: number | null | undefined, digits?: number): string => {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return digits === undefined ? String(round(value)) : value.toFixed(digits);
};
const triple = (a: number | null, b: number | null, c: number | null) => `${fmt(a)} / ${fmt(b)} / ${fmt(c)}`;

const TABLE_HEADER = [
  'workload',
  'mode',
  'webhook answer p50 / p95 / p99 ms',
  'vs naive',
  'full processing p50 / p95 / p99 ms',
  'vs naive',
  'backend req/upd',
  'new backend conn/upd',
  'Redis RT/upd',
  'Redis cmds/upd',
  'Bot API calls/upd (+ in answer)',
  'CPU ms/upd',
  'peak RSS MB',
  'updates',
];

function tableCells(r: BenchRow): string[] {
  return [
    r.workload,
    r.mode,
    triple(r.p50_ms, r.p95_ms, r.p99_ms),
    fmt(r.ratio_to_naive),
    triple(r.full_p50_ms, r.full_p95_ms, r.full_p99_ms),
    fmt(r.full_ratio_to_naive),
    fmt(r.backend_requests_per_update),
    fmt(r.backend_connections),
    fmt(r.redis_round_trips_per_update),
    fmt(r.redis_commands_per_update),
    `${fmt(r.telegram_calls_per_update)} (+${fmt(r.telegram_webhook_replies_per_update)})`,
    fmt(r.cpu_ms_per_update),
    fmt(r.peak_rss_mb),
    r.errors > 0 ? `${r.updates} (${r.errors} errors)` : String(r.updates),
  ];
}

export function markdownTable(header: readonly string[], body: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...body.map(line)].join('\n');
}

export function resultsTable(rows: readonly BenchRow[]): string {
  return markdownTable(TABLE_HEADER, rows.map(tableCells));
}

/** Plain aligned table for the terminal. */
export function terminalTable(rows: readonly BenchRow[]): string {
  const header = ['workload', 'mode', 'answer p50/p95/p99', 'ratio', 'full p50/p95/p99', 'ratio', 'be req', 'be conn', 'RT', 'cmds', 'tg calls', 'cpu ms', 'rss MB', 'n'];
  const body = rows.map((r) => {
    const cells = tableCells(r);
    return [...cells.slice(0, 10), fmt(r.telegram_calls_per_update), ...cells.slice(11)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => (cells[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export interface ReportInput {
  readonly command: string;
  readonly startedAt: Date;
  readonly durationS: number;
  readonly environment: string;
  readonly latencies: Latencies;
  readonly load: string;
  readonly rows: readonly BenchRow[];
  readonly coldStart: readonly ColdStartSummary[];
  readonly coldStartNote: string | undefined;
  readonly imports: readonly ImportResult[];
  readonly soaks: readonly SoakResult[];
  readonly costs: readonly CostRow[];
  readonly prices: Prices;
  /** Bot API and Redis latency figures for the regions paragraph (p50 at two Upstash latencies), if measured. */
  readonly targets: readonly TargetCheck[];
  readonly errors: readonly string[];
}

export function markdownReport(input: ReportInput): string {
  const { latencies } = input;
  const out: string[] = [];
  out.push('## Benchmark results', '');
  out.push(`Command: \`${input.command}\` · ${input.startedAt.toISOString()} · ${input.durationS.toFixed(0)} s · ${input.environment}`, '');
  out.push(
    `Injected latency: backend ${latencies.backendMs} ms per request + ${latencies.backendConnectMs} ms per new connection; ` +
      `Upstash bridge (real Redis) ${latencies.redisMs} ms per request; Bot API ${latencies.telegramMs} ms per call. ${input.load}`,
    '',
  );
  out.push(resultsTable(input.rows), '');
  out.push(
    '- **webhook answer** (primary): POST sent → last byte of the answer, measured by the load generator over keep-alive HTTP; this is what Telegram waits for. ' +
      'Cold rows: from spawning a fresh Node process to the answer.',
    '- **full processing**: until the update\'s work is over: the handlers that run after an answer that carried `answerCallbackQuery`, and `waitUntil` work (metrics flush).',
    '- Counts are taken at the fakes (demo backend, Upstash bridge, fake Bot API) and divided by the updates sent; "+ in answer" are Bot API calls that rode in the webhook answer.',
    '- CPU and RSS are the bot process\'s own: each mode runs in a child process (compiled JavaScript, no tsx) that holds only the webhook server and the app; the fakes and the load generator run in the parent.',
    '- Modes run in rounds with rotating order (naive, optimized, floor / optimized, floor, naive / …) so machine drift falls on every mode.',
    '',
  );

  if (input.coldStart.length > 0) {
    out.push('### Cold start: a fresh process answers a cold `/start` (Redis warm, no injected latency)', '');
    if (input.coldStartNote) out.push(input.coldStartNote, '');
    out.push(
      markdownTable(
        ['variant', 'to webhook answer: median (p10–p90) ms', 'to done: median ms', 'boot + load/link modules', 'evaluate modules', 'listen', 'app + update to answer', 'after answer', 'Redis RT / cmds (+ at SIGTERM)', 'CPU ms', 'RSS MB', 'n'],
        input.coldStart.map((c) => [
          c.name,
          `${fmt(c.answer.p50, 1)} (${fmt(c.answer.p10, 1)}–${fmt(c.answer.p90, 1)})`,
          fmt(c.done.p50, 1),
          fmt(c.phases.boot, 1),
          fmt(c.phases.imports, 1),
          fmt(c.phases.listen, 1),
          fmt(c.phases.toAnswer, 1),
          fmt(c.phases.afterAnswer, 1),
          `${fmt(c.redisRoundTrips)} / ${fmt(c.redisCommands)} (+ ${fmt(c.shutdownRoundTrips)} / ${fmt(c.shutdownCommands)})`,
          fmt(c.cpuMs, 0),
          fmt(c.maxRssMb, 0),
          c.errors > 0 ? `${c.n} (${c.errors} errors)` : String(c.n),
        ]),
      ),
      '',
      'Phases are medians of marks taken inside the child (ms since its process started); "to webhook answer" is measured by the parent from spawn(). ' +
        'An ES module graph is loaded, parsed and linked before its first module runs, so "boot + load/link" holds Node\'s start-up and reading every file; ' +
        '"evaluate" runs the module bodies; "app + update to answer" builds the app (the bot identity from Redis) and handles the update until the webhook answer.',
      '',
    );
  }

  if (input.imports.length > 0) {
    out.push('### Import cost per dependency (fresh process each, median (p10–p90) ms)', '');
    out.push(
      markdownTable(
        ['what', 'import ms', 'node boot before it', 'loaded by importing api/telegram'],
        input.imports.map((i) => [
          i.name,
          i.ms.n > 0 ? `${fmt(i.ms.p50, 1)} (${fmt(i.ms.p10, 1)}–${fmt(i.ms.p90, 1)})` : `failed: ${i.errors[0] ?? ''}`,
          fmt(i.bootMs.p50, 1),
          i.atColdStart === undefined ? '' : i.atColdStart ? 'yes' : 'no: on first use',
        ]),
      ),
      '',
      'Standalone costs overlap (ky and @upstash/redis both start Node\'s built-in fetch), so they add up to more than "all dependencies together". ' +
        'The last column follows the static imports of api/telegram (esbuild\'s module graph): a cold start pays only for the "yes" rows; ' +
        'the others are imported with import() when first needed (the backend client, the rate limiter, the QR code library).',
      '',
    );
  }

  for (const s of input.soaks) {
    out.push(`### Soak ${s.label}: ${s.result.updates + s.setupUpdates} updates on one optimized instance (${s.result.updates} browse taps measured, ${s.setupUpdates} /start of people joining)`, '');
    out.push(
      markdownTable(
        ['updates', ...s.points.map((p) => String(p.updates))],
        [
          [`heap used after GC, MB${s.gc ? '' : ' (no forced GC)'}`, ...s.points.map((p) => fmt(p.heapUsedMb, 1))],
          ['heap reserved by V8, MB', ...s.points.map((p) => fmt(p.heapTotalMb, 1))],
          ['external (buffers, C++), MB', ...s.points.map((p) => fmt(p.externalMb, 1))],
          ['RSS, MB', ...s.points.map((p) => fmt(p.rssMb, 1))],
        ],
      ),
      '',
      `Peak RSS ${fmt(s.result.peakRssMb, 1)} MB; heap growth from ${s.heapAtHalf?.updates ?? '?'} to ${s.heapAtEnd?.updates ?? '?'} updates: ${fmt(s.heapGrowthMb, 2)} MB.`,
      '',
    );
  }

  if (input.costs.length > 0) {
    const p = input.prices;
    out.push('### Cost per million updates of each workload', '');
    out.push(
      markdownTable(
        ['workload', 'mode', 'Upstash commands', 'Upstash $', 'active CPU h', 'CPU $', 'memory GB-h (peak RSS × full time)', 'memory $', 'invocations $', 'Bot API calls', 'total $'],
        input.costs.map((c) => [
          c.workload,
          c.mode,
          fmt(c.upstashCommands, 0),
          fmt(c.upstashUsd, 2),
          fmt(c.cpuHours, 2),
          fmt(c.cpuUsd, 2),
          fmt(c.memoryGbHours, 2),
          fmt(c.memoryUsd, 2),
          fmt(c.invocationsUsd, 2),
          fmt(c.botApiCalls, 0),
          fmt(c.totalUsd, 2),
        ]),
      ),
      '',
      `Prices (USD, read ${PRICES_READ_ON} from ${PRICE_PAGES.join(' and ')}; override with --price-… flags): Upstash $${p.upstashPer100kCommands} per 100k commands; ` +
        `Vercel iad1 active CPU $${p.vercelCpuPerHour}/h, provisioned memory $${p.vercelMemoryPerGbHour}/GB-h, invocations $${p.vercelInvocationsPerMillion}/million. ` +
        'Memory-time assumes the instance holds its measured peak RSS for each update\'s full processing time, one update at a time: Vercel bills the provisioned size (a project setting) ' +
        'for the instance\'s lifetime, so the real figure is that size over RSS times this, divided by the updates an instance serves at once. Bot API calls cost nothing but count against Telegram\'s limits.',
      '',
    );
    const org = organisationParagraph(input.costs, p);
    if (org) out.push(org, '');
  }

  out.push('### Targets (issues 5 and 13)', '');
  out.push(
    markdownTable(
      ['target', 'measured', 'met'],
      input.targets.map((t) => [t.target, t.measured, t.met === null ? 'not measured' : t.met ? 'yes' : '**no**']),
    ),
    '',
  );

  out.push('### The seed\'s claims beside ours', '');
  out.push(seedComparison(input), '');

  if (input.errors.length > 0) {
    out.push('### Errors during the run', '', ...input.errors.map((e) => `- ${e}`), '');
  }
  return out.join('\n');
}

/** The monthly bill of 10,000 people who each open 2 requests a month, browsing and checking as the journeys do. */
function organisationParagraph(costs: readonly CostRow[], prices: Prices): string | undefined {
  const people = 10_000;
  const requestsPerPerson = 2;
  const journeyUpdates = averageJourneyUpdates();
  const estimate = (mode: string) => organisationMonth(costs, journeyUpdates, { people, requestsPerPerson, mode, prices });
  const optimized = estimate('optimized');
  const naive = estimate('naive');
  if (!optimized) return undefined;
  const usd = (value: number) => `$${value.toFixed(2)}`;
  const line = (e: OrganisationEstimate) =>
    `${Math.round(e.updates).toLocaleString('en-US')} updates, ${Math.round(e.commands).toLocaleString('en-US')} Upstash commands (${usd(e.upstashUsd)}), ` +
    `active CPU ${usd(e.cpuUsd)}, memory-time ${usd(e.memoryUsd)}, invocations ${usd(e.invocationsUsd)} beyond the included million: **${usd(e.usd)} a month**`;
  return (
    `**An organisation of ${people.toLocaleString('en-US')} people** who each open ${requestsPerPerson} requests a month, each request one submit journey ` +
    `(${journeyUpdates.submit} updates), one browse journey (${journeyUpdates.browse.toFixed(1)} on average) and one status journey (${journeyUpdates.status}): ` +
    `optimized ${line(optimized)}` +
    (naive ? `; naive ${line(naive)}` : '') +
    '. These are pay-as-you-go prices with nothing included; Upstash\'s free tier covers 500k commands a month, and Vercel Pro includes 16 h of active CPU, 1,440 GB-h and 1M invocations a month (the seat price aside).'
  );
}

function seedComparison(input: ReportInput): string {
  const find = (workload: string, mode: Mode) => input.rows.find((r) => r.workload === workload && r.mode === mode);
  const pct = (r: number | null | undefined) => (r === null || r === undefined ? 'n/a' : `${Math.round((1 - r) * 100)}% less`);
  const status = find('status', 'optimized');
  const browse = find('browse', 'optimized');
  const naiveRss = Math.max(...input.rows.filter((r) => r.mode === 'naive' && r.workload !== 'cold').map((r) => r.peak_rss_mb ?? 0));
  const optimizedRss = Math.max(...input.rows.filter((r) => r.mode === 'optimized' && r.workload !== 'cold').map((r) => r.peak_rss_mb ?? 0));
  const deployed = input.coldStart.find((c) => c.name.endsWith(` ${COLD_SHIPPED}`));
  const coldRow = find('cold', 'optimized');
  return markdownTable(
    ['seed claim (python-bot-performance-notes.md, not measured there)', 'measured here (same run)'],
    [
      [
        'API response time 500-800 → 150-300 ms (60% better), from connection pooling',
        status
          ? `status (backend on every screen): full processing p50 ${fmt(status.full_p50_ms)} ms vs naive ${fmt(find('status', 'naive')?.full_p50_ms)} ms (${pct(status.full_ratio_to_naive)}); webhook answer ${pct(status.ratio_to_naive)}`
          : 'status not run',
      ],
      [
        'cached responses 60-80% faster',
        browse
          ? `browse (catalogue, cached): full processing ${pct(browse.full_ratio_to_naive)}, webhook answer ${pct(browse.ratio_to_naive)}`
          : 'browse not run',
      ],
      [
        'memory 150-200 → 80-120 MB (40% less)',
        naiveRss > 0 && optimizedRss > 0 ? `peak RSS of the bot process: naive ${fmt(naiveRss)} MB, optimized ${fmt(optimizedRss)} MB` : 'n/a',
      ],
      [
        'start-up 3-5 s → 1-2 s',
        deployed || coldRow
          ? `fresh process to first answered update: ${deployed ? `${fmt(deployed.answer.p50)} ms without injected latency` : ''}${coldRow ? `; ${fmt(coldRow.p50_ms)} ms with it` : ''}`
          : 'cold not run',
      ],
      ['connection overhead: minimal (pooling)', connectionLine(input)],
    ],
  );
}

function connectionLine(input: ReportInput): string {
  const parts: string[] = [];
  for (const workload of ['browse', 'submit', 'status', 'burst']) {
    const naive = input.rows.find((r) => r.workload === workload && r.mode === 'naive');
    const optimized = input.rows.find((r) => r.workload === workload && r.mode === 'optimized');
    if (naive && optimized) parts.push(`${workload}: ${naive.backend_connections_total} → ${optimized.backend_connections_total}`);
  }
  return parts.length > 0 ? `new backend connections, naive → optimized: ${parts.join('; ')}` : 'n/a';
}

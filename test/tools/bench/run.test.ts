// A tiny benchmark run, end to end: real bot processes, real HTTP, the fakes, Redis. It checks the
// shape of the rows and the counts (deterministic), never the timings.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../../tools/bench/args.js';
import { runBench, type BenchResult } from '../../../tools/bench/bench.js';
import type { BenchRow } from '../../../tools/bench/report.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

const ROW_KEYS = [
  'workload',
  'mode',
  'p50_ms',
  'p95_ms',
  'p99_ms',
  'ratio_to_naive',
  'backend_requests_per_update',
  'backend_connections',
  'redis_round_trips_per_update',
  'redis_commands_per_update',
  'telegram_calls_per_update',
  'cpu_ms_per_update',
  'peak_rss_mb',
];

describe('a tiny bench run (browse and cold)', () => {
  let result: BenchResult;
  const row = (workload: string, mode: string): BenchRow => {
    const found = result.rows.find((r) => r.workload === workload && r.mode === mode);
    if (!found) throw new Error(`no ${workload}/${mode} row`);
    return found;
  };

  beforeAll(async () => {
    const options = parseArgs([
      '--workloads', 'browse,cold',
      '--people', '6',
      '--rounds', '1',
      '--cold-samples', '1',
      '--no-cold-experiments',
      '--no-soak',
      // Node 24 only when the machine has it already ($BENCH_NODE24 or the npm cache folder): no download in a test.
      '--no-install-node24',
      '--backend-latency', '2',
      '--backend-connect-latency', '2',
      '--redis-latency', '1',
      '--telegram-latency', '1',
    ]);
    if (!options) throw new Error('options expected');
    result = await runBench(options, { root, command: 'test', progress: () => undefined });
  }, 60_000);

  it('gives one row per workload and mode, with every field of the JSON contract', () => {
    expect(result.rows.map((r) => `${r.workload}/${r.mode}`)).toEqual([
      'browse/naive',
      'browse/optimized',
      'browse/floor',
      'cold/naive',
      'cold/optimized',
      'cold/floor',
    ]);
    for (const r of result.rows) {
      for (const key of ROW_KEYS) expect(r, `${r.workload}/${r.mode} ${key}`).toHaveProperty(key);
      expect(r.p50_ms).toBeGreaterThan(0);
      expect(r.p95_ms).toBeGreaterThanOrEqual(r.p50_ms as number);
      expect(r.cpu_ms_per_update).toBeGreaterThan(0);
      expect(r.peak_rss_mb).toBeGreaterThan(0);
      expect(r.errors).toBe(0);
    }
    expect(result.errors).toEqual([]);
  });

  it('optimized browse: no backend request, at most 2 Redis round trips and 3 commands, one Bot API call per warm tap', () => {
    const r = row('browse', 'optimized');
    expect(r.updates).toBeGreaterThan(30);
    expect(r.backend_requests_per_update).toBe(0);
    expect(r.backend_connections).toBe(0);
    expect(r.redis_round_trips_per_update).toBeLessThanOrEqual(2);
    expect(r.redis_commands_per_update).toBeLessThanOrEqual(3);
    // The answerCallbackQuery rides in the webhook answer; the screen is one editMessageText.
    expect(r.telegram_calls_per_update).toBe(1);
    expect(r.telegram_webhook_replies_per_update).toBe(1);
  });

  it('naive browse: backend calls on navigation, each on a new connection, and the session on every tap', () => {
    const r = row('browse', 'naive');
    expect(r.backend_requests_per_update).toBeGreaterThan(1);
    expect(r.backend_connections).toBe(r.backend_requests_per_update);
    // SET NX, GET and SET in three round trips, plus the occasional metrics flush.
    expect(r.redis_round_trips_per_update).toBeGreaterThanOrEqual(3);
    expect(r.ratio_to_naive).toBe(1);
  });

  it('the floor touches nothing', () => {
    for (const workload of ['browse', 'cold']) {
      const r = row(workload, 'floor');
      expect(r.backend_requests_per_update).toBe(0);
      expect(r.redis_round_trips_per_update).toBe(0);
      expect(r.telegram_calls_per_update).toBe(0);
    }
  });

  it('a cold optimized instance, the shipped function directory through the launcher, answers /start without the backend', () => {
    const r = row('cold', 'optimized');
    expect(r.latency_measure).toBe('process_start_to_webhook_answer');
    expect(r.updates).toBe(1);
    expect(r.backend_requests_per_update).toBe(0);
    // The main menu is one sendMessage; nothing rides in the answer of a message update.
    expect(r.telegram_calls_per_update).toBe(1);
    expect(r.telegram_webhook_replies_per_update).toBe(0);
  });

  it('renders the Markdown report with the table and the targets', () => {
    expect(result.markdown).toContain('| workload | mode | webhook answer p50 / p95 / p99 ms |');
    expect(result.markdown).toContain('### Targets (issues 5 and 13)');
    expect(result.targets.find((t) => t.target.startsWith('0 backend requests on cached navigation'))?.met).toBe(true);
  });
});

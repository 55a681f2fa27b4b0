import { describe, expect, it } from 'vitest';
import { costPerMillion, costRows, DEFAULT_PRICES, organisationMonth } from '../../../tools/bench/cost.js';
import type { BenchRow } from '../../../tools/bench/report.js';

function benchRow(fields: Partial<BenchRow>): BenchRow {
  return {
    workload: 'browse',
    mode: 'optimized',
    latency_measure: 'webhook_answer',
    p50_ms: 2,
    p95_ms: 3,
    p99_ms: 4,
    ratio_to_naive: null,
    full_p50_ms: 25,
    full_p95_ms: 30,
    full_p99_ms: 35,
    full_ratio_to_naive: null,
    updates: 100,
    backend_requests_per_update: 0,
    backend_connections: 0,
    backend_connections_total: 0,
    redis_round_trips_per_update: 1,
    redis_commands_per_update: 2,
    telegram_calls_per_update: 1,
    telegram_webhook_replies_per_update: 1,
    cpu_ms_per_update: 3.6,
    peak_rss_mb: 102.4,
    errors: 0,
    ...fields,
  };
}

describe('cost per million updates', () => {
  it('prices commands, CPU, memory-time and invocations from the measured figures', () => {
    const cost = costPerMillion(benchRow({}), DEFAULT_PRICES);
    // 2 commands × 1M = 2M commands = 20 × 100k × $0.20
    expect(cost?.upstashCommands).toBe(2_000_000);
    expect(cost?.upstashUsd).toBeCloseTo(4, 10);
    // 3.6 ms × 1M = 1 CPU-hour at $0.128
    expect(cost?.cpuHours).toBeCloseTo(1, 10);
    expect(cost?.cpuUsd).toBeCloseTo(0.128, 10);
    // 0.1 GB × 25 ms × 1M = 2500 GB-s = 0.694 GB-h at $0.0106
    expect(cost?.memoryGbHours).toBeCloseTo(2500 / 3600, 10);
    expect(cost?.memoryUsd).toBeCloseTo((2500 / 3600) * 0.0106, 10);
    expect(cost?.invocationsUsd).toBe(0.6);
    expect(cost?.botApiCalls).toBe(2_000_000);
    expect(cost?.totalUsd).toBeCloseTo(4 + 0.128 + (2500 / 3600) * 0.0106 + 0.6, 10);
  });

  it('takes overridden prices', () => {
    const cost = costPerMillion(benchRow({}), { ...DEFAULT_PRICES, upstashPer100kCommands: 1 });
    expect(cost?.upstashUsd).toBeCloseTo(20, 10);
  });

  it('leaves out the floor, the soak and rows without figures', () => {
    const rows = [benchRow({}), benchRow({ mode: 'floor' }), benchRow({ workload: 'soak node24' }), benchRow({ mode: 'naive', cpu_ms_per_update: null })];
    expect(costRows(rows, DEFAULT_PRICES).map((c) => `${c.workload}/${c.mode}`)).toEqual(['browse/optimized']);
  });

  it('adds up an organisation\'s month from the journeys, with the first million invocations included', () => {
    const costs = costRows(
      [benchRow({ workload: 'browse' }), benchRow({ workload: 'submit', redis_commands_per_update: 4 }), benchRow({ workload: 'status', redis_commands_per_update: 0 })],
      DEFAULT_PRICES,
    );
    const month = organisationMonth(costs, { browse: 8, submit: 8, status: 4 }, { people: 10_000, requestsPerPerson: 2, mode: 'optimized', prices: DEFAULT_PRICES });
    // 20k journeys of each kind: 160k browse + 160k submit + 80k status updates
    expect(month?.updates).toBe(400_000);
    expect(month?.commands).toBe(160_000 * 2 + 160_000 * 4);
    expect(month?.upstashUsd).toBeCloseTo((960_000 / 100_000) * 0.2, 10);
    expect(month?.invocationsUsd).toBe(0);
    expect(organisationMonth(costs, { browse: 8, submit: 8, status: 4 }, { people: 1, requestsPerPerson: 1, mode: 'naive', prices: DEFAULT_PRICES })).toBeNull();
  });
});

// What a million updates cost, from what the bench measured: Upstash commands, Vercel active CPU,
// memory-time and invocations, and Bot API calls. Prices are named, dated and overridable
// (`npm run bench -- --price-…`); they were read from the public price pages on 2026-11-30.
import type { BenchRow } from './report.js';

export interface Prices {
  /** USD per 100,000 Upstash commands (pay-as-you-go). Every command in a pipeline is billed. */
  readonly upstashPer100kCommands: number;
  /** USD per hour of Vercel active CPU (Fluid compute, iad1). */
  readonly vercelCpuPerHour: number;
  /** USD per GB-hour of Vercel provisioned memory (Fluid compute, iad1). */
  readonly vercelMemoryPerGbHour: number;
  /** USD per million Vercel function invocations beyond the plan's included million. */
  readonly vercelInvocationsPerMillion: number;
}

/**
 * - Upstash: "Commands: $0.20 per 100K commands" (Pay-As-You-Go), upstash.com/docs/redis/overall/billing,
 *   which points to upstash.com/pricing/redis for the current figure; read 2026-11-30.
 * - Vercel: "Washington, D.C., USA (iad1): Active CPU time $0.128 per hour, Provisioned Memory $0.0106
 *   per GB-hr"; "Additional invocations cost $0.60 per extra million", vercel.com/docs/fluid-compute/pricing;
 *   read 2026-11-30. Other regions cost more (sfo1: $0.177 and $0.0147).
 */
export const DEFAULT_PRICES: Prices = {
  upstashPer100kCommands: 0.2,
  vercelCpuPerHour: 0.128,
  vercelMemoryPerGbHour: 0.0106,
  vercelInvocationsPerMillion: 0.6,
};
export const PRICES_READ_ON = '2026-11-30';
export const PRICE_PAGES = ['upstash.com/docs/redis/overall/billing (upstash.com/pricing/redis)', 'vercel.com/docs/fluid-compute/pricing'];

export interface CostRow {
  readonly workload: string;
  readonly mode: string;
  readonly upstashCommands: number;
  readonly upstashUsd: number;
  readonly cpuHours: number;
  readonly cpuUsd: number;
  /** GB-hours if the instance held its measured peak RSS for each update's full processing time, one at a time. */
  readonly memoryGbHours: number;
  readonly memoryUsd: number;
  readonly invocationsUsd: number;
  readonly botApiCalls: number;
  readonly totalUsd: number;
}

const MILLION = 1_000_000;

/** Per 1M updates of a row's workload. Null when the row lacks what the cost needs. */
export function costPerMillion(row: BenchRow, prices: Prices): CostRow | null {
  const commands = row.redis_commands_per_update;
  const cpuMs = row.cpu_ms_per_update;
  const rssMb = row.peak_rss_mb;
  const fullMs = row.full_p50_ms;
  if (commands === null || cpuMs === null || rssMb === null || fullMs === null) return null;
  const upstashCommands = commands * MILLION;
  const upstashUsd = (upstashCommands / 100_000) * prices.upstashPer100kCommands;
  const cpuHours = (cpuMs * MILLION) / 3_600_000;
  const cpuUsd = cpuHours * prices.vercelCpuPerHour;
  const memoryGbHours = ((rssMb / 1024) * fullMs * MILLION) / 3_600_000;
  const memoryUsd = memoryGbHours * prices.vercelMemoryPerGbHour;
  const invocationsUsd = prices.vercelInvocationsPerMillion;
  const botApiCalls = ((row.telegram_calls_per_update ?? 0) + (row.telegram_webhook_replies_per_update ?? 0)) * MILLION;
  return {
    workload: row.workload,
    mode: row.mode,
    upstashCommands,
    upstashUsd,
    cpuHours,
    cpuUsd,
    memoryGbHours,
    memoryUsd,
    invocationsUsd,
    botApiCalls,
    totalUsd: upstashUsd + cpuUsd + memoryUsd + invocationsUsd,
  };
}

export function costRows(rows: readonly BenchRow[], prices: Prices): CostRow[] {
  return rows
    .filter((row) => row.mode !== 'floor' && !row.workload.startsWith('soak'))
    .map((row) => costPerMillion(row, prices))
    .filter((row): row is CostRow => row !== null);
}

/**
 * The monthly bill of an organisation: `people` who each open `requestsPerPerson` requests a
 * month (a submit journey each) and browse and check status as the bench's journeys do (one
 * browse and one status journey per request), plus one cold start per `updatesPerColdStart`.
 */
export interface OrganisationEstimate {
  readonly updates: number;
  readonly usd: number;
  readonly upstashUsd: number;
  readonly cpuUsd: number;
  readonly memoryUsd: number;
  readonly invocationsUsd: number;
  readonly commands: number;
}

export function organisationMonth(
  costs: readonly CostRow[],
  journeyUpdates: Readonly<Record<'browse' | 'submit' | 'status', number>>,
  options: { readonly people: number; readonly requestsPerPerson: number; readonly mode: string; readonly prices: Prices },
): OrganisationEstimate | null {
  const find = (workload: string) => costs.find((c) => c.workload === workload && c.mode === options.mode);
  const journeys = options.people * options.requestsPerPerson;
  const parts: [CostRow | undefined, number][] = [
    [find('submit'), journeys * journeyUpdates.submit],
    [find('browse'), journeys * journeyUpdates.browse],
    [find('status'), journeys * journeyUpdates.status],
  ];
  if (parts.some(([cost]) => cost === undefined)) return null;
  let updates = 0;
  const sum = { upstash: 0, cpu: 0, memory: 0, commands: 0 };
  for (const [cost, n] of parts as [CostRow, number][]) {
    updates += n;
    sum.upstash += (cost.upstashUsd * n) / MILLION;
    sum.cpu += (cost.cpuUsd * n) / MILLION;
    sum.memory += (cost.memoryUsd * n) / MILLION;
    sum.commands += (cost.upstashCommands * n) / MILLION;
  }
  // Pro includes the first million invocations a month.
  const invocationsUsd = Math.max(0, updates - MILLION) / MILLION * options.prices.vercelInvocationsPerMillion;
  return {
    updates,
    upstashUsd: sum.upstash,
    cpuUsd: sum.cpu,
    memoryUsd: sum.memory,
    invocationsUsd,
    commands: sum.commands,
    usd: sum.upstash + sum.cpu + sum.memory + invocationsUsd,
  };
}

import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { summarize, type Summary } from './percentiles.js';

/**
 * Reads the product's JSON log lines (pino, one object per line, as exported from Vercel) and sums
 * up the per-update lines (`msg: "update"`). A Vercel export may wrap each line as
 * `{"message": "<the json line>", "level": ..., ...}`; both forms are accepted. Lines that are not
 * JSON, or are JSON but not update lines, are skipped and counted. Lines at level error or fatal
 * (pino label, or number >= 50) are counted as errors, update lines or not; update lines with
 * `error: true` (a handler failed) are counted as failed updates.
 */

export interface UpdateRecord {
  readonly updateId: number | string | undefined;
  readonly updateType: string | undefined;
  readonly handler: string;
  readonly ms: number;
  readonly coldStart: boolean;
  /** The product logs `error: true` on the update line when a handler failed. */
  readonly failed: boolean;
  readonly backendCalls: number;
  readonly backendMs: number;
  readonly cacheL1Hits: number;
  readonly cacheL2Hits: number;
  readonly cacheMisses: number;
  readonly redisRoundTrips: number;
  readonly redisCommands: number;
  readonly telegramCalls: number;
  readonly rssMb: number | undefined;
  readonly heapMb: number | undefined;
}

export interface HandlerStats {
  readonly handler: string;
  readonly latency: Summary;
  readonly coldStarts: number;
  /** Updates whose line says `error: true`. */
  readonly failed: number;
  readonly backendCallsPerUpdate: number;
  readonly cacheMisses: number;
}

export interface SlowUpdate {
  readonly updateId: number | string | undefined;
  readonly handler: string;
  readonly ms: number;
  readonly coldStart: boolean;
}

export interface LogStats {
  readonly file: string | undefined;
  /** Non-blank lines read. */
  readonly lines: number;
  readonly updates: number;
  readonly skipped: {
    /** Not JSON at all. */
    readonly notJson: number;
    /** JSON, but not a per-update line (other log events). */
    readonly notUpdate: number;
    /** `msg: "update"` without a usable `ms`. */
    readonly invalidUpdate: number;
  };
  readonly errors: number;
  /** Update lines with `error: true` (a handler failed; the product logs those at info level). */
  readonly failedUpdates: number;
  /** The most frequent error messages, most frequent first (at most 5). */
  readonly topErrors: readonly { readonly msg: string; readonly count: number }[];
  /** Undefined when there are no update lines. */
  readonly latency: Summary | undefined;
  readonly coldLatency: Summary | undefined;
  readonly warmLatency: Summary | undefined;
  /** Slowest p95 first. */
  readonly perHandler: readonly HandlerStats[];
  readonly cache: {
    readonly l1Hits: number;
    readonly l2Hits: number;
    readonly misses: number;
    /** (l1 + l2) / (l1 + l2 + misses), 0..1; undefined without any lookup. */
    readonly hitRate: number | undefined;
    readonly lookupsPerUpdate: number;
  };
  readonly backend: {
    readonly calls: number;
    readonly totalMs: number;
    readonly callsPerUpdate: number;
    /** Average ms per backend call; undefined without calls. */
    readonly msPerCall: number | undefined;
  };
  readonly redis: {
    readonly roundTrips: number;
    readonly commands: number;
    readonly roundTripsPerUpdate: number;
    readonly commandsPerUpdate: number;
  };
  readonly telegram: { readonly calls: number; readonly callsPerUpdate: number };
  readonly coldStarts: number;
  /** 0..1 */
  readonly coldStartRate: number;
  readonly memory: { readonly rssMbMax: number; readonly rssMbP95: number; readonly heapMbMax: number } | undefined;
  /** The 5 slowest updates, slowest first. */
  readonly slowest: readonly SlowUpdate[];
}

export type JsonObject = Record<string, unknown>;

export type ParsedLine =
  | { readonly kind: 'not-json' }
  | { readonly kind: 'other'; readonly error: boolean; readonly msg: string | undefined }
  | { readonly kind: 'invalid-update'; readonly error: boolean }
  | { readonly kind: 'update'; readonly error: boolean; readonly record: UpdateRecord };

/** Classifies one log line (already without its line break). */
export function parseLogLine(line: string): ParsedLine {
  const outer = parseObject(line.trim());
  return outer ? classifyObject(outer) : { kind: 'not-json' };
}

/** Classifies one parsed log object (a line, or an element of a JSON array export). */
export function classifyObject(outer: JsonObject): Exclude<ParsedLine, { kind: 'not-json' }> {
  const inner = unwrapVercel(outer);
  const event = inner ?? outer;
  // The product's own level wins; Vercel's (stdout = info, stderr = error) only when it has none.
  const error = isErrorLevel(inner && 'level' in inner ? inner['level'] : outer['level']);
  const msg = typeof event['msg'] === 'string' ? event['msg'] : typeof event['message'] === 'string' ? event['message'] : undefined;
  if (event['msg'] !== 'update') return { kind: 'other', error, msg };
  const record = toRecord(event);
  return record ? { kind: 'update', error, record } : { kind: 'invalid-update', error };
}

function parseObject(text: string): JsonObject | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The product's own line inside a Vercel export wrapper, if this is one. */
function unwrapVercel(outer: JsonObject): JsonObject | undefined {
  if ('msg' in outer) return undefined;
  const message = outer['message'];
  if (isObject(message)) return message;
  if (typeof message !== 'string') return undefined;
  const start = message.indexOf('{');
  return start < 0 ? undefined : parseObject(message.slice(start).trim());
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isErrorLevel(level: unknown): boolean {
  if (typeof level === 'number') return level >= 50;
  if (typeof level === 'string') {
    const normalized = level.toLowerCase();
    return normalized === 'error' || normalized === 'fatal' || /^\d+$/.test(normalized) && Number(normalized) >= 50;
  }
  return false;
}

function toRecord(event: JsonObject): UpdateRecord | undefined {
  const ms = numberOf(event['ms']);
  if (ms === undefined || ms < 0) return undefined;
  const updateId = event['update_id'];
  return {
    updateId: typeof updateId === 'number' || typeof updateId === 'string' ? updateId : undefined,
    updateType: typeof event['update_type'] === 'string' ? event['update_type'] : undefined,
    handler: typeof event['handler'] === 'string' && event['handler'] !== '' ? event['handler'] : '(none)',
    ms,
    coldStart: event['cold_start'] === true || event['cold_start'] === 'true',
    failed: event['error'] === true || event['error'] === 'true',
    backendCalls: numberOf(event['backend_calls']) ?? 0,
    backendMs: numberOf(event['backend_ms']) ?? 0,
    cacheL1Hits: numberOf(event['cache_l1_hits']) ?? 0,
    cacheL2Hits: numberOf(event['cache_l2_hits']) ?? 0,
    cacheMisses: numberOf(event['cache_misses']) ?? 0,
    redisRoundTrips: numberOf(event['redis_round_trips']) ?? 0,
    redisCommands: numberOf(event['redis_commands']) ?? 0,
    telegramCalls: numberOf(event['telegram_calls']) ?? 0,
    rssMb: numberOf(event['rss_mb']),
    heapMb: numberOf(event['heap_mb']),
  };
}

function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/** Collects lines one at a time (so a large export streams), then `finish()` computes the stats. */
export class LogAccumulator {
  private lines = 0;
  private notJson = 0;
  private notUpdate = 0;
  private invalidUpdate = 0;
  private errors = 0;
  private readonly errorMessages = new Map<string, number>();
  private readonly records: UpdateRecord[] = [];

  add(line: string): void {
    if (line.trim() === '') return;
    this.record(parseLogLine(line));
  }

  /** One element of a JSON array export. */
  addValue(value: unknown): void {
    this.record(isObject(value) ? classifyObject(value) : { kind: 'not-json' });
  }

  private record(parsed: ParsedLine): void {
    this.lines += 1;
    if (parsed.kind === 'not-json') {
      this.notJson += 1;
      return;
    }
    if (parsed.error) {
      this.errors += 1;
      const msg = parsed.kind === 'other' ? (parsed.msg ?? '(no message)') : 'update';
      this.errorMessages.set(msg, (this.errorMessages.get(msg) ?? 0) + 1);
    }
    if (parsed.kind === 'other') this.notUpdate += 1;
    else if (parsed.kind === 'invalid-update') this.invalidUpdate += 1;
    else this.records.push(parsed.record);
  }

  finish(file?: string): LogStats {
    const records = this.records;
    const n = records.length;
    const perUpdate = (total: number): number => (n === 0 ? 0 : total / n);
    const sum = (pick: (r: UpdateRecord) => number): number => records.reduce((total, r) => total + pick(r), 0);
    const l1Hits = sum((r) => r.cacheL1Hits);
    const l2Hits = sum((r) => r.cacheL2Hits);
    const misses = sum((r) => r.cacheMisses);
    const lookups = l1Hits + l2Hits + misses;
    const backendCalls = sum((r) => r.backendCalls);
    const backendMs = sum((r) => r.backendMs);
    const redisRoundTrips = sum((r) => r.redisRoundTrips);
    const redisCommands = sum((r) => r.redisCommands);
    const telegramCalls = sum((r) => r.telegramCalls);
    const cold = records.filter((r) => r.coldStart);
    const rss = records.flatMap((r) => (r.rssMb === undefined ? [] : [r.rssMb]));
    const heap = records.flatMap((r) => (r.heapMb === undefined ? [] : [r.heapMb]));
    const rssSummary = summarize(rss);
    return {
      file,
      lines: this.lines,
      updates: n,
      skipped: { notJson: this.notJson, notUpdate: this.notUpdate, invalidUpdate: this.invalidUpdate },
      errors: this.errors,
      failedUpdates: records.filter((r) => r.failed).length,
      topErrors: [...this.errorMessages.entries()]
        .map(([msg, count]) => ({ msg, count }))
        .sort((a, b) => b.count - a.count || a.msg.localeCompare(b.msg))
        .slice(0, 5),
      latency: summarize(records.map((r) => r.ms)),
      coldLatency: summarize(cold.map((r) => r.ms)),
      warmLatency: summarize(records.filter((r) => !r.coldStart).map((r) => r.ms)),
      perHandler: handlerStats(records),
      cache: {
        l1Hits,
        l2Hits,
        misses,
        hitRate: lookups === 0 ? undefined : (l1Hits + l2Hits) / lookups,
        lookupsPerUpdate: perUpdate(lookups),
      },
      backend: {
        calls: backendCalls,
        totalMs: backendMs,
        callsPerUpdate: perUpdate(backendCalls),
        msPerCall: backendCalls === 0 ? undefined : backendMs / backendCalls,
      },
      redis: {
        roundTrips: redisRoundTrips,
        commands: redisCommands,
        roundTripsPerUpdate: perUpdate(redisRoundTrips),
        commandsPerUpdate: perUpdate(redisCommands),
      },
      telegram: { calls: telegramCalls, callsPerUpdate: perUpdate(telegramCalls) },
      coldStarts: cold.length,
      coldStartRate: perUpdate(cold.length),
      memory: rssSummary
        ? { rssMbMax: rssSummary.max, rssMbP95: rssSummary.p95, heapMbMax: heap.length === 0 ? 0 : Math.max(...heap) }
        : undefined,
      slowest: [...records]
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 5)
        .map((r) => ({ updateId: r.updateId, handler: r.handler, ms: r.ms, coldStart: r.coldStart })),
    };
  }
}

function handlerStats(records: readonly UpdateRecord[]): HandlerStats[] {
  const groups = new Map<string, UpdateRecord[]>();
  for (const record of records) {
    const group = groups.get(record.handler);
    if (group) group.push(record);
    else groups.set(record.handler, [record]);
  }
  const stats: HandlerStats[] = [];
  for (const [handler, group] of groups) {
    const latency = summarize(group.map((r) => r.ms));
    if (!latency) continue;
    stats.push({
      handler,
      latency,
      coldStarts: group.filter((r) => r.coldStart).length,
      failed: group.filter((r) => r.failed).length,
      backendCallsPerUpdate: group.reduce((total, r) => total + r.backendCalls, 0) / group.length,
      cacheMisses: group.reduce((total, r) => total + r.cacheMisses, 0),
    });
  }
  return stats.sort((a, b) => b.latency.p95 - a.latency.p95 || a.handler.localeCompare(b.handler));
}

/**
 * Stats over log text: JSON lines, or one JSON array of log objects (some exports are arrays;
 * then `lines` counts the array's elements).
 */
export function analyzeLogText(text: string, file?: string): LogStats {
  const accumulator = new LogAccumulator();
  const array = parseArray(text);
  if (array) for (const value of array) accumulator.addValue(value);
  else for (const line of text.split(/\r?\n/)) accumulator.add(line);
  return accumulator.finish(file);
}

function parseArray(text: string): unknown[] | undefined {
  if (!text.trimStart().startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export class LogFileError extends Error {
  override readonly name = 'LogFileError';
}

/** Streams a log file; a missing or unreadable file is a `LogFileError` with a clear message. */
export async function analyzeLogFile(file: string): Promise<LogStats> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new LogFileError(`logs file is not a regular file: ${file}`);
  } catch (error) {
    if (error instanceof LogFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new LogFileError(
      code === 'ENOENT' ? `logs file not found: ${file}` : `cannot read logs file ${file}: ${(error as Error).message}`,
    );
  }
  if (await startsWithBracket(file)) return analyzeLogText(await readFile(file, 'utf8'), file);
  const accumulator = new LogAccumulator();
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) accumulator.add(line);
  return accumulator.finish(file);
}

/** A JSON array export is read whole; JSON lines stream. */
async function startsWithBracket(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(256), 0, 256, 0);
    return buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '').trimStart().startsWith('[');
  } finally {
    await handle.close();
  }
}

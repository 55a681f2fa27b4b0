import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { analyzeLogFile, analyzeLogText, LogFileError, parseLogLine } from '../../../tools/analyzer/log-analysis.js';

/** One update line as the product logs it. */
function updateLine(i: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    level: 'info',
    time: '2025-01-01T12:00:00.000Z',
    msg: 'update',
    update_id: 1000 + i,
    update_type: 'callback_query',
    handler: i % 2 === 1 ? 'new-request' : 'describe',
    ms: i,
    cold_start: i % 20 === 0,
    backend_calls: 1,
    backend_ms: 40,
    cache_l1_hits: 1,
    cache_l2_hits: 1,
    cache_misses: i % 2,
    redis_round_trips: 2,
    redis_commands: 3,
    telegram_calls: 1,
    rss_mb: 100 + (i % 10),
    heap_mb: 40 + (i % 5),
    ...overrides,
  };
}

/**
 * 100 updates with ms 1..100 (shuffled), odd ms handled by "new-request", even by "describe";
 * every 10th in Vercel's export wrapper; plus noise: text lines, other events and errors.
 */
function generatedLog(): string {
  const order = Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) + 1); // a permutation of 1..100
  const lines: string[] = [];
  for (const i of order) {
    const line = JSON.stringify(updateLine(i, i === 77 ? { level: 'error' } : i === 33 || i === 34 ? { error: true } : { error: false }));
    lines.push(i % 10 === 0 ? JSON.stringify({ timestamp: 1, level: 'info', source: 'lambda', message: line }) : line);
    if (i % 25 === 0) lines.push('START RequestId: abc Version: $LATEST');
  }
  lines.push(JSON.stringify({ level: 'warn', msg: 'slow backend call', ms: 1500 }));
  lines.push(JSON.stringify({ level: 50, msg: 'handler failed' }));
  lines.push(JSON.stringify({ level: 'info', message: JSON.stringify({ level: 'error', msg: 'handler failed' }) }));
  lines.push(JSON.stringify({ level: 'info', msg: 'update', handler: 'x' })); // no ms
  lines.push('');
  lines.push('[1, 2, 3]');
  return lines.join('\n');
}

describe('parseLogLine', () => {
  test('plain, wrapped (string or object), and non-update lines', () => {
    const plain = parseLogLine(JSON.stringify(updateLine(5)));
    expect(plain.kind).toBe('update');
    if (plain.kind === 'update') {
      expect(plain.record).toMatchObject({ updateId: 1005, handler: 'new-request', ms: 5, coldStart: false, cacheMisses: 1, rssMb: 105 });
    }
    expect(parseLogLine(JSON.stringify({ message: JSON.stringify(updateLine(5)) })).kind).toBe('update');
    expect(parseLogLine(JSON.stringify({ message: `2025-01-01 INFO ${JSON.stringify(updateLine(5))}` })).kind).toBe('update');
    expect(parseLogLine(JSON.stringify({ message: updateLine(5) })).kind).toBe('update');
    expect(parseLogLine('not json')).toEqual({ kind: 'not-json' });
    expect(parseLogLine('{broken')).toEqual({ kind: 'not-json' });
    expect(parseLogLine(JSON.stringify({ level: 'fatal', msg: 'boom' }))).toEqual({ kind: 'other', error: true, msg: 'boom' });
    expect(parseLogLine(JSON.stringify({ level: 40, msg: 'warned' }))).toEqual({ kind: 'other', error: false, msg: 'warned' });
    expect(parseLogLine(JSON.stringify({ msg: 'update', ms: 'n/a' }))).toEqual({ kind: 'invalid-update', error: false });
    // Vercel's level (stderr = error) counts only when the product's line has none.
    expect(parseLogLine(JSON.stringify({ level: 'error', message: 'TypeError: x is undefined' }))).toMatchObject({ kind: 'other', error: true });
    expect(parseLogLine(JSON.stringify({ level: 'error', message: JSON.stringify({ level: 'info', msg: 'fine' }) }))).toMatchObject({
      error: false,
    });
  });

  test('missing counters count as 0 and a missing handler is "(none)"', () => {
    const parsed = parseLogLine(JSON.stringify({ msg: 'update', ms: 12 }));
    expect(parsed.kind === 'update' && parsed.record).toMatchObject({ handler: '(none)', backendCalls: 0, rssMb: undefined });
  });
});

describe('analyzeLogText on a generated log with known numbers', () => {
  const stats = analyzeLogText(generatedLog(), 'generated.log');

  test('counts updates, skipped lines and errors', () => {
    expect(stats.updates).toBe(100);
    expect(stats.lines).toBe(100 + 4 + 4 + 1); // updates, START lines, 4 JSON events, one array
    expect(stats.skipped).toEqual({ notJson: 5, notUpdate: 3, invalidUpdate: 1 });
    expect(stats.errors).toBe(3); // update 77 at level error, level 50, wrapped error
    expect(stats.failedUpdates).toBe(2); // error: true at level info
    expect(stats.perHandler.map((h) => [h.handler, h.failed])).toEqual([
      ['describe', 1],
      ['new-request', 1],
    ]);
    expect(stats.topErrors).toEqual([
      { msg: 'handler failed', count: 2 },
      { msg: 'update', count: 1 },
    ]);
  });

  test('overall and per-handler percentiles', () => {
    expect(stats.latency).toEqual({ count: 100, min: 1, p50: 50, p95: 95, p99: 99, max: 100, mean: 50.5 });
    const byName = Object.fromEntries(stats.perHandler.map((h) => [h.handler, h]));
    // odd 1..99: ranks 25, 48, 50 -> 49, 95, 99; even 2..100: -> 50, 96, 100
    expect(byName['new-request']?.latency).toMatchObject({ count: 50, p50: 49, p95: 95, p99: 99 });
    expect(byName['describe']?.latency).toMatchObject({ count: 50, p50: 50, p95: 96, p99: 100 });
    expect(stats.perHandler[0]?.handler).toBe('describe'); // slowest p95 first
  });

  test('cache, backend, redis, telegram, cold starts, memory, slowest', () => {
    expect(stats.cache).toEqual({ l1Hits: 100, l2Hits: 100, misses: 50, hitRate: 0.8, lookupsPerUpdate: 2.5 });
    expect(stats.backend).toEqual({ calls: 100, totalMs: 4000, callsPerUpdate: 1, msPerCall: 40 });
    expect(stats.redis).toEqual({ roundTrips: 200, commands: 300, roundTripsPerUpdate: 2, commandsPerUpdate: 3 });
    expect(stats.telegram).toEqual({ calls: 100, callsPerUpdate: 1 });
    expect(stats.coldStarts).toBe(5);
    expect(stats.coldStartRate).toBe(0.05);
    expect(stats.coldLatency?.p50).toBe(60); // 20, 40, 60, 80, 100
    expect(stats.memory).toEqual({ rssMbMax: 109, rssMbP95: 109, heapMbMax: 44 });
    expect(stats.slowest).toEqual([
      { updateId: 1100, handler: 'describe', ms: 100, coldStart: true },
      { updateId: 1099, handler: 'new-request', ms: 99, coldStart: false },
      { updateId: 1098, handler: 'describe', ms: 98, coldStart: false },
      { updateId: 1097, handler: 'new-request', ms: 97, coldStart: false },
      { updateId: 1096, handler: 'describe', ms: 96, coldStart: false },
    ]);
  });

  test('no update lines gives undefined latency, not zeros', () => {
    const empty = analyzeLogText('hello\n{"msg":"other"}\n');
    expect(empty.updates).toBe(0);
    expect(empty.latency).toBeUndefined();
    expect(empty.cache.hitRate).toBeUndefined();
    expect(empty.backend.msPerCall).toBeUndefined();
    expect(empty.coldStartRate).toBe(0);
  });
});

describe('analyzeLogFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'analyzer-logs-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('streams a file (CRLF too) to the same stats as the text', async () => {
    const file = path.join(dir, 'vercel.log');
    await writeFile(file, generatedLog().replaceAll('\n', '\r\n'));
    const stats = await analyzeLogFile(file);
    expect(stats.file).toBe(file);
    expect(stats.updates).toBe(100);
    expect(stats.latency?.p95).toBe(95);
  });

  test('a JSON array export is read too', async () => {
    const file = path.join(dir, 'export.json');
    const entries = [1, 2, 3, 4].map((ms) => ({ level: 'info', message: JSON.stringify({ msg: 'update', handler: 'h', ms }) }));
    await writeFile(file, JSON.stringify([...entries, 'not an object'], null, 2));
    const stats = await analyzeLogFile(file);
    expect(stats.updates).toBe(4);
    expect(stats.lines).toBe(5);
    expect(stats.skipped.notJson).toBe(1);
    expect(stats.latency?.p50).toBe(2);
  });

  test('a missing file or a directory is a clear LogFileError', async () => {
    await expect(analyzeLogFile(path.join(dir, 'nope.log'))).rejects.toThrow(new LogFileError(`logs file not found: ${path.join(dir, 'nope.log')}`));
    await expect(analyzeLogFile(dir)).rejects.toThrow(/not a regular file/);
  });
});

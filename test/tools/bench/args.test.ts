import { describe, expect, it, test } from 'vitest';
import { parseArgs, UsageError } from '../../../tools/bench/args.js';
import { DEFAULT_LATENCIES } from '../../../tools/bench/fakes.js';
import { miniAppMarkdown, runMiniAppBench } from '../../../tools/bench/mini-app.js';

describe('bench command line', () => {
  it('runs everything with the issue\'s default latencies', () => {
    const options = parseArgs([]);
    expect(options?.workloads).toEqual(['browse', 'submit', 'status', 'burst', 'cold', 'miniapp']);
    expect(options?.latencies).toEqual({ backendMs: 40, backendConnectMs: 60, redisMs: 5, telegramMs: 20 });
    expect(options?.soak).toBe(true);
    expect(options?.soakUpdates).toBe(10_000);
    expect(options?.burstPeople).toBe(100);
    expect(options?.markdownFile).toBe('bench-results/latest.md');
  });

  it('--quick shrinks the run and leaves the soak out unless asked for', () => {
    expect(parseArgs(['--quick'])).toMatchObject({ quick: true, soak: false, rounds: 2 });
    expect(parseArgs(['--quick', '--soak'])?.soak).toBe(true);
  });

  it('a run of chosen workloads leaves the soak out unless asked for', () => {
    expect(parseArgs(['--workloads', 'cold'])?.soak).toBe(false);
    expect(parseArgs(['--workloads', 'cold', '--soak'])?.soak).toBe(true);
  });

  it('takes values after the flag or with =', () => {
    const options = parseArgs(['--json', 'out.json', '--redis-latency=9', '--workloads', 'browse,cold']);
    expect(options?.jsonFile).toBe('out.json');
    expect(options?.latencies.redisMs).toBe(9);
    expect(options?.workloads).toEqual(['browse', 'cold']);
  });

  it('takes the Node 24 binary, a Build Output directory to compare and prices', () => {
    const options = parseArgs(['--node24', '/opt/node24/bin/node', '--artifact', '.vercel/output', '--price-upstash-per-100k', '0.4', '--price-cpu-per-hour=0.177']);
    expect(options).toMatchObject({ node24: '/opt/node24/bin/node', artifact: '.vercel/output', installNode24: true });
    expect(options?.prices).toEqual({ upstashPer100kCommands: 0.4, vercelCpuPerHour: 0.177 });
    expect(parseArgs(['--no-install-node24'])?.installNode24).toBe(false);
    expect(parseArgs(['--soak-node-flags=--max-semi-space-size=1 --max-old-space-size=64'])?.soakNodeFlags).toEqual(['--max-semi-space-size=1', '--max-old-space-size=64']);
    expect(parseArgs([])?.soakNodeFlags).toEqual([]);
    expect(parseArgs(['--soak-env=MALLOC_ARENA_MAX=0 FOO=a=b'])?.soakEnv).toEqual({ MALLOC_ARENA_MAX: '0', FOO: 'a=b' });
    expect(() => parseArgs(['--soak-env=nonsense'])).toThrow(/NAME=VALUE/);
    expect(() => parseArgs(['--price-memory-per-gb-hour', 'cheap'])).toThrow(/--price-memory-per-gb-hour must be a price/);
  });

  it('notify-burst only when asked for, with its events and instance counts', () => {
    expect(parseArgs([])).toMatchObject({ notifyEvents: 1000, notifyInstances: [1, 2, 3] });
    expect(parseArgs(['--workloads', 'notify-burst', '--notify-events', '200', '--notify-instances', '2,3'])).toMatchObject({
      workloads: ['notify-burst'],
      soak: false,
      notifyEvents: 200,
      notifyInstances: [2, 3],
    });
    expect(() => parseArgs(['--notify-instances', '0,2'])).toThrow(/--notify-instances takes instance counts from 1 to 10/);
  });

  it('--help gives undefined', () => {
    expect(parseArgs(['--help'])).toBeUndefined();
  });

  it('names what is wrong', () => {
    expect(() => parseArgs(['--rounds', 'x'])).toThrow(/--rounds must be a whole number/);
    expect(() => parseArgs(['--json'])).toThrow(/--json needs a value/);
    expect(() => parseArgs(['--frobnicate'])).toThrow(UsageError);
    expect(() => parseArgs(['--workloads', 'browse,nope'])).toThrow(/unknown workload "nope"/);
    expect(() => parseArgs(['--soak', '--no-soak'])).toThrow(UsageError);
  });
});

describe('the miniapp workload', () => {
  test('--workloads miniapp with its own rounds', () => {
    const options = parseArgs(['--workloads', 'miniapp', '--miniapp-rounds', '7']);
    expect(options?.workloads).toEqual(['miniapp']);
    expect(options?.miniAppRounds).toBe(7);
    expect(parseArgs([])?.miniAppRounds).toBe(5);
    expect(parseArgs([])?.workloads).toContain('miniapp');
  });

  test('without Chromium it is skipped with one line', async () => {
    const lines: string[] = [];
    const result = await runMiniAppBench({ root: '.', rounds: 1, latencies: DEFAULT_LATENCIES, progress: (line) => lines.push(line), findChromium: () => undefined });
    expect(lines).toEqual(['miniapp skipped: no Chromium (apt-get install chromium)']);
    expect(miniAppMarkdown(result, 1)).toBe('## Mini App\n\nminiapp skipped: no Chromium (apt-get install chromium)\n');
  });
});

// `npm run bench -- --workloads notify-burst`, tiny: the rows and the report's table, and the
// counts that do not depend on timing (everyone told once, the shared pace's calls).
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../tools/bench/args.js';
import { runBench } from '../../../tools/bench/bench.js';

describe('notify-burst, tiny', () => {
  it('one instance with the per-instance pace and with the shared one: rows, counts and the table', { timeout: 60_000 }, async () => {
    const options = parseArgs(['--workloads', 'notify-burst', '--notify-events', '30', '--notify-instances', '1', '--redis-latency', '1', '--telegram-latency', '1']);
    if (!options) throw new Error('options expected');
    const result = await runBench(options, { root: process.cwd(), command: 'test', progress: () => undefined });
    expect(result.notifyBurst.map((row) => `${row.instances}/${row.pace}`)).toEqual(['1/per-instance', '1/shared']);
    for (const { figures } of result.notifyBurst) {
      expect({ told: figures.told, twice: figures.twice, never: figures.never, unacknowledged: figures.unacknowledged }).toEqual({ told: 30, twice: [], never: [], unacknowledged: 0 });
    }
    const [alone, shared] = result.notifyBurst;
    expect(alone?.figures.paceCalls).toBe(0);
    // Tokens were asked for (one call may serve several sends waiting together).
    expect(shared?.figures.paceCalls).toBeGreaterThan(0);
    expect(result.errors).toEqual([]);
    expect(result.markdown).toContain('### Notification burst: 30 events');
    expect(result.markdown).toContain('| 1 | shared (25/s for the bot) + 25/s each |');
  });
});

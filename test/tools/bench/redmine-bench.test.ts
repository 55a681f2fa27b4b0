// npm run bench -- --backend redmine, small: both backends measured in one run, and warm catalogue
// browsing makes no Redmine call (the two-tier cache answers every level of the catalogue).
import { describe, expect, test } from 'vitest';
import { runRedmineBench } from '../../../tools/bench/redmine-bench.js';
import { localRedmine } from '../../support/redmine.js';

const redmine = await localRedmine();

describe.skipIf(redmine === undefined)('bench --backend redmine', () => {
  test('rows for both backends; warm browsing calls no backend; Confirm on Redmine costs one round trip more (the lease of its key)', async () => {
    const { rows, markdown } = await runRedmineBench({ people: 2, progress: () => undefined });
    expect(rows.map((row) => `${row.backend} ${row.journey}`)).toEqual([
      'demo browse (cold catalogue)',
      'demo browse (warm)',
      'demo submit',
      'demo submit: Confirm alone',
      'redmine browse (cold catalogue)',
      'redmine browse (warm)',
      'redmine submit',
      'redmine submit: Confirm alone',
    ]);
    const row = (backend: string, journey: string) => rows.find((r) => r.backend === backend && r.journey === journey);
    expect(row('redmine', 'browse (warm)')?.backendCallsPerUpdate).toBe(0);
    expect(row('redmine', 'browse (cold catalogue)')?.backendCallsPerUpdate).toBeGreaterThan(0);
    // The lease of the submission's key: one round trip more than the demo backend's Confirm.
    expect((row('redmine', 'submit: Confirm alone')?.roundTripsPerUpdate ?? 0) - (row('demo', 'submit: Confirm alone')?.roundTripsPerUpdate ?? 0)).toBe(1);
    expect(markdown).toContain('| redmine | browse (warm) |');
  });
});

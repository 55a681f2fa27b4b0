// npm run redmine:check against the real local Redmine: ready as tools/redmine/setup.sh made it, and
// the catalogue printed; a key that is nobody's, a project that is not there, a status map that leaves
// a status of the bot without a Redmine status, each named.
import { describe, expect, test } from 'vitest';
import { checkRedmine } from '../../../tools/redmine/check.js';
import { localRedmine } from '../../support/redmine.js';

const redmine = await localRedmine();

describe.skipIf(redmine === undefined)('redmine:check', () => {
  // The describe body runs (to collect) even when skipped: no Redmine, no fields to read.
  const base = { url: redmine?.url ?? '', key: redmine?.admin_key ?? '', project: redmine?.project ?? '', field: 'Telegram ID' };

  test('the local Redmine is ready; the catalogue lists trackers, sides and categories', async () => {
    const { findings, catalogue } = await checkRedmine(base);
    expect(findings.filter((finding) => !finding.ok)).toEqual([]);
    expect(catalogue).toContain('Support (request type 3)');
    expect(catalogue.join('\n')).toMatch(/North building \(side \d+\): Electricity \(\d+\), Heating \(\d+\), Plumbing \(\d+\)/);
  });

  test('what is missing is named', async () => {
    expect((await checkRedmine({ ...base, key: 'not-a-key' })).findings.at(-1)).toMatchObject({ ok: false, text: expect.stringContaining('not a user') });
    expect((await checkRedmine({ ...base, project: 'no-such-project' })).findings.at(-1)).toMatchObject({ ok: false, text: expect.stringContaining('no-such-project') });
    expect((await checkRedmine({ ...base, field: 'Phone' })).findings.some((finding) => !finding.ok && finding.text.includes('No issue custom field "Phone"'))).toBe(true);
    const remapped = await checkRedmine({ ...base, statusMap: 'Feedback=closed' });
    expect(remapped.findings.some((finding) => !finding.ok && finding.text.includes('waiting_for_customer'))).toBe(true);
  });
});

// Times in the organisation's time zone (issue 16, item 14), through the real webhook in English and
// Russian: TIME_ZONE (an IANA name) formats every date the bot shows, with its abbreviation; without
// it, UTC as before.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { requestsAtBackend } from '../support/lifecycle.js';
import { Person } from '../support/person.js';

let harness: Harness;
let moscow: BotInstance;
let utc: BotInstance;

beforeAll(async () => {
  harness = await startHarness({ env: { TIME_ZONE: 'Europe/Moscow' } });
  moscow = await harness.startInstance();
  utc = await harness.startInstance({ config: { ...harness.config, timeZone: 'UTC' } });
});
afterAll(() => harness.close());

/** HH:MM of an ISO time, `hours` ahead of UTC. */
function clock(iso: string, hours: number): string {
  const at = new Date(Date.parse(iso) + hours * 3_600_000);
  return `${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')}`;
}

describe.each(['en', 'ru'] as const)('in %s', (lang) => {
  test('TIME_ZONE=Europe/Moscow: the details show Moscow time, named (GMT+3), never UTC', async () => {
    const p = new Person(harness, moscow, lang === 'en' ? 8_400_001 : 8_400_002, lang);
    const [request] = await requestsAtBackend(harness.backend, p.userId, 1);
    await p.say('/my');
    await p.tap(request!.number);
    const details = p.screen().text;
    expect(details).toContain(`${clock(request!.created_at, 3)} GMT+3`);
    expect(details).not.toContain('UTC');
    // The status history's dates too: every date on the screen names the zone.
    const stamps = details.match(/\d\d:\d\d( [A-Z][A-Za-z]*[+-]?\d*)?/g) ?? [];
    expect(stamps.length).toBeGreaterThanOrEqual(3);
    for (const stamp of stamps) expect(stamp).toMatch(/GMT\+3$/);
  });

  test('without TIME_ZONE: UTC, named as such', async () => {
    const p = new Person(harness, utc, lang === 'en' ? 8_400_011 : 8_400_012, lang);
    const [request] = await requestsAtBackend(harness.backend, p.userId, 1);
    await p.say('/my');
    await p.tap(request!.number);
    expect(p.screen().text).toContain(`${clock(request!.created_at, 0)} UTC`);
  });
});

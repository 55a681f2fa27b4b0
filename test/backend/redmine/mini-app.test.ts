// The Mini App on Redmine (issue 19): the same seam serves it, so its API lists the person's issues,
// offers Redmine's catalogue, shows the thread and opens an agent's file (downloaded with the
// Redmine API key, never handed to the page).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startMiniAppHarness, type MiniAppHarness } from '../../support/mini-app-harness.js';
import { Person } from '../../support/person.js';
import { localRedmine, redmineAs, redmineEnv, submitInChat } from '../../support/redmine.js';

const redmine = await localRedmine();
let h: MiniAppHarness;
let nextUser = 2_147_400_000 + (Date.now() % 40_000);

describe.skipIf(redmine === undefined)('Redmine backend: the Mini App', () => {
  const agent = redmineAs(redmine as NonNullable<typeof redmine>, redmine?.agent_key ?? '');
  beforeAll(async () => {
    h = await startMiniAppHarness({ env: redmineEnv(redmine as NonNullable<typeof redmine>) });
  }, 60_000);
  afterAll(() => h?.close());

  test('the catalogue, My requests and a thread with an agent\'s file, from Redmine', async () => {
    const user = { id: ++nextUser, firstName: 'Ada', languageCode: 'en' };
    const p = new Person(h.harness, h.instance, user.id);
    const id = await submitInChat(p, 'The boiler room door does not lock');
    const bytes = new TextEncoder().encode('The lock is ordered for Friday.');
    await agent.note(id, { notes: 'See the order', file: { name: 'order.txt', type: 'text/plain', bytes } });
    const initData = h.initData(user);

    const catalogue = (await h.api('catalog', { initData })).body as { items: { name: string; type: string; side: string }[] };
    expect(catalogue.items).toContainEqual(expect.objectContaining({ name: 'Lifts', type: 'Support', side: 'South building' }));
    const list = (await h.api('requests?filter=all', { initData })).body as { items: { id: string }[] };
    expect(list.items.map((item) => item.id)).toEqual([id]);

    const details = await h.api(`requests/${id}`, { initData });
    expect(details.status).toBe(200);
    expect(JSON.stringify(details.body)).toContain('See the order');
    expect(JSON.stringify(details.body)).not.toContain(redmine?.bot_key ?? 'no key');
    const thread = (details.body as { thread: { kind: string; files?: { url: string; name: string }[] }[] }).thread;
    const url = thread.flatMap((entry) => entry.files ?? []).find((f) => f.name === 'order.txt')?.url as string;
    const file = await fetch(`${h.url}${url}`);
    expect(file.status).toBe(200);
    expect(await file.text()).toBe('The lock is ordered for Friday.');
  });
});

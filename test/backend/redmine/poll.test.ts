// Notifications without webhooks (issue 19): GET /api/cron/poll reads what changed in the real
// Redmine since its watermark and tells the person, as /api/notify would: an agent's status change
// (Resolved, with Solved / Still a problem), a public note with its file, never a private note or
// the person's own act; each journal once, however often the cron runs, and one run at a time.
// The last test calls the cron every 10 s, as a QStash schedule could, and prints the delay from a
// note in Redmine to the person's message (a figure for the report, not an assertion).
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createCronPollEndpoint } from '../../../lib/webhook/cron-poll-endpoint.js';
import { CRON_SECRET, startHarness, type BotInstance, type Harness } from '../../support/bot-harness.js';
import { closeServer, listen, sleep } from '../../support/http.js';
import { Person } from '../../support/person.js';
import { localRedmine, redmineAs, redmineEnv, submitInChat } from '../../support/redmine.js';

const redmine = await localRedmine();
let harness: Harness;
let bot: BotInstance;
let server: Server;
let pollUrl: string;
let nextUser = 2_146_000_000 + (Date.now() % 1_000_000);

describe.skipIf(redmine === undefined)('Redmine backend: the poll cron', () => {
  const agent = redmineAs(redmine as NonNullable<typeof redmine>, redmine?.agent_key ?? '');
  beforeAll(async () => {
    harness = await startHarness({ env: redmineEnv(redmine as NonNullable<typeof redmine>) });
    bot = await harness.startInstance();
    server = createServer((req, res) => void createCronPollEndpoint({ getApp: async () => bot.app, getLogger: () => harness.logger })(req, res));
    pollUrl = `${await listen(server)}/api/cron/poll`;
  });
  afterAll(async () => {
    if (server) await closeServer(server);
    await harness?.close();
  });
  beforeEach(() => harness.telegram.reset());

  const person = (language = 'en') => new Person(harness, bot, ++nextUser, language);
  async function poll(): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(pollUrl, { headers: { authorization: `Bearer ${CRON_SECRET}` } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  test('refused without the cron secret', async () => {
    expect((await fetch(pollUrl)).status).toBe(401);
  });

  test('an agent\'s note with a file and a Resolved status reach the person once; private notes and the person\'s own acts never', async () => {
    const p = person();
    const id = await submitInChat(p, 'The balcony door is stuck');
    await poll(); // the first run sets the watermark (or reads what came before)
    await agent.note(id, { notes: 'Here is the repair plan', file: { name: 'plan.txt', type: 'text/plain', bytes: new TextEncoder().encode('step 1: oil the hinge') } });
    await agent.note(id, { notes: 'Internal: bill the landlord', private: true });
    await agent.note(id, { notes: 'Oiled the hinge', status: 'Resolved' });
    harness.telegram.reset();

    const first = await poll();
    expect(first.status).toBe(200);
    const texts = p.texts().join('\n');
    expect(texts).toContain('Here is the repair plan');
    expect(texts).toContain('Oiled the hinge');
    expect(texts).not.toContain('landlord');
    expect(harness.telegram.sentFiles.filter((file) => file.chatId === p.userId).map((file) => file.fileName)).toEqual(['plan.txt']);
    expect(p.labels().join(' ')).toContain('Solved');

    const messages = harness.telegram.messagesOf(p.userId).length;
    await p.tap('Solved');
    harness.telegram.reset();
    expect((await poll()).status).toBe(200);
    expect(harness.telegram.messagesOf(p.userId)).toHaveLength(0);
    expect(messages).toBeGreaterThan(0);
  });

  test('two runs at once: one reads, the other says busy', async () => {
    const [a, b] = await Promise.all([poll(), poll()]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([a.body.busy, b.body.busy].filter((busy) => busy === true)).toHaveLength(1);
  });

  test('delay from a note in Redmine to the person\'s message, the cron every 10 s', { timeout: 90_000 }, async () => {
    const p = person();
    const id = await submitInChat(p, 'The doorbell rings by itself');
    await poll();
    let stop = false;
    const cron = (async () => {
      while (!stop) {
        await poll();
        await sleep(10_000);
      }
    })();
    const delays: number[] = [];
    for (const [i, wait] of [3_000, 7_000].entries()) {
      await sleep(wait);
      const text = `Note number ${i + 1} from the agent`;
      const noted = Date.now();
      await agent.note(id, { notes: text });
      while (!p.texts().some((line) => line.includes(text))) await sleep(50);
      delays.push(Date.now() - noted);
    }
    stop = true;
    await cron;
    console.log(`[redmine] note → message with the cron every 10 s: ${delays.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ')}`);
    expect(delays).toHaveLength(2);
  });
});

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../lib/app.js';
import { createMemoryKvStore } from '../../lib/store/memory-kv-store.js';
import { startHarness, type Harness } from '../support/bot-harness.js';
import { TEST_BOT, textUpdate } from '../support/updates.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ memoryStore: true });
});
afterAll(() => harness.close());

describe('bot identity', () => {
  test('a cold instance answers without its identity; /cmd@name resolves it then, and a failed getMe is retried at the next', async () => {
    harness.telegram.reset();
    const app = await createApp({ config: harness.config, logger: harness.logger, store: createMemoryKvStore() });

    await app.handleUpdate(textUpdate({ userId: 601, text: '/start' }));
    await app.afterResponse();
    expect(harness.telegram.sentTexts(601).at(-1)).toContain('Hello');
    expect(harness.telegram.callsOf('getMe')).toHaveLength(0);

    harness.telegram.failNext('getMe', { status: 502, description: 'Bad Gateway' });
    await app.handleUpdate(textUpdate({ userId: 601, text: `/help@${TEST_BOT.username}` }));
    expect(harness.logs.some((line) => String(line.msg).startsWith('bot identity not resolved yet'))).toBe(true);
    await app.handleUpdate(textUpdate({ userId: 601, text: `/help@${TEST_BOT.username}` }));
    expect(harness.telegram.callsOf('getMe').map((call) => call.status)).toEqual([502, 200]);
    expect(harness.telegram.sentTexts(601).at(-1)).toContain('How it works');
    await app.close();
  });

  test('the identity is read from the store once known, with no getMe', async () => {
    const store = createMemoryKvStore();
    const first = await createApp({ config: harness.config, logger: harness.logger, store });
    await first.identityResolved();
    harness.telegram.reset();
    const second = await createApp({ config: harness.config, logger: harness.logger, store });
    await second.identityResolved();
    expect(harness.telegram.callsOf('getMe')).toHaveLength(0);
    await Promise.all([first.close(), second.close()]);
  });
});

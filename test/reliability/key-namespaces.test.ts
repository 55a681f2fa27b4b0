// One Upstash database is often shared by production, preview and development (Vercel's
// integration connects all three by default). Two bots with different tokens and backends on one
// Redis must never see each other's sessions, update markers, catalogue or metrics.
import type { Redis } from '@upstash/redis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { keyNamespace } from '../../lib/store/key-namespace.js';
import { startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { Person } from '../support/person.js';
import { redisOf } from '../support/reliability.js';
import { TEST_BOT_TOKEN, textUpdate } from '../support/updates.js';

const PREVIEW_TOKEN = '7000000002:preview-bot-token-AAAAAAAAAAAAAAAA';
let production: Harness;
let preview: Harness;
let prodBot: BotInstance;
let previewBot: BotInstance;
let redis: Redis;

beforeAll(async () => {
  production = await startHarness();
  // The preview deployment: another bot, another (staging) backend, the same Redis.
  preview = await startHarness({ token: PREVIEW_TOKEN, bridge: production.bridge });
  [prodBot, previewBot] = await Promise.all([production.startInstance(), preview.startInstance()]);
  redis = redisOf(production);
});
afterAll(async () => {
  await preview.close();
  await production.close();
});

describe('two bots on one Redis', () => {
  test('a person talking to both keeps two separate drafts', async () => {
    const userId = 820_001;
    const prod = new Person(production, prodBot, userId);
    const prev = new Person(preview, previewBot, userId);
    await prod.say('/new');
    await prod.tap('Repair');
    await prod.tap('Individual');
    await prod.tap('Plumbing');
    expect(prod.screen().text).toContain('describe the problem');
    // The preview bot has no draft for this person: the text is not a description there.
    await prev.say('The kitchen tap drips all night long');
    expect(prev.lastText()).toContain('I did not understand');
    expect(prod.texts().join('\n')).not.toContain('add a photo');
  });

  test("the staging backend's trouble is not hidden by production's cached catalogue", async () => {
    const prod = new Person(production, prodBot, 820_002);
    await prod.say('/new');
    expect(prod.labels()).toEqual(expect.arrayContaining(['Repair']));
    preview.backend.setFault('GET /request-types', '500');
    const prev = new Person(preview, previewBot, 820_002);
    await prev.say('/new');
    expect(prev.lastText()).toContain('catalogue is unavailable');
    preview.backend.setFault('GET /request-types', 'none');
  });

  test('update ids are per bot: the same id at both bots is handled by both', async () => {
    const update = textUpdate({ userId: 820_003, text: '/help', updateId: 990_000_001 });
    await prodBot.send(update);
    await previewBot.send(update);
    expect(production.telegram.sentTexts(820_003).join('\n')).toContain('How it works');
    expect(preview.telegram.sentTexts(820_003).join('\n')).toContain('How it works');
  });

  test('every key lives under its bot\'s namespace, metrics included', async () => {
    await Promise.all([prodBot.app.close(), previewBot.app.close()]); // flushes the metrics
    const keys = await redis.keys('*');
    const prodSpace = `${keyNamespace({ token: TEST_BOT_TOKEN })}:`;
    const previewSpace = `${keyNamespace({ token: PREVIEW_TOKEN })}:`;
    const outside = keys.filter((key) => !key.startsWith(prodSpace) && !key.startsWith(previewSpace));
    expect(outside).toEqual([]);
    for (const space of [prodSpace, previewSpace]) {
      const mine = keys.filter((key) => key.startsWith(space)).map((key) => key.slice(space.length));
      expect(mine.some((key) => key.startsWith('session:'))).toBe(true);
      expect(mine.some((key) => key.startsWith('update:'))).toBe(true);
      expect(mine.some((key) => key.startsWith('metrics:'))).toBe(true);
    }
    expect(keys.some((key) => key.startsWith(prodSpace) && key.includes('catalog'))).toBe(true);
  });
});

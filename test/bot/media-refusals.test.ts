// Issue 17, item 3: what the bot cannot take is said at once, in the person's language. A file over
// the 20 MB a bot may download is answered straight away wherever it is sent (never accepted and lost
// at the backend); stickers, polls, dice and other people's contacts get one friendly line saying
// what can be sent. Through the real webhook, the demo backend, the fake Bot API and Redis.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { messages } from '../../lib/i18n/index.js';
import { startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { demoName } from '../support/catalogue-names.js';
import { requestsAtBackend } from '../support/lifecycle.js';
import { Person } from '../support/person.js';
import { contactUpdate, diceUpdate, pollUpdate, stickerUpdate } from '../support/updates.js';

let harness: Harness;
let bot: BotInstance;
let nextUser = 880_000;
const MB = 1024 * 1024;

beforeAll(async () => {
  harness = await startHarness();
  bot = await harness.startInstance();
});
afterAll(() => harness.close());
beforeEach(() => harness.telegram.reset());

const TOO_BIG = {
  en: 'That file is too big for the service desk: up to 20 MB. Please send a smaller file or a link.',
  ru: 'Этот файл слишком большой для службы поддержки: не больше 20 МБ. Отправьте файл поменьше или ссылку.',
} as const;

describe.each(['en', 'ru'] as const)('in %s', (lang) => {
  const t = messages(lang);

  test('a video over 20 MB at the attachment step, in a comment and with no question asked: said at once, nothing sent', async () => {
    const p = new Person(harness, bot, ++nextUser, lang);
    await p.say('/new');
    for (const name of ['Repair', 'Individual', 'Plumbing']) await p.tap(demoName(name, lang));
    await p.say(lang === 'en' ? 'Water drips from the kitchen ceiling' : 'С потолка на кухне капает вода');
    await p.sendMedia('video', { size: 25 * MB });
    expect(p.lastText()).toBe(TOO_BIG[lang]);
    // The step stays: the phone is not asked for yet.
    expect(p.screen().text).toContain(t.askPhoto);
    await p.sendMedia('voice', { size: 21 * MB });
    expect(p.lastText()).toBe(TOO_BIG[lang]);

    const [request] = await requestsAtBackend(harness.backend, p.userId);
    if (!request) throw new Error('no request');
    await p.say('/my');
    await p.tap(request.number);
    await p.tap(t.buttonAddComment);
    await p.sendDocument({ fileName: 'backup.zip', mimeType: 'application/zip', size: 40 * MB });
    expect(p.lastText()).toBe(TOO_BIG[lang]);
    expect(harness.backend.requests().find((r) => r.id === request.id)?.comments).toEqual([]);
    await p.say('/start');
    await p.sendMedia('animation', { size: 30 * MB });
    expect(p.lastText()).toBe(TOO_BIG[lang]);
  });

  test('a sticker, a poll, a die and someone else’s contact: one friendly line each, saying what can be sent', async () => {
    const p = new Person(harness, bot, ++nextUser, lang);
    const sender = { userId: p.userId, languageCode: lang };
    await p.say('/start');
    for (const update of [stickerUpdate(sender), pollUpdate(sender), diceUpdate(sender), contactUpdate({ ...sender, contactUserId: p.userId + 7 })]) {
      const before = harness.telegram.callsOf('sendMessage').length;
      await bot.send(update);
      expect(harness.telegram.callsOf('sendMessage').length - before).toBe(1);
      expect(p.lastText()).toBe(t.cannotTakeThat);
    }
    expect(t.cannotTakeThat).toContain(lang === 'en' ? 'voice message' : 'голосовое');
  });
});

// A message goes to the step on screen, never to a hidden one (issue 16, item 1), through the real
// webhook in English and Russian: a command or a menu parks the draft; a message no visible step
// asks for gets "You have a request in progress" with Continue and Discard; text typed on a service
// list is never taken for a description.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startHarness, updateLines, type BotInstance, type Harness } from '../support/bot-harness.js';
import { Person } from '../support/person.js';
import { requestsAtBackend } from '../support/lifecycle.js';
import { redisOf, storedSession } from '../support/reliability.js';

let harness: Harness;
let bot: BotInstance;
let nextUser = 1_600_000;

beforeAll(async () => {
  harness = await startHarness();
  bot = await harness.startInstance();
});
afterAll(() => harness.close());
beforeEach(() => harness.telegram.reset());

function person(languageCode = 'en'): Person {
  return new Person(harness, bot, ++nextUser, languageCode);
}

/** Taps the button of the newest screen whose data is `data`: catalogue taps that read the same in every language. */
function tapData(p: Person, data: RegExp) {
  const screen = p.screen();
  const found = screen.buttons.find((b) => data.test(b.callback_data));
  if (!found) throw new Error(`no button ${String(data)} on screen: ${screen.buttons.map((b) => `${b.text}=${b.callback_data}`).join(' | ')}`);
  return p.tap(found.text, screen);
}

/** `/new`, Repair, Individual, Plumbing: the description step, in any language. */
async function toDescription(p: Person): Promise<void> {
  await p.say('/new');
  await tapData(p, /^[sS]:\w+:1$/);
  await tapData(p, /^[cC]:\w+:1:10:0$/);
  await tapData(p, /^p:1:10:100$/);
}

const IN_PROGRESS = { en: 'You have a request in progress (Repair · Plumbing).', ru: 'У вас есть незаконченная заявка' } as const;
const CONTINUE = { en: 'Continue', ru: 'Продолжить' } as const;
const DISCARD = { en: 'Discard', ru: 'Удалить' } as const;
const PHOTO_PROMPT = { en: 'add a photo', ru: 'добавить фото' } as const;
const DESCRIBE = { en: 'describe the problem', ru: 'опишите проблему' } as const;
const TEXT = 'The kitchen tap drips all night long';

describe.each(['en', 'ru'] as const)('in %s', (lang) => {
  test('the issue script: /new, Repair, Individual, Plumbing, /start, a description: the greeting is on screen, so the draft is parked', async () => {
    const p = person(lang);
    await toDescription(p);
    await p.say('/start');
    await p.say(TEXT);
    expect(p.lastText()).not.toContain(PHOTO_PROMPT[lang]);
    expect(p.screen().text).toContain(IN_PROGRESS[lang]);
    expect(p.labels().join(' | ')).toContain(CONTINUE[lang]);
    expect(p.labels().join(' | ')).toContain(DISCARD[lang]);
    expect((await storedSession(redisOf(harness), p.userId))?.draft?.description).toBeUndefined();

    // Continue shows the step where it stopped; a message then answers it.
    await p.tap(CONTINUE[lang]);
    expect(p.screen().text).toContain(DESCRIBE[lang]);
    await p.say(TEXT);
    expect(p.screen().text).toContain(PHOTO_PROMPT[lang]);
  });

  test.each(['/my', '/language', '/help'])('after %s a message is not the description either', async (command) => {
    const p = person(lang);
    await toDescription(p);
    await p.say(command);
    await p.say(TEXT);
    expect(p.lastText()).not.toContain(PHOTO_PROMPT[lang]);
    expect(p.screen().text).toContain(IN_PROGRESS[lang]);
    expect((await storedSession(redisOf(harness), p.userId))?.draft?.description).toBeUndefined();
  });

  test('Discard drops the draft: "Cancelled. Nothing was sent." and the menu; the next message meets no draft', async () => {
    const p = person(lang);
    await toDescription(p);
    await p.say('/start');
    await p.say(TEXT);
    await p.tap(DISCARD[lang]);
    expect(p.screen().text).toBe(lang === 'en' ? 'Cancelled. Nothing was sent.' : 'Отменено. Ничего не отправлено.');
    expect((await storedSession(redisOf(harness), p.userId))?.draft).toBeUndefined();
    await p.say(TEXT);
    expect(p.lastText()).not.toContain(IN_PROGRESS[lang]);
  });

  test('Back from the description to the service list: typed text is not the description of the service chosen before', async () => {
    const p = person(lang);
    await toDescription(p);
    await p.tap(lang === 'en' ? 'Back' : 'Назад');
    expect(p.screen().buttons.some((b) => b.callback_data === 'p:1:10:100')).toBe(true);
    await p.say(TEXT);
    expect(p.lastText()).not.toContain(PHOTO_PROMPT[lang]);
    expect((await storedSession(redisOf(harness), p.userId))?.draft?.description).toBeUndefined();
  });

  test('the phone step parked by /start: Continue brings back the contact keyboard', async () => {
    const p = person(lang);
    await toDescription(p);
    await p.say(TEXT);
    await tapData(p, /^sk:/);
    await p.say('/start');
    await p.say('hello there');
    expect(p.screen().text).toContain(IN_PROGRESS[lang]);
    const sent = harness.telegram.callsOf('sendMessage').length;
    await p.tap(CONTINUE[lang]);
    const keyboard = harness.telegram.callsOf('sendMessage').slice(sent).at(-1)?.payload.reply_markup as { keyboard?: { request_contact?: boolean }[][] } | undefined;
    expect(keyboard?.keyboard?.flat().some((b) => b.request_contact === true)).toBe(true);
    await p.shareContact();
    expect(p.screen().text).toContain(lang === 'en' ? 'Please check your request' : 'Проверьте заявку');
  });
});

describe('what the session can know', () => {
  test('a draft on display takes the message; nothing else does, and catalogue taps without a draft still cost no Redis round trip', async () => {
    const p = person();
    await p.say('/start');
    const before = updateLines(harness).length;
    await p.tap('New request');
    await p.tap('Repair');
    await p.tap('Individual');
    const taps = updateLines(harness).slice(before);
    expect(taps.map((line) => Number(line.redis_round_trips))).toEqual([0, 0, 0]);

    await p.tap('Plumbing');
    await p.say(TEXT);
    expect(p.screen().text).toContain('add a photo');
  });

  test('with a draft parked, the menu and the lists it leads to are stateful (at most 2 round trips), so a message typed there is never a description', async () => {
    const p = person();
    // A warm instance: the catalogue is cached (a cold read adds the cache's own round trips).
    await p.say('/new');
    await p.tap('Installation');
    await p.tap('Business');
    await toDescription(p);
    await p.say('/start');
    const before = updateLines(harness).length;
    await p.tap('New request');
    await p.tap('Installation');
    await p.tap('Business');
    const taps = updateLines(harness).slice(before);
    expect(taps.map((line) => [line.handler, Number(line.redis_round_trips)])).toEqual([["new-request", 2], ["new-request", 2], ["new-request", 2]]);
    await p.say(TEXT);
    expect(p.lastText()).not.toContain('add a photo');
    expect((await storedSession(redisOf(harness), p.userId))?.draft?.description).toBeUndefined();
  });

  test('View on a notification posts the details below the draft’s prompt: a stateful tap, so the next message is not the description', async () => {
    const p = person();
    const [request] = await requestsAtBackend(harness.backend, p.userId);
    await toDescription(p);
    await bot.app.notify({ kind: 'status', request_id: request?.id ?? '', number: request?.number ?? '', status: 'in_progress', telegram_user_id: p.userId });
    await p.tap(`View ${request?.number}`);
    expect(p.screen().text).toContain(`Request ${request?.number}`);
    await p.say(TEXT);
    expect(p.lastText()).not.toContain('add a photo');
    expect(p.screen().text).toContain(IN_PROGRESS.en);
  });

  test('what each new kind of update costs on a warm instance (Redis round trips and commands, backend calls)', async () => {
    const p = person();
    // Warm: the catalogue and its index are cached on this instance.
    await p.say('/new plumbing');
    const costs: Record<string, unknown> = {};
    const measure = async (name: string, act: () => Promise<unknown>) => {
      const before = updateLines(harness).length;
      await act();
      const [line, ...more] = updateLines(harness).slice(before);
      expect(more).toEqual([]);
      costs[name] = [Number(line?.redis_round_trips), Number(line?.redis_commands), Number(line?.backend_calls)];
    };
    await measure('/new <words>', () => p.say('/new plumbing'));
    await measure('pick from the hits', () => p.tap('Repair · Individual · Plumbing'));
    await measure('Back to the list (parks the draft)', () => p.tap('Back'));
    await measure('list tap with a draft', () => tapData(p, /^C:en:1:10:1$/));
    await measure('a word on the known list', () => p.say('roof'));
    await measure('the description', () => p.say(TEXT));
    await measure('/start', () => p.say('/start'));
    await measure('a message while parked', () => p.say(TEXT));
    await measure('Continue', () => p.tap('Continue'));
    await p.say('/help');
    await p.say(TEXT);
    await measure('Discard', () => p.tap('Discard'));
    await measure('list tap without a draft', () => p.press('c:en:1:10:0', p.screen()));
    expect(costs).toEqual({
      // Lease and session read (and, but for a command, the "screen moved" mark, read and cleared);
      // "done" (and the session, when it changed).
      '/new <words>': [2, 3, 0],
      'pick from the hits': [2, 5, 0],
      'Back to the list (parks the draft)': [2, 5, 0],
      'list tap with a draft': [2, 4, 0],
      'a word on the known list': [2, 5, 0],
      'the description': [2, 5, 0],
      '/start': [2, 4, 0],
      'a message while parked': [2, 4, 0],
      Continue: [2, 5, 0],
      Discard: [2, 5, 0],
      'list tap without a draft': [0, 0, 0],
    });
  });
});


// Every button answers (issue 16, item 2), through the real webhook in English and Russian: a button
// of an earlier step either acts or says it is out of date and shows the current step; the phone
// step has its own Back; Refresh with nothing new and the filter already chosen answer too; and
// every kind of button the bot can make gets exactly one answer and a visible effect.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { encodeCallback, type CallbackAction, type CallbackKind } from '../../lib/bot/callback-data.js';
import { startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { requestsAtBackend } from '../support/lifecycle.js';
import { Person, type Screen } from '../support/person.js';

let harness: Harness;
let bot: BotInstance;
let nextUser = 1_700_000;

beforeAll(async () => {
  harness = await startHarness();
  bot = await harness.startInstance();
});
afterAll(() => harness.close());
beforeEach(() => harness.telegram.reset());

function person(languageCode = 'en'): Person {
  return new Person(harness, bot, ++nextUser, languageCode);
}

const TEXT = 'The kitchen tap drips all night long';

/** Catalogue taps by their data, the same in every language. */
function tapData(p: Person, data: RegExp) {
  const screen = p.screen();
  const found = screen.buttons.find((b) => data.test(b.callback_data));
  if (!found) throw new Error(`no button ${String(data)} on screen: ${screen.buttons.map((b) => `${b.text}=${b.callback_data}`).join(' | ')}`);
  return p.tap(found.text, screen);
}

/** The description, then Skip on the photo prompt: the phone step; returns the photo prompt. */
async function toPhoneStep(p: Person): Promise<Screen> {
  await p.say('/new');
  await tapData(p, /^[sS]:\w+:1$/);
  await tapData(p, /^[cC]:\w+:1:10:0$/);
  await tapData(p, /^p:1:10:100$/);
  await p.say(TEXT);
  const photoPrompt = p.screen();
  await tapData(p, /^sk:/);
  return photoPrompt;
}

/** The answers to button taps in this chat's updates since `from` (calls made or carried in webhook replies). */
function answersSince(from: number) {
  return harness.telegram.callsOf('answerCallbackQuery').slice(from);
}

/** The reply keyboard of the newest message that carries one. */
function replyKeyboard(p: Person): string[] {
  const sent = harness.telegram.callsOf('sendMessage').filter((call) => call.payload.chat_id === p.userId);
  const markup = sent.map((call) => call.payload.reply_markup as { keyboard?: { text: string }[][] } | undefined).filter((m) => m?.keyboard).at(-1);
  return markup?.keyboard?.flat().map((b) => b.text) ?? [];
}

const OUT_OF_DATE = { en: 'This button is out of date. Here is where you are.', ru: 'Эта кнопка устарела. Вот где вы сейчас.' } as const;
const PHONE_PROMPT = { en: 'Can we call you?', ru: 'Можно вам позвонить?' } as const;
const PHOTO_PROMPT = { en: 'add a photo', ru: 'добавить фото' } as const;
const UP_TO_DATE = { en: 'Up to date', ru: 'Новостей нет' } as const;

describe.each(['en', 'ru'] as const)('in %s', (lang) => {
  test.each([/^bk:/, /^sk:/])('the photo prompt’s %s on the phone step says it is out of date and shows the phone step again', async (which) => {
    const p = person(lang);
    const photoPrompt = await toPhoneStep(p);
    const found = photoPrompt.buttons.find((b) => which.test(b.callback_data));
    if (!found) throw new Error('no such button on the photo prompt');
    const answers = harness.telegram.callsOf('answerCallbackQuery').length;
    const sent = harness.telegram.callsOf('sendMessage').length;
    await p.press(found.callback_data, photoPrompt);
    const [answer, ...more] = answersSince(answers);
    expect(more).toEqual([]);
    expect(answer?.payload.text).toBe(OUT_OF_DATE[lang]);
    const shown = harness.telegram.callsOf('sendMessage').slice(sent);
    expect(shown.map((call) => String(call.payload.text))).toEqual([expect.stringContaining(PHONE_PROMPT[lang])]);
    // The step is still the phone: the person's own number goes on to the summary.
    await p.shareContact();
    expect(p.screen().text).toContain(lang === 'en' ? 'Please check your request' : 'Проверьте заявку');
  });

  test('the phone step has its own Back, to the photo step', async () => {
    const p = person(lang);
    await toPhoneStep(p);
    const back = lang === 'en' ? '⬅️ Back' : '⬅️ Назад';
    expect(replyKeyboard(p)).toContain(back);
    await p.say(back);
    expect(p.screen().text).toContain(PHOTO_PROMPT[lang]);
    await p.sendPhoto();
    expect(p.lastText()).toContain(PHONE_PROMPT[lang]);
  });

  test('Refresh with nothing new answers "Up to date"; the filter already chosen answers too', async () => {
    const p = person(lang);
    const [request] = await requestsAtBackend(harness.backend, p.userId);
    await p.say('/my');
    const list = p.screen();
    let answers = harness.telegram.callsOf('answerCallbackQuery').length;
    await p.tap(lang === 'en' ? '• All •' : '• Все •', list);
    expect(answersSince(answers).map((call) => call.payload.text)).toEqual([lang === 'en' ? 'Already showing all requests' : 'Уже показаны все заявки']);

    await p.tap(request?.number ?? 'missing');
    answers = harness.telegram.callsOf('answerCallbackQuery').length;
    await p.tap(lang === 'en' ? 'Refresh' : 'Обновить');
    expect(answersSince(answers).map((call) => call.payload.text)).toEqual([UP_TO_DATE[lang]]);
  });
});

/** One example of every kind of button, for a person whose own request is `requestId` and whose draft is `draftId`. */
function everyKind(requestId: string, draftId: string): { [K in CallbackKind]: Extract<CallbackAction, { kind: K }> } {
  const lang = 'en';
  return {
    menu: { kind: 'menu', lang },
    help: { kind: 'help', lang },
    types: { kind: 'types', lang },
    sides: { kind: 'sides', lang, typeId: 1 },
    categories: { kind: 'categories', lang, typeId: 1, sideId: 10, page: 1 },
    'my-requests': { kind: 'my-requests', lang },
    request: { kind: 'request', lang, requestId, list: { openOnly: true } },
    'open-request': { kind: 'open-request', lang, requestId },
    pick: { kind: 'pick', typeId: 1, sideId: 10, categoryId: 101 },
    skip: { kind: 'skip', draftId, step: 'photo' },
    back: { kind: 'back', draftId, step: 'photo' },
    keep: { kind: 'keep', draftId, step: 'description' },
    'replace-description': { kind: 'replace-description', draftId, replace: true },
    confirm: { kind: 'confirm', draftId },
    continue: { kind: 'continue', draftId },
    discard: { kind: 'discard', draftId },
    edit: { kind: 'edit', draftId },
    cancel: { kind: 'cancel' },
    'set-lang': { kind: 'set-lang', lang: 'ru' },
    comment: { kind: 'comment', requestId },
    reply: { kind: 'reply', requestId },
    'retry-comment': { kind: 'retry-comment', requestId },
    file: { kind: 'file', lang, requestId, place: 'c0', fileIndex: 0 },
    'full-text': { kind: 'full-text', lang, requestId, place: 'c0' },
    'cache-clear': { kind: 'cache-clear' },
    'requests-page': { kind: 'requests-page', lang, openOnly: true },
    'cancel-ask': { kind: 'cancel-ask', lang, requestId },
    'cancel-yes': { kind: 'cancel-yes', requestId },
    'cancel-send': { kind: 'cancel-send', requestId },
    solved: { kind: 'solved', requestId },
    reopen: { kind: 'reopen', requestId },
    rate: { kind: 'rate', requestId, score: 4 },
    'rate-send': { kind: 'rate-send', requestId },
    'drop-pending': { kind: 'drop-pending' },
    'link-types': { kind: 'link-types', lang },
    'link-sides': { kind: 'link-sides', lang, typeId: 1 },
    'link-categories': { kind: 'link-categories', lang, typeId: 1, sideId: 10, page: 0 },
    'link-pick': { kind: 'link-pick', typeId: 1, sideId: 10, categoryId: 100 },
    'link-skip': { kind: 'link-skip' },
    'link-back': { kind: 'link-back', typeId: 1, sideId: 10, categoryId: 100 },
    'cache-keep': { kind: 'cache-keep' },
  };
}

/** Exactly one answer, and the person sees something: a toast, or a message sent or edited in the chat. */
async function expectAnswered(p: Person, data: string, on: Screen): Promise<void> {
  const calls = harness.telegram.calls.length;
  await p.press(data, on);
  const made = harness.telegram.calls.slice(calls);
  const answers = made.filter((call) => call.method === 'answerCallbackQuery');
  const shown = made.filter((call) => call.method !== 'answerCallbackQuery' && call.payload.chat_id === p.userId && call.status === 200);
  expect({ data, answers: answers.length }).toEqual({ data, answers: 1 });
  expect({ data, visible: typeof answers[0]?.payload.text === 'string' || shown.length > 0 }).toEqual({ data, visible: true });
}

describe('every kind of button answers exactly once, visibly', () => {
  test('for a person with a request and no draft', async () => {
    const owner = person();
    const [request] = await requestsAtBackend(harness.backend, owner.userId);
    for (const action of Object.values(everyKind(request?.id ?? 'missing', 'no-such-draft-1'))) {
      const p = person();
      await requestsAtBackend(harness.backend, p.userId);
      await p.say('/start');
      await expectAnswered(p, encodeCallback(action), p.screen());
    }
  });

  test('for a person on the phone step, with the draft’s own id on every draft button', async () => {
    for (const kind of Object.keys(everyKind('x', 'xxxx')) as CallbackKind[]) {
      const p = person();
      const [request] = await requestsAtBackend(harness.backend, p.userId);
      const photoPrompt = await toPhoneStep(p);
      const draftId = photoPrompt.buttons.find((b) => b.callback_data.startsWith('sk:'))?.callback_data.split(':')[1] ?? 'missing';
      await expectAnswered(p, encodeCallback(everyKind(request?.id ?? 'missing', draftId)[kind]), photoPrompt);
    }
  });
});

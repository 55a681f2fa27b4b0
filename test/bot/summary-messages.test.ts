// Nothing sent at the summary is thrown away (issue 16, item 8), through the real webhook in English
// and Russian: text asks "Replace the description with this?" (Yes / No); a photo is added to the
// request; what the backend receives on Confirm is what the summary shows.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { Person } from '../support/person.js';

let harness: Harness;
let bot: BotInstance;
let nextUser = 2_100_000;

beforeAll(async () => {
  harness = await startHarness();
  bot = await harness.startInstance();
});
afterAll(() => harness.close());
beforeEach(() => harness.telegram.reset());

function person(languageCode = 'en'): Person {
  return new Person(harness, bot, ++nextUser, languageCode);
}

function tapData(p: Person, data: RegExp) {
  const screen = p.screen();
  const found = screen.buttons.find((b) => data.test(b.callback_data));
  if (!found) throw new Error(`no button ${String(data)} on screen: ${screen.buttons.map((b) => `${b.text}=${b.callback_data}`).join(' | ')}`);
  return p.tap(found.text, screen);
}

const FIRST = 'The kitchen tap drips all night long';
const SECOND = 'Actually it is the bathroom tap that drips';

async function toSummary(p: Person): Promise<void> {
  await p.say('/new');
  await tapData(p, /^[sS]:\w+:1$/);
  await tapData(p, /^[cC]:\w+:1:10:0$/);
  await tapData(p, /^p:1:10:100$/);
  await p.say(FIRST);
  await tapData(p, /^sk:/);
  await p.say('skip');
}

function submitted(p: Person) {
  return harness.backend.requests().filter((r) => r.telegram.user_id === p.userId);
}

const L = {
  en: { ask: 'Replace the description with this?', yes: 'Yes, replace', no: 'No, keep', summary: 'Please check your request', photoAdded: '📎 Photo added.', photo: 'Files: 1', short: 'at least 10 characters' },
  ru: { ask: 'Заменить описание этим?', yes: 'Да, заменить', no: 'Нет, оставить', summary: 'Проверьте заявку', photoAdded: '📎 Фото добавлено.', photo: 'Файлы: 1', short: 'не меньше 10 символов' },
} as const;

describe.each(['en', 'ru'] as const)('in %s', (lang) => {
  const t = L[lang];

  test('text at the summary asks to replace the description; Yes replaces it, and that is what is sent', async () => {
    const p = person(lang);
    await toSummary(p);
    await p.say(SECOND);
    expect(p.screen().text).toContain(t.ask);
    expect(p.screen().text).toContain(SECOND);
    await p.tap(t.yes);
    expect(p.screen().text).toContain(t.summary);
    expect(p.screen().text).toContain(SECOND);
    expect(p.screen().text).not.toContain(FIRST);
    await tapData(p, /^ok:/);
    expect(submitted(p)).toEqual([expect.objectContaining({ description: SECOND })]);
  });

  test('No keeps the description; a second text asks about the second', async () => {
    const p = person(lang);
    await toSummary(p);
    await p.say(SECOND);
    await p.say('No wait, it is the shower that drips');
    expect(p.screen().text).toContain('No wait, it is the shower that drips');
    await p.tap(t.no);
    expect(p.screen().text).toContain(t.summary);
    expect(p.screen().text).toContain(FIRST);
    await tapData(p, /^ok:/);
    expect(submitted(p)).toEqual([expect.objectContaining({ description: FIRST })]);
  });

  test('a photo at the summary is added to the request', async () => {
    const p = person(lang);
    await toSummary(p);
    await p.sendPhoto();
    expect(p.texts()).toContain(t.photoAdded);
    expect(p.screen().text).toContain(t.summary);
    expect(p.screen().text).toContain(t.photo);
    await tapData(p, /^ok:/);
    expect(submitted(p)).toEqual([expect.objectContaining({ attachments: [expect.objectContaining({ telegram_file_id: 'photo-file-id-1', kind: 'photo' })] })]);
  });

  test('a text too short for a description is corrected; the summary stays as it was', async () => {
    const p = person(lang);
    await toSummary(p);
    await p.say('hmm');
    expect(p.lastText()).toContain(t.short);
    expect(p.screen().text).toContain(t.summary);
    expect(p.screen().text).toContain(FIRST);
  });
});

// The chat opens the Mini App: a web_app button in the main menu and in a request's details (at that
// request), the app's link beside the chat's on a /link poster, and the contact the app's "share my
// phone" posts into the chat is taken quietly.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ADMIN_ID, startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { requestsAtBackend } from '../support/lifecycle.js';
import { Person } from '../support/person.js';

const APP = 'https://desk.example.com/app';
let harness: Harness;
let instance: BotInstance;

interface KeyboardButton {
  readonly text: string;
  readonly callback_data?: string;
  readonly web_app?: { readonly url: string };
}

function newestKeyboard(userId: number): KeyboardButton[] {
  const withKeyboard = harness.telegram.messagesOf(userId).filter((message) => message.reply_markup !== undefined).at(-1);
  return (withKeyboard?.reply_markup as { inline_keyboard: KeyboardButton[][] }).inline_keyboard.flat();
}

beforeAll(async () => {
  harness = await startHarness({ env: { MINI_APP_URL: APP, MINI_APP_SHORT_NAME: 'desk' } });
  instance = await harness.startInstance();
});
afterAll(() => harness.close());

describe('the Mini App from the chat', () => {
  test('the main menu opens the app; a request\'s details open it at that request', async () => {
    const ada = new Person(harness, instance, 8_100_001);
    await ada.say('/start');
    expect(newestKeyboard(ada.userId).filter((b) => b.web_app)).toEqual([{ text: '📱 Open the app', web_app: { url: APP } }]);
    const [request] = await requestsAtBackend(harness.backend, ada.userId, 1);
    await ada.tap('My requests');
    await ada.tap((request as { number: string }).number);
    expect(newestKeyboard(ada.userId).filter((b) => b.web_app)).toEqual([
      { text: '📱 Open in the app', web_app: { url: `${APP}?request=${(request as { id: string }).id}` } },
    ]);
  });

  test('Russian labels', async () => {
    const olga = new Person(harness, instance, 8_100_002, 'ru');
    await olga.say('/start');
    expect(newestKeyboard(olga.userId).find((b) => b.web_app)?.text).toBe('📱 Открыть приложение');
  });

  test('/link gives the app\'s startapp link beside the chat\'s', async () => {
    const admin = new Person(harness, instance, ADMIN_ID);
    await admin.say('/link');
    await admin.tap('Repair');
    await admin.tap('Individual');
    await admin.tap('Plumbing');
    await admin.tap('Skip');
    const caption = String(harness.telegram.messagesOf(ADMIN_ID).at(-1)?.caption ?? '');
    expect(caption).toMatch(/\?start=n1-10-100\n/);
    expect(caption).toContain('📱 In the app: https://t.me/');
    expect(caption).toMatch(/\/desk\?startapp=n1-10-100$/);
  });

  test('the contact the app shares lands in the chat without a word, and without touching a draft', async () => {
    const ada = new Person(harness, instance, 8_100_003);
    await ada.say('/start');
    const before = harness.telegram.messagesOf(ada.userId).length;
    await ada.shareContact();
    expect(harness.telegram.messagesOf(ada.userId)).toHaveLength(before);
    expect(harness.logs.filter((line) => line.msg === 'update').at(-1)).toMatchObject({ handler: 'contact-from-app' });
  });
});

// Issue 6.2: submitting a request. Whatever fails (the backend times out, answers 5xx, or creates
// the request and loses the answer), however often the Confirm arrives (a retried webhook, a
// double tap), exactly one request exists; the person is told to try again and keeps the draft.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { messages } from '../../lib/i18n/index.js';
import { startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { Person } from '../support/person.js';
import { atOnceLikeTelegram, backendFault, createTally, plain, redisOf, storedSession, toSummary, watchUnhandledRejections } from '../support/reliability.js';
import { callbackUpdate } from '../support/updates.js';

let harness: Harness;
let a: BotInstance;
let b: BotInstance;
let nextUser = 620_000;
const tally = createTally('submission');
const rejections = watchUnhandledRejections();
const en = messages('en');
const ru = messages('ru');
const DESCRIPTION = 'Radiator in the hall is cold, the others are fine';

beforeAll(async () => {
  // A short backend timeout keeps the timeout cases fast; ky retries a 5xx twice (3 attempts).
  harness = await startHarness({ env: { HTTP_TIMEOUT_MS: '300' } });
  [a, b] = await Promise.all([harness.startInstance(), harness.startInstance()]);
});
afterAll(async () => {
  rejections.stop();
  tally.report([harness]);
  await harness.close();
});
beforeEach(() => harness.telegram.reset());

function person(languageCode = 'en'): Person {
  return new Person(harness, a, ++nextUser, languageCode);
}

function requestsOf(p: Person) {
  return harness.backend.requests().filter((request) => request.telegram.user_id === p.userId);
}

/** Everything the person entered reached the backend. */
function expectComplete(p: Person, description = DESCRIPTION): void {
  const [request] = requestsOf(p);
  expect(request).toMatchObject({
    request_type_id: 1,
    side_id: 10,
    category_id: 100,
    description,
    contact_phone: '+15555550123',
    attachments: [{ telegram_file_id: 'photo-file-id-1', kind: 'photo' }],
    telegram: { user_id: p.userId, chat_id: p.userId },
  });
}

/** The draft in Redis is still at the summary with everything the person entered. */
async function expectDraftKept(p: Person, description = DESCRIPTION): Promise<void> {
  const session = await storedSession(redisOf(harness), p.userId);
  expect(session?.draft).toMatchObject({ step: 'confirm', description, files: [{ telegram_file_id: 'photo-file-id-1', kind: 'photo' }], phone: '+15555550123' });
}

describe('the backend fails', () => {
  test('timeout: Try again creates one', async () => {
    const p = person();
    await toSummary(p, DESCRIPTION, { photo: true, phone: true });
    const fault = backendFault(harness.backend, 'POST /requests', 'timeout', 1);
    await p.tap('Confirm');
    tally.fault(fault.stop());
    expect(p.screen().text).toContain(en.submitFailed);
    expect(p.labels()).toContain(en.buttonRetry);
    await expectDraftKept(p);
    expect(requestsOf(p)).toHaveLength(0);

    await p.tap(en.buttonRetry);
    expect(requestsOf(p)).toHaveLength(1);
    expect(p.screen().text).toContain(plain(en.submitted(requestsOf(p)[0]?.number ?? '?')));
    expectComplete(p);
    tally.expectRequests(1);
  });

  test('5xx: Russian, Try again creates one', async () => {
    const p = person('ru');
    await p.say('/start');
    await p.press('p:1:10:100');
    await p.say(DESCRIPTION);
    await p.sendPhoto();
    await p.shareContact();
    const fault = backendFault(harness.backend, 'POST /requests', '500');
    await p.tap(ru.buttonConfirm);
    expect(fault.stop()).toBe(3); // the first attempt and ky's two retries
    tally.fault(3);
    expect(p.screen().text).toContain(ru.submitFailed);
    expect(p.labels()).toContain(ru.buttonRetry);
    await expectDraftKept(p);

    await p.tap(ru.buttonRetry);
    expect(requestsOf(p)).toHaveLength(1);
    expectComplete(p);
    tally.expectRequests(1);
  });

  test('answer lost once: the retry finds the request', async () => {
    const p = person();
    await toSummary(p, DESCRIPTION, { photo: true, phone: true });
    const fault = backendFault(harness.backend, 'POST /requests', 'fail-after-create', 1);
    await p.tap('Confirm');
    tally.fault(fault.stop());
    expect(requestsOf(p)).toHaveLength(1);
    expect(p.screen().text).toContain(plain(en.submitted(requestsOf(p)[0]?.number ?? '?')));
    expectComplete(p);
    tally.expectRequests(1);
  });

  test('answer lost every time: Try again names the same request', async () => {
    const p = person();
    await toSummary(p, DESCRIPTION, { photo: true, phone: true });
    const fault = backendFault(harness.backend, 'POST /requests', 'fail-after-create');
    await p.tap('Confirm');
    expect(fault.stop()).toBe(3);
    tally.fault(3);
    expect(p.screen().text).toContain(en.submitFailed);
    expect(requestsOf(p)).toHaveLength(1); // created, though the person was not told yet
    await expectDraftKept(p);

    await p.tap(en.buttonRetry);
    expect(requestsOf(p)).toHaveLength(1);
    expect(p.screen().text).toContain(plain(en.submitted(requestsOf(p)[0]?.number ?? '?')));
    expectComplete(p);
    tally.expectRequests(1);
  });
});

describe('Confirm arrives more than once', () => {
  test('retried webhook at once on two instances, answer lost', async () => {
    const p = person();
    await toSummary(p, DESCRIPTION, { photo: true, phone: true });
    const update = callbackUpdate({ userId: p.userId, data: p.screen().buttons[0]?.callback_data ?? '', messageId: p.screen().messageId });
    const fault = backendFault(harness.backend, 'POST /requests', 'fail-after-create', 1);
    const { statuses } = await atOnceLikeTelegram(update, [a, b]);
    tally.fault(fault.stop());
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(requestsOf(p)).toHaveLength(1);
    expect(p.texts().filter((text) => text.includes(plain(en.submitted(requestsOf(p)[0]?.number ?? '?'))))).toHaveLength(1);
    expectComplete(p);
    tally.expectRequests(1);
  });

  test('double tap on two instances, answer lost', async () => {
    const p = person();
    await toSummary(p, DESCRIPTION, { photo: true, phone: true });
    const summary = p.screen();
    const onB = new Person(harness, b, p.userId);
    const fault = backendFault(harness.backend, 'POST /requests', 'fail-after-create', 2);
    await Promise.all([p.tap('Confirm', summary), onB.tap('Confirm', summary)]);
    tally.fault(fault.stop());
    expect(requestsOf(p)).toHaveLength(1);
    expect(p.screen().text).toContain(requestsOf(p)[0]?.number);
    expectComplete(p);
    tally.expectRequests(1);
  });

  test('double tap while timing out, then double Try again', async () => {
    const p = person();
    await toSummary(p, DESCRIPTION, { photo: true, phone: true });
    const summary = p.screen();
    const fault = backendFault(harness.backend, 'POST /requests', 'timeout');
    await Promise.all([p.tap('Confirm', summary), p.tap('Confirm', summary)]);
    expect(fault.stop()).toBe(2);
    tally.fault(2);
    expect(p.screen().text).toContain(en.submitFailed);
    await expectDraftKept(p);

    const retry = p.screen();
    await Promise.all([p.tap(en.buttonRetry, retry), p.tap(en.buttonRetry, retry)]);
    await p.tap(en.buttonRetry, retry);
    expect(requestsOf(p)).toHaveLength(1);
    expect(p.texts().join('\n')).toContain(requestsOf(p)[0]?.number);
    expectComplete(p);
    tally.expectRequests(1);
  });
});

describe('after a failed attempt', () => {
  // The first attempt created the request and lost every answer. Changing the draft now would
  // send the same Idempotency-Key with another body, so the draft is frozen: Edit shows it again
  // with Try again, and Try again finds the request the backend already has.
  test('edit after a lost answer is refused; Try again names the one request', async () => {
    const p = person();
    await toSummary(p, DESCRIPTION, { photo: true, phone: true });
    const summary = p.screen();
    const fault = backendFault(harness.backend, 'POST /requests', 'fail-after-create');
    await p.tap('Confirm');
    tally.fault(fault.stop());
    tally.expectRequests(1);
    expect(p.screen().text).toContain(en.submitFailed);
    await p.say('hello?'); // a message at this step shows the draft again
    expect(p.labels()).not.toContain(en.buttonEdit);
    await p.tap('Edit', summary); // the old summary's Edit button
    expect(p.labels()).toContain(en.buttonRetry);
    expect(p.screen().text).toContain(DESCRIPTION);
    await p.tap(en.buttonRetry);
    expect(requestsOf(p)).toHaveLength(1);
    expect(p.screen().text).toContain(requestsOf(p)[0]?.number);
  });

  test('no unhandled rejection', () => {
    expect(rejections.seen).toEqual([]);
  });
});

// The Mini App in a real browser (Debian's Chromium through playwright-core), against the real API
// router, the demo backend and Redis through the Upstash bridge; Telegram's script is the stub, the
// launch data is signed with the test bot's token. One browser for the file, a new context per test.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { encodeStartPayload } from '../../lib/deep-link/start-payload.js';
import { lifecycleKey } from '../../lib/requests/idempotency-keys.js';
import { DARK_THEME, signContact } from '../../tools/sandbox/mini-app.js';
import { startSandbox } from '../../tools/sandbox/sandbox.js';
import { samplePng } from '../../tools/sandbox/sample-image.js';
import { browserSkipReason, startBrowser, type TestBrowser } from '../support/browser.js';
import { current, lifecycleCalls, requestsAtBackend } from '../support/lifecycle.js';
import { startMiniAppHarness, type MiniAppHarness } from '../support/mini-app-harness.js';
import { TEST_BOT_TOKEN } from '../support/updates.js';

const skip = browserSkipReason();
if (skip !== undefined) console.log(skip);

let h: MiniAppHarness;
let browser: TestBrowser;
let nextUser = 7_100_000;
const person = (languageCode = 'en') => ({ id: ++nextUser, firstName: 'Ada', languageCode });

/** Every /api/app answer the page got, by path and status. */
function apiAnswers(page: Page): { path: string; status: number }[] {
  const seen: { path: string; status: number }[] = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.pathname.startsWith('/api/app/')) seen.push({ path: url.pathname.slice('/api/app/'.length), status: response.status() });
  });
  return seen;
}

describe.skipIf(skip !== undefined)('Mini App in Chromium', () => {
  beforeAll(async () => {
    [h, browser] = await Promise.all([startMiniAppHarness(), startBrowser()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  test('My requests: newest first, the next page through the cursor as the list scrolls, Open filters', async () => {
    const ada = person();
    const made = await requestsAtBackend(h.harness.backend, ada.id, 23);
    await h.harness.backend.setStatus((made[22] as { id: string }).id, 'cancelled');
    const { page } = await browser.page();
    const answers = apiAnswers(page);
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });
    h.harness.backend.resetStats();
    await page.goto(h.launch(ada));
    await page.waitForSelector('[data-list="all"] [data-request]');
    const first = await page.locator('[data-list="all"] [data-request]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-request')));
    expect(first).toHaveLength(20);
    expect(first[0]).toBe(made[22]?.number);
    expect(first[19]).toBe(made[3]?.number);
    expect(h.harness.backend.stats.byRoute['GET /requests']).toBe(1);
    // The inline boot script (allowed by its hash) started the list's call: no policy refused anything.
    expect(blocked).toEqual([]);

    await page.locator('.sentinel').scrollIntoViewIfNeeded();
    await expect.poll(() => page.locator('[data-list="all"] [data-request]').count()).toBe(23);
    expect(await page.locator('[data-list="all"] [data-request]').last().getAttribute('data-request')).toBe(made[0]?.number);
    await page.getByText('That is all.').waitFor();
    expect(h.harness.backend.stats.byRoute['GET /requests']).toBe(2);
    expect(answers.filter((a) => a.path === 'requests').map((a) => a.status)).toEqual([200, 200]);

    // Every row the Open tab ever shows, frame by frame: All's list must never stand under it, not even for a render.
    await page.evaluate(`(() => {
      const seen = new Set();
      window.__openSeen = seen;
      new MutationObserver(() => {
        for (const row of document.querySelectorAll('[data-list="open"] [data-request]')) seen.add(row.getAttribute('data-request'));
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    })()`);
    await page.getByRole('tab', { name: 'Open' }).click();
    await expect.poll(() => page.locator('[data-list="open"] [data-request]').first().getAttribute('data-request')).toBe(made[21]?.number);
    const open = await page.locator('[data-list="open"] [data-request]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-request')));
    expect(open).not.toContain(made[22]?.number);
    expect(await page.evaluate('[...window.__openSeen]')).not.toContain(made[22]?.number);
  });

  test('a request shows what was submitted and its whole thread, photos inline and files as downloads', async () => {
    const ada = person();
    const photo = samplePng();
    const customerPhoto = h.harness.telegram.registerFile({ kind: 'photo', bytes: photo, mimeType: 'image/png', fileId: `ada-photo-${ada.id}` });
    const [request] = await requestsAtBackend(h.harness.backend, ada.id, 1, {
      description: 'The kitchen tap drips all night long',
      attachments: [{ telegram_file_id: customerPhoto.file_id, kind: 'photo' }],
    });
    const id = (request as { id: string }).id;
    const agentPhoto = h.harness.backend.serveFile('valve.png', photo, 'image/png');
    h.harness.backend.addAgentComment(id, {
      author_name: 'Sam',
      text: 'We replaced the valve, see the photo',
      attachments: [
        { url: agentPhoto, file_name: 'valve.png', mime_type: 'image/png' },
        { url: h.harness.backend.fileUrl('sample.pdf'), file_name: 'inspection-report.pdf', mime_type: 'application/pdf' },
      ],
    });
    const { page } = await browser.page();
    await page.goto(h.launch(ada, { request: id }));
    await page.getByText('The kitchen tap drips all night long').waitFor();
    await page.getByText('We replaced the valve, see the photo').waitFor();
    await expect.poll(() => page.locator('img').evaluateAll((images) => images.map((image) => (image as unknown as { naturalWidth: number }).naturalWidth))).toEqual([320, 320]);
    const download = page.getByRole('link', { name: /inspection-report\.pdf/ });
    const href = await download.getAttribute('href');
    expect(href).toMatch(/^\/api\/app\/files\//);
    const fetched = await page.evaluate(async (url) => {
      const response = await fetch(url);
      return { status: response.status, disposition: response.headers.get('content-disposition'), start: (await response.text()).slice(0, 8) };
    }, href as string);
    expect(fetched).toEqual({ status: 200, disposition: 'attachment; filename="inspection-report.pdf"', start: '%PDF-1.4' });
  });

  test('Add comment: Send tapped twice adds the comment once', async () => {
    const ada = person();
    const [request] = await requestsAtBackend(h.harness.backend, ada.id, 1);
    const id = (request as { id: string }).id;
    h.harness.backend.setRouteLatency('POST /requests/:id/comments', 200);
    const { page } = await browser.page();
    await page.goto(h.launch(ada, { request: id }));
    await page.getByRole('textbox', { name: 'Add comment' }).fill('The water is back on, thank you');
    const send = page.locator('#tg-main-button');
    await expect.poll(() => send.textContent()).toBe('Send');
    await send.click();
    await send.click({ force: true }).catch(() => undefined);
    await page.getByText('Added to').waitFor();
    h.harness.backend.setRouteLatency('POST /requests/:id/comments', 0);
    const comments = current(h.harness.backend, id)?.comments ?? [];
    expect(comments.filter((comment) => comment.text === 'The water is back on, thank you')).toHaveLength(1);
    await page.locator('.bubble.mine', { hasText: 'The water is back on, thank you' }).waitFor();
    const haptics = await page.evaluate(() => (globalThis as unknown as { __telegram: { haptics: string[] } }).__telegram.haptics);
    expect(haptics).toContain('notification:success');
  });

  test('New request: search the catalogue, describe, a photo and the phone, Confirm: one request, and the chat is told', async () => {
    const ada = person();
    const contact = { signed: signContact({ token: TEST_BOT_TOKEN, userId: ada.id, phone: '+15555550199' }), phone: '+15555550199' };
    const { page } = await browser.page({ contact });
    await page.goto(h.launch(ada));
    await page.locator('#tg-main-button', { hasText: 'New request' }).click();
    await page.getByRole('searchbox').fill('drains');
    await page.locator('[data-service="Plumbing"]').first().click();
    await page.getByRole('textbox').fill('The kitchen tap drips all night long');
    await page.locator('input[type=file]').setInputFiles({ name: 'tap.png', mimeType: 'image/png', buffer: samplePng() });
    await page.locator('[data-state="done"]').waitFor();
    await page.getByRole('button', { name: 'Share my phone number' }).click();
    await page.getByText('+15555550199').waitFor();
    await page.locator('#tg-main-button', { hasText: 'Next' }).click();
    await page.getByText('Check your request').waitFor();
    const confirm = page.locator('#tg-main-button', { hasText: 'Confirm' });
    await confirm.click();
    await page.getByText('has been created').waitFor();

    const mine = h.harness.backend.requests().filter((request) => request.telegram.user_id === ada.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ category_name: 'Plumbing', description: 'The kitchen tap drips all night long', contact_phone: '+15555550199' });
    expect(mine[0]?.attachments).toHaveLength(1);
    const told = h.harness.telegram.messagesOf(ada.id).map((message) => String(message.text ?? ''));
    expect(told.filter((text) => text.includes(`${mine[0]?.number}</b> created in the app`))).toHaveLength(1);
    // The upload's own message left the chat at once.
    expect(h.harness.telegram.messagesOf(ada.id).filter((message) => message.photo !== undefined)).toHaveLength(0);
  });

  test('a startapp link (a QR poster) opens the app at its service\'s description, with its location', async () => {
    const ada = person();
    const startParam = encodeStartPayload({ typeId: 1, sideId: 10, categoryId: 100, location: 'Building 3, lift B' });
    const { page } = await browser.page();
    await page.goto(h.launch(ada, { startParam }));
    await page.getByText('Location: Building 3, lift B').waitFor();
    await page.getByRole('textbox').fill('The lift stops between floors 3 and 4');
    await page.locator('#tg-main-button', { hasText: 'Next' }).click();
    await page.locator('#tg-main-button', { hasText: 'Confirm' }).click();
    await page.getByText('has been created').waitFor();
    const mine = h.harness.backend.requests().filter((request) => request.telegram.user_id === ada.id);
    expect(mine.map((request) => [request.category_name, request.location])).toEqual([['Plumbing', 'Building 3, lift B']]);
  });

  test('Cancel asks first; a closed request takes the rating; both with the chat\'s Idempotency-Keys', async () => {
    const ada = person();
    const [open, closed] = await requestsAtBackend(h.harness.backend, ada.id, 2);
    const openId = (open as { id: string }).id;
    const closedId = (closed as { id: string }).id;
    await h.harness.backend.setStatus(closedId, 'closed');
    const { page } = await browser.page();
    await page.goto(h.launch(ada, { request: openId }));
    await page.getByRole('button', { name: 'Cancel request' }).click();
    await page.getByText('This cannot be undone').waitFor();
    expect(current(h.harness.backend, openId)?.status).toBe('new');
    await page.getByRole('button', { name: 'Yes, cancel it' }).click();
    await page.getByText(/is cancelled/).waitFor();
    expect(current(h.harness.backend, openId)?.status).toBe('cancelled');
    expect(lifecycleCalls(h.harness.backend, openId).map((call) => [call.key, call.outcome])).toEqual([[lifecycleKey(ada.id, 'cancel', openId), 'applied']]);

    const { page: second } = await browser.page();
    await second.goto(h.launch(ada, { request: closedId }));
    await second.getByRole('radio', { name: '4⭐' }).click();
    await second.locator('#tg-main-button', { hasText: 'Send rating' }).click();
    await second.getByText('Thank you').waitFor();
    expect(current(h.harness.backend, closedId)?.rating?.score).toBe(4);
    expect(lifecycleCalls(h.harness.backend, closedId, { action: 'rating' }).map((call) => call.key)).toEqual([lifecycleKey(ada.id, 'rating', closedId)]);
  });

  test('forged and stale launch data: the page says to open it from Telegram, the API answers 401', async () => {
    const ada = person();
    await requestsAtBackend(h.harness.backend, ada.id, 1);
    for (const launch of [
      h.launch(ada, { token: '999999:ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ' }),
      h.launch(ada, { authDate: new Date(Date.now() - 2 * 3600 * 1000) }),
    ]) {
      const { page } = await browser.page();
      const answers = apiAnswers(page);
      await page.goto(launch);
      await page.getByRole('heading', { name: 'Open this from Telegram' }).waitFor();
      expect(answers).toEqual([{ path: 'requests', status: 401 }]);
      expect(await page.locator('[data-request]').count()).toBe(0);
    }
  });

  test('another person\'s request id: 404, and nothing of it on screen', async () => {
    const [others] = await requestsAtBackend(h.harness.backend, 7_099_999, 1, { description: 'Somebody else\'s secret problem' });
    const { page } = await browser.page();
    const answers = apiAnswers(page);
    await page.goto(h.launch(person(), { request: (others as { id: string }).id }));
    await page.getByText('This request was not found.').waitFor();
    expect(answers.filter((a) => a.path.startsWith('requests/'))).toEqual([{ path: `requests/${(others as { id: string }).id}`, status: 404 }]);
    expect(await page.content()).not.toContain('secret problem');
    expect(await page.content()).not.toContain((others as { number: string }).number);
  });

  test('npm start: the printed URL opens the app in a plain browser (its own buttons), and a request made there is in the chat\'s My requests', async () => {
    const sandbox = await startSandbox();
    try {
      const { page } = await browser.page();
      await page.goto(sandbox.miniAppUrl());
      await page.getByRole('button', { name: 'New request' }).click();
      await page.getByRole('searchbox').fill('lift');
      await page.locator('[data-service="Lifts"]').click();
      await page.getByRole('textbox').fill('The lift stops between floors 3 and 4');
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByRole('button', { name: 'Confirm' }).click();
      await page.getByText('has been created').waitFor();
      const transcript = (await sandbox.send('/my'))
        .map((entry) => (entry.kind === 'message' ? [entry.text, ...entry.buttons.flat().map((b) => b.label)].join('\n') : 'text' in entry ? entry.text : ''))
        .join('\n');
      expect(transcript).toMatch(/created in the app/);
      expect(transcript).toMatch(/SR-\d+ · New · Lifts/);
    } finally {
      await sandbox.close();
    }
  });

  test('dark theme and Russian: Telegram\'s colours and the bot\'s own strings', async () => {
    const olga = person('ru');
    await requestsAtBackend(h.harness.backend, olga.id, 1);
    const { page } = await browser.page();
    await page.goto(h.launch(olga, { theme: DARK_THEME }));
    await page.getByRole('heading', { name: '📋 Мои заявки' }).waitFor();
    const colours = await page.locator('body').evaluate((body) => {
      const style = (globalThis as unknown as { getComputedStyle(element: unknown): { backgroundColor: string; color: string } }).getComputedStyle(body);
      return { background: style.backgroundColor, text: style.color };
    });
    expect(colours).toEqual({ background: 'rgb(23, 33, 43)', text: 'rgb(245, 245, 245)' });
    expect(await page.locator('#tg-main-button').textContent()).toBe('📝 Новая заявка');
  });
});

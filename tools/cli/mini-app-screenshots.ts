/**
 * `npm run mini-app:screenshots [-- --out docs/mini-app]`: every screen of the Mini App in Telegram's
 * light and dark themes, as PNGs, from the offline sandbox (demo backend, local Bot API) in Debian's
 * Chromium with the Telegram stub. Emoji need a colour font: apt-get install fonts-noto-color-emoji.
 */
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { chromiumPath, launchChromium, TELEGRAM_SCRIPT_URL } from '../sandbox/chromium.js';
import { DARK_THEME, launchUrl, LIGHT_THEME, signContact, signLaunch } from '../sandbox/mini-app.js';
import { samplePng } from '../sandbox/sample-image.js';
import { startSandbox } from '../sandbox/sandbox.js';
import { TELEGRAM_STUB_SCRIPT } from '../sandbox/telegram-stub.js';
import { SANDBOX_BOT_TOKEN } from '../sandbox/updates.js';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'docs/mini-app' } } });
  if (chromiumPath() === undefined) {
    console.error('mini-app:screenshots needs Chromium: apt-get install chromium');
    return 1;
  }
  const out = resolve(values.out);
  await mkdir(out, { recursive: true });
  const sandbox = await startSandbox();
  const browser = await launchChromium();
  try {
    const { backend, person } = sandbox;
    // A thread worth looking at: a request with a photo, an agent's answer with a photo and a report.
    const made = [];
    for (const [category, description] of [
      [101, 'The socket in the kitchen sparks when something is plugged in'],
      [102, 'The radiator in the bedroom stays cold all day'],
      [100, 'The kitchen tap drips all night long; it started after the frost last week'],
    ] as const) {
      const response = await fetch(`${backend.url}/requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `screenshots-${category}` },
        body: JSON.stringify({ request_type_id: 1, side_id: 10, category_id: category, description, location: category === 100 ? 'Building 3, flat 12' : undefined, telegram: { user_id: person.id, chat_id: person.id } }),
      });
      made.push((await response.json()) as { id: string; number: string });
    }
    const tap = made[2] as { id: string };
    await backend.setStatus(tap.id, 'in_progress', 'A plumber is on the way');
    backend.addAgentComment(tap.id, {
      author_name: 'Sam (service desk)',
      text: 'We replaced the valve. Here is the new one, and the inspection report.',
      attachments: [
        { url: backend.serveFile('new-valve.png', samplePng(480, 300), 'image/png'), file_name: 'new-valve.png', mime_type: 'image/png' },
        { url: backend.fileUrl('sample.pdf'), file_name: 'inspection-report.pdf', mime_type: 'application/pdf' },
      ],
    });
    await backend.setStatus((made[0] as { id: string }).id, 'resolved', 'The socket was replaced');

    const user = { id: person.id, firstName: person.firstName, languageCode: 'en' };
    const shots: string[] = [];
    for (const [themeName, theme] of [['light', LIGHT_THEME], ['dark', DARK_THEME]] as const) {
      const context = await browser.newContext({ viewport: { width: 390, height: 760 }, deviceScaleFactor: 2 });
      await context.route(TELEGRAM_SCRIPT_URL, (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: TELEGRAM_STUB_SCRIPT }));
      const contact = { signed: signContact({ token: SANDBOX_BOT_TOKEN, userId: person.id, phone: person.phone }), phone: person.phone };
      // A string, not a function: tsx would wrap a named function in a helper the page does not have.
      await context.addInitScript({
        content: `(function set() { if (window.__telegram) window.__telegram.contact = ${JSON.stringify(contact)}; else setTimeout(set, 10); })();`,
      });
      const page = await context.newPage();
      const url = (request?: string) => launchUrl(sandbox.botUrl, signLaunch({ token: SANDBOX_BOT_TOKEN, user }), { theme, ...(request !== undefined && { request }) });
      // A fresh load each time, as Telegram opens the app: a URL that differs only in its hash would not reload.
      const open = async (target: string) => {
        await page.goto('about:blank');
        await page.goto(target);
      };
      const shoot = async (name: string) => {
        const file = `${out}/${name}-${themeName}.png`;
        await page.waitForTimeout(150);
        await page.screenshot({ path: file });
        shots.push(file);
      };
      await open(url());
      await page.waitForSelector('[data-request]');
      await shoot('my-requests');
      await open(url(tap.id));
      await page.getByText('We replaced the valve').waitFor();
      await waitForImages(page);
      await shoot('request');
      await page.locator('.thread').scrollIntoViewIfNeeded();
      await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 10_000));
      await shoot('request-thread');
      await open(url());
      await page.waitForSelector('[data-request]');
      await page.locator('#tg-main-button').click();
      await page.getByRole('searchbox').fill('leak');
      await shoot('new-request-search');
      await page.locator('[data-service="Plumbing"]').first().click();
      await page.getByRole('textbox').fill('Water comes through the bathroom ceiling when the upstairs shower runs');
      await page.getByRole('button', { name: 'Share my phone number' }).click();
      await page.getByText(person.phone).waitFor();
      await shoot('new-request-describe');
      await page.locator('#tg-main-button').click();
      await page.getByText('Check your request').waitFor();
      await shoot('new-request-summary');
      await open(launchUrl(sandbox.botUrl, signLaunch({ token: '999999:ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ', user }), { theme }));
      await page.getByText('Open this from Telegram').waitFor();
      await shoot('open-from-telegram');
      await context.close();
    }
    for (const file of shots) console.log(file);
    return 0;
  } finally {
    await browser.close();
    await sandbox.close();
  }
}

async function waitForImages(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const g = globalThis as unknown as { document: { images: ArrayLike<{ complete: boolean; naturalWidth: number }> } };
    return Array.from(g.document.images).every((image) => image.complete && image.naturalWidth > 0);
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

// Debian's Chromium driven by playwright-core (no browser download): one browser per test file,
// a fresh context per test. Telegram's script comes from the stub by request interception.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TELEGRAM_STUB_SCRIPT } from '../../tools/sandbox/telegram-stub.js';
import { TELEGRAM_SCRIPT_URL, chromiumPath, launchChromium } from '../../tools/sandbox/chromium.js';

export { chromiumPath };

/**
 * One line when the browser suite cannot run here, else undefined. CI (MINI_APP_BROWSER_REQUIRED=1,
 * set by .ci/run after it installs Chromium) never skips: a missing browser fails there.
 */
export function browserSkipReason(): string | undefined {
  if (chromiumPath() !== undefined) return undefined;
  if (process.env.MINI_APP_BROWSER_REQUIRED === '1') throw new Error('Chromium is required here (MINI_APP_BROWSER_REQUIRED=1) but was not found: apt-get install chromium');
  return 'Mini App browser tests skipped: no Chromium (apt-get install chromium; .ci/run installs it)';
}

export interface TestBrowser {
  readonly browser: Browser;
  /** A new context (a phone-sized screen) whose page gets the Telegram stub for telegram-web-app.js. */
  page(options?: { readonly contact?: { readonly signed: string; readonly phone: string } }): Promise<{ page: Page; context: BrowserContext }>;
  close(): Promise<void>;
}

export async function startBrowser(): Promise<TestBrowser> {
  const browser = await launchChromium();
  return {
    browser,
    async page(options = {}) {
      const context = await browser.newContext({ viewport: { width: 390, height: 760 }, deviceScaleFactor: 1 });
      await context.route(TELEGRAM_SCRIPT_URL, (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: TELEGRAM_STUB_SCRIPT }));
      if (options.contact) {
        const contact = options.contact;
        await context.addInitScript((answer) => {
          const set = () => {
            const record = (globalThis as unknown as { __telegram?: { contact?: unknown } }).__telegram;
            if (record) record.contact = answer;
            else setTimeout(set, 10);
          };
          set();
        }, contact);
      }
      const page = await context.newPage();
      return { page, context };
    },
    async close() {
      await browser.close();
    },
  };
}


// Debian's Chromium (apt-get install chromium) for the Mini App's browser tests, bench and
// screenshots, driven by playwright-core: no browser is downloaded, none could be here.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const TELEGRAM_SCRIPT_URL = 'https://telegram.org/js/telegram-web-app.js';

/** The flags that work on a machine with no network and no GPU, as root. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** `CHROMIUM_PATH`, else Debian's /usr/bin/chromium; undefined when neither exists. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((path): path is string => path !== undefined && path !== '');
  return candidates.find((path) => existsSync(path));
}

/** Chromium with a fresh profile (playwright makes a new empty user data directory for every launch). */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (executablePath === undefined) throw new Error('Chromium not found: apt-get install chromium (or set CHROMIUM_PATH)');
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS });
}

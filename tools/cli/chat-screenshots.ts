/**
 * `npm run chat:screenshots [-- --out docs/chat]`: the README's pictures of the chat, taken from the
 * offline sandbox (demo backend, local Bot API, the real webhook): a scripted conversation per
 * picture, folded into a Telegram-like page and shot in Debian's Chromium. Emoji need a colour
 * font: apt-get install fonts-noto-color-emoji.
 */
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chatPageHtml, chatState, type PersonTurn } from '../sandbox/chat-html.js';
import { chromiumPath, launchChromium } from '../sandbox/chromium.js';
import type { TranscriptEntry } from '../sandbox/render.js';
import { startSandbox } from '../sandbox/sandbox.js';

interface Picture {
  readonly name: string;
  readonly lang: 'en' | 'ru';
  /** Sandbox input lines, as `npm start` takes them; the turns before `shownFrom` only set the scene. */
  readonly script: readonly string[];
  readonly shownFrom: number;
}

const PICTURES: readonly Picture[] = [
  {
    name: 'new-request',
    lang: 'en',
    script: ['/start', '1', '1', '1', '1', 'The kitchen tap drips all night long, the sink is wet in the morning', '1', '/contact'],
    shownFrom: 0,
  },
  {
    name: 'conversation',
    lang: 'ru',
    script: ['/start', '1', '1', '1', '1', 'На кухне всю ночь капает кран, утром мокрая раковина', '1', '/contact', '1', '/advance', '/agent Какой это этаж?', '/swipe Второй этаж, квартира 12', '/agent Спасибо, мастер придёт в 9:00.'],
    shownFrom: 9,
  },
];

/** A tap (a button's number), a sandbox command, or a message the person types. */
function turnOf(line: string): PersonTurn {
  if (/^\d+$/.test(line)) return { kind: 'other' };
  if (line.startsWith('/swipe ')) return { kind: 'typed', text: line.slice('/swipe '.length) };
  if (/^\/(contact|photo|document|advance|resolve|agent|agentedit|wait|remind)\b/.test(line)) return { kind: 'other' };
  return { kind: 'typed', text: line };
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'docs/chat' } } });
  if (chromiumPath() === undefined) {
    console.error('chat:screenshots needs Chromium: apt-get install chromium');
    return 1;
  }
  const out = resolve(values.out);
  await mkdir(out, { recursive: true });
  const browser = await launchChromium();
  try {
    for (const picture of PICTURES) {
      const sandbox = await startSandbox({ person: { languageCode: picture.lang } });
      try {
        const turns: { turn: PersonTurn; entries: TranscriptEntry[] }[] = [];
        for (const [index, line] of picture.script.entries()) {
          const entries = await sandbox.send(line);
          const errors = entries.filter((entry) => entry.kind === 'error');
          if (errors.length > 0) throw new Error(`${picture.name}: "${line}" went wrong: ${JSON.stringify(errors)}`);
          if (index >= picture.shownFrom) turns.push({ turn: turnOf(line), entries });
          else turns.push({ turn: { kind: 'other' }, entries: [] });
        }
        const html = chatPageHtml(chatState(turns.slice(picture.shownFrom)), { title: 'Service desk', lang: picture.lang });
        const page = await browser.newPage({ viewport: { width: 420, height: 740 }, deviceScaleFactor: 2 });
        await page.setContent(html);
        const file = `${out}/${picture.name}.png`;
        await page.screenshot({ path: file, fullPage: true });
        await page.close();
        console.log(`wrote ${file}`);
      } finally {
        await sandbox.close();
      }
    }
  } finally {
    await browser.close();
  }
  return 0;
}

process.exitCode = await main();

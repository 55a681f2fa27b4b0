/**
 * `npm run link -- --type 1 --side 10 --category 100 [--location "Building 3, lift B"] [--out poster.png] [--bot <username>] [--app <short name>]`
 *
 * With `--app` (the Mini App's short name from @BotFather /newapp, MINI_APP_SHORT_NAME) the QR code
 * opens the Mini App at that service instead of the chat; both links are printed.
 *
 * The deep link that opens a new request for one service (and location), and its QR code to print:
 * a PNG with --out, else drawn in the terminal. The bot's username comes from --bot (offline), or
 * from Telegram's getMe with TELEGRAM_BOT_TOKEN (from .env). No backend is needed, so the ids are
 * not checked against the catalogue here: a link naming a service the bot does not know opens its
 * main menu with a short note.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { Telegram } from 'telegraf';
import { ConfigError, loadTelegramConfig, processEnv } from '../../lib/config.js';
import { qrCodePng, qrCodeText } from '../../lib/deep-link/qr-code.js';
import { deepLink, encodeStartPayload, miniAppLink, StartPayloadError } from '../../lib/deep-link/start-payload.js';

const USAGE =
  'usage: npm run link -- --type <id> --side <id> --category <id> [--location "Building 3, lift B"] [--out poster.png] [--bot <username>]\n' +
  '  --bot     the bot\'s username (without @); otherwise getMe with TELEGRAM_BOT_TOKEN\n' +
  '  --out     write the QR code as a PNG (1024 px, ready to print); otherwise draw it here\n' +
  '  --app     the Mini App\'s short name: the QR code opens the app (t.me/<bot>/<app>?startapp=…)';

class UsageError extends Error {
  override readonly name = 'UsageError';
}

function id(name: string, text: string | undefined): number {
  if (text === undefined) throw new UsageError(`--${name} is required\n${USAGE}`);
  if (!/^[1-9]\d{0,9}$/.test(text)) throw new UsageError(`--${name} must be a catalogue id (a whole number from 1), got "${text}"`);
  return Number(text);
}

async function botUsername(given: string | undefined): Promise<string> {
  if (given !== undefined) {
    const name = given.replace(/^@/, '');
    if (!/^[A-Za-z][A-Za-z0-9_]{3,31}$/.test(name)) throw new UsageError(`--bot must be a Telegram bot username, got "${given}"`);
    return name;
  }
  const telegram = loadTelegramConfig(processEnv());
  const me = await new Telegram(telegram.token, { apiRoot: telegram.apiRoot }).getMe();
  return me.username;
}

async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      type: { type: 'string' },
      side: { type: 'string' },
      category: { type: 'string' },
      location: { type: 'string' },
      out: { type: 'string' },
      bot: { type: 'string' },
      app: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    console.log(USAGE);
    return;
  }
  const target = { typeId: id('type', values.type), sideId: id('side', values.side), categoryId: id('category', values.category) };
  let payload: string;
  try {
    payload = encodeStartPayload({ ...target, ...(values.location !== undefined && { location: values.location }) });
  } catch (error) {
    if (!(error instanceof StartPayloadError)) throw error;
    const why = {
      'location-too-long': 'the location is longer than 32 characters',
      'location-unsupported': 'the location may hold Latin and Cyrillic letters, digits, spaces and simple punctuation only',
      'payload-too-long': 'the ids and the location do not fit in 64 characters: shorten the location',
    }[error.problem];
    throw new UsageError(`cannot make the link: ${why}`);
  }
  const username = await botUsername(values.bot);
  if (values.app !== undefined && !/^[A-Za-z0-9_]{3,30}$/.test(values.app)) throw new UsageError(`--app must be the Mini App's short name from @BotFather, got "${values.app}"`);
  const chatLink = deepLink(username, payload);
  const link = values.app === undefined ? chatLink : miniAppLink(username, values.app, payload);
  console.log(link);
  if (link !== chatLink) console.log(`in the chat: ${chatLink}`);
  if (values.out !== undefined) {
    await writeFile(values.out, await qrCodePng(link));
    console.log(`QR code written to ${values.out}`);
  } else {
    console.log(await qrCodeText(link));
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof UsageError) console.error(error.message);
  else console.error(`failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});

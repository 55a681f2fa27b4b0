// The whole product on loopback, with no token and no network: the demo backend, a local Bot API,
// and the REAL webhook handler and notify endpoint on a node:http server (routes as on Vercel),
// around an App built from sandbox configuration. `send()` plays the person in the chat.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { InlineKeyboardMarkup, Update } from 'telegraf/types';
import { createApp, type App } from '../../lib/app.js';
import type { NotificationEvent } from '../../lib/backend/schemas.js';
import { loadConfig, secretsOf, type Config, type Env, type LogLevel } from '../../lib/config.js';
import { createNotifySender, type NotifySender } from '../demo-backend/notify-sender.js';
import { startDemoBackend, type DemoBackend } from '../demo-backend/server.js';
import { createLogger, type Logger } from '../../lib/logger.js';
import { createMemoryKvStore } from '../../lib/store/memory-kv-store.js';
import { createHealthEndpoint } from '../../lib/webhook/health-endpoint.js';
import { createNotifyEndpoint } from '../../lib/webhook/notify-endpoint.js';
import { createCronPollEndpoint } from '../../lib/webhook/cron-poll-endpoint.js';
import { redmineEnv, type LocalRedmine } from '../redmine/local-redmine.js';
import { createRedmineAgent, type RedmineAgent } from './redmine-agent.js';
import { createCronRemindEndpoint } from '../../lib/webhook/cron-remind-endpoint.js';
import { createTelegramWebhook } from '../../lib/webhook/telegram-webhook.js';
import { startBotApiServer, type ApiCall, type BotApiServer } from './bot-api-server.js';
import { closeServer, listen, sendJson } from './http.js';
import { trackedWaitUntil } from './wait-until.js';
import { buildMiniAppPage, type BuiltPage } from '../build/mini-app-page.js';
import { createMiniApp } from '../../lib/mini-app/create-mini-app.js';
import { createMiniAppEndpoint } from '../../lib/mini-app/instance.js';
import { launchUrl, serveMiniApp, signLaunch } from './mini-app.js';
import { fileURLToPath } from 'node:url';
import {
  htmlToText,
  numberInlineButtons,
  replyKeyboardOf,
  type InlineButtonView,
  type ReplyButtonView,
  type TranscriptEntry,
} from './render.js';
import {
  callbackUpdate,
  contactUpdate,
  documentUpdate,
  editedTextUpdate,
  locationUpdate,
  mediaUpdate,
  photoUpdate,
  stickerUpdate,
  SANDBOX_BOT,
  SANDBOX_BOT_TOKEN,
  textUpdate,
  type MediaKind,
  type Sender,
} from './updates.js';

export type { TranscriptEntry } from './render.js';

/** The person chatting with the bot. */
export interface SandboxPerson {
  readonly id: number;
  readonly firstName: string;
  readonly username?: string;
  readonly languageCode: string;
  /** What `/contact` shares. */
  readonly phone: string;
}

/** Where log lines go, one JSON line per call (pino's destination interface). */
export interface LogSink {
  write(line: string): void;
}

export interface SandboxOptions {
  /**
   * The environment, for the store (and TIME_ZONE) only: with UPSTASH_REDIS_REST_URL/_TOKEN (or KV_REST_API_*)
   * the bot keeps its state in that Upstash Redis, otherwise in memory. Nothing else is read.
   */
  readonly env?: Env;
  /** The demo backend moves each request on after this long (new → in_progress → resolved); off when omitted. */
  readonly advanceEveryMs?: number;
  /** Bot log lines at or above this level go to `logSink`; `silent` (the default) writes none. */
  readonly logLevel?: LogLevel;
  readonly logSink?: LogSink;
  readonly person?: Partial<SandboxPerson>;
  /**
   * A local Redmine as the backend (tools/redmine/setup.sh): the bot speaks to it, /agent, /wait and
   * /resolve act in it as its agent, and the poll cron runs every `advanceEveryMs` (and after each).
   */
  readonly redmine?: LocalRedmine;
}

export interface Sandbox {
  readonly person: SandboxPerson;
  readonly config: Config;
  readonly app: App;
  readonly backend: DemoBackend;
  readonly botApi: BotApiServer;
  /** Base URL of the bot's server: POST /api/telegram, POST /api/notify, GET /api/health. */
  readonly botUrl: string;
  readonly store: 'memory' | 'upstash';
  /**
   * The Mini App as a desktop browser opens it: the page with the person's launch data signed by the
   * sandbox bot, against the same demo backend and store as this chat (at a request when given).
   */
  miniAppUrl(request?: string): string;
  /**
   * One input from the person, handled end to end: the update is POSTed to the webhook with the
   * secret header, and the promise resolves once the update is fully processed (every
   * `waitUntil` promise settled), with what happened in the chat since the last call.
   *
   * - text is a message (a `/command` carries the bot_command entity);
   * - a bare number presses that inline button of the newest message with inline buttons;
   * - `/contact` shares the person's own phone, `/photo` sends a sample photo;
   * - `/agent <text>` has an agent comment on the newest request, `/agentedit <text>` changes that comment;
   * - `/advance` moves every open request of the demo backend on now;
   * - `/wait` has the agent set the newest request waiting for the person, `/remind` runs the reminder cron now;
   * - `/resolve` resolves the person's newest request that is being worked on (the demo backend
   *   tells the bot, which asks Solved or Still a problem);
   * - `/start <payload>` is sent as typed: the deep link `t.me/<bot>?start=<payload>` does the same;
   * - a photo the bot sends (a QR code from `/link`) is saved to a file, named in a notice;
   * - the text of a reply keyboard button that requests a contact shares the contact, as a tap would.
   *
   * Problems (a webhook answer that is not 200, an error the bot logged, an unknown button, a
   * Bot API call the sandbox cannot serve) come back as `error` entries.
   */
  send(input: string): Promise<TranscriptEntry[]>;
  /** What happened since the last `send`/`collect` without sending anything (e.g. status notifications). */
  collect(): TranscriptEntry[];
  /** Called when something happens outside `send` (a status notification, an error), to show it now. */
  onActivity(listener: () => void): () => void;
  close(): Promise<void>;
}

const DEFAULT_PERSON: SandboxPerson = {
  // Far above the ids Telegram has handed out so far, so a sandbox session in a shared Redis
  // cannot land on a real person's key.
  id: 8_900_000_000_001,
  firstName: 'Alex',
  username: 'alex_sandbox',
  languageCode: 'en',
  phone: '+15555550123',
};

const PINO_LEVELS: Readonly<Record<LogLevel, number>> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Number.POSITIVE_INFINITY,
};

const SEND_METHODS = new Set(['sendmessage', 'sendphoto', 'senddocument']);
const EDIT_METHODS = new Set(['editmessagetext', 'editmessagecaption', 'editmessagereplymarkup']);

interface PendingEvent {
  /** Position in the Bot API call log when it happened, to keep the transcript in order. */
  readonly atCall: number;
  readonly entry: TranscriptEntry;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const person: SandboxPerson = { ...DEFAULT_PERSON, ...options.person };
  const sender: Sender = {
    userId: person.id,
    firstName: person.firstName,
    languageCode: person.languageCode,
    ...(person.username !== undefined && { username: person.username }),
  };
  const chatId = person.id;
  const env = options.env ?? {};
  const displayLevel = options.logLevel ?? 'silent';
  // Errors are always logged (to the sink only when displayed): they make the step fail.
  const loggerLevel: LogLevel = PINO_LEVELS[displayLevel] < PINO_LEVELS.error ? displayLevel : 'error';
  const webhookSecret = randomBytes(24).toString('base64url');
  const notifySecret = randomBytes(24).toString('base64url');
  const cronSecret = randomBytes(24).toString('base64url');

  const events: PendingEvent[] = [];
  const listeners = new Set<() => void>();
  let sending = false;
  let closed = false;
  const redmineAgent = options.redmine === undefined ? undefined : createRedmineAgent(options.redmine);
  const notifyListeners = () => {
    if (!sending) for (const listener of listeners) listener();
  };
  const record = (entry: TranscriptEntry, options: { readonly quiet?: boolean } = {}) => {
    events.push({ atCall: botApi.calls.length, entry });
    if (!options.quiet) notifyListeners();
  };

  const botApi = await startBotApiServer({ token: SANDBOX_BOT_TOKEN });
  let botUrl = '';
  let notifier: NotifySender | undefined;
  let backend: DemoBackend;
  try {
    backend = await startDemoBackend({
      advanceEveryMs: options.advanceEveryMs,
      onStatusChange: (notification) => deliverNotification(notification),
    });
  } catch (error) {
    await botApi.close();
    throw error;
  }

  /** What the organisation's backend does on a status change or an agent's comment: POST it to the bot's /api/notify. */
  async function deliverNotification(notification: NotificationEvent): Promise<void> {
    if (closed) return;
    // Shown before the message it causes; listeners hear of both once the bot has answered.
    const what =
      notification.kind === 'comment'
        ? 'has a new comment from an agent'
        : notification.kind === 'comment_edited'
          ? 'has a comment the agent changed'
          : `is now ${notification.status}`;
    record({ kind: 'notice', text: `demo backend: ${notification.number} ${what}` }, { quiet: true });
    // Built on first use: the bot's URL is known only once its server listens.
    notifier ??= createNotifySender({ url: `${botUrl}/api/notify`, secret: notifySecret, maxAttempts: 3 });
    const result = await notifier.send(notification);
    if (closed) return;
    if (result.ok) notifyListeners();
    else if (result.status !== undefined) {
      record({ kind: 'error', text: `POST /api/notify answered ${result.status} for ${notification.number}: ${JSON.stringify(result.body)}` });
    } else record({ kind: 'error', text: `POST /api/notify failed for ${notification.number}: ${result.error ?? 'no answer'}` });
  }

  // The bot's server listens first: its address is the Mini App's (MINI_APP_URL); routes come once the app is built.
  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>> = {};
  const late: { miniApp?: (req: IncomingMessage, res: ServerResponse) => Promise<void> | false } = {};
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://sandbox.invalid').pathname.replace(/\/+$/, '');
    const route = routes[path];
    const served = route ? route(req, res) : late.miniApp?.(req, res);
    if (served === undefined || served === false) return sendJson(res, 404, { error: `no route ${path}: use /app, /api/app/*, /api/telegram, /api/notify, /api/health or /api/cron/remind` });
    served.catch((error: unknown) => {
      record({ kind: 'error', text: `${path} failed: ${describe(error)}` });
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  let page: BuiltPage;
  try {
    [botUrl, page] = await Promise.all([listen(server), buildMiniAppPage({ root: fileURLToPath(new URL('../..', import.meta.url)) })]);
  } catch (error) {
    await Promise.allSettled([backend.close(), botApi.close(), closeServer(server)]);
    throw error;
  }

  let config: Config;
  let logger: Logger;
  let app: App;
  try {
    config = loadConfig({
      MINI_APP_URL: `${botUrl}/app`,
      // A sandbox session may run all day: its signed launch link stays good for a week.
      MINI_APP_MAX_AGE_S: '604800',
      TELEGRAM_BOT_TOKEN: SANDBOX_BOT_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: webhookSecret,
      TELEGRAM_API_ROOT: botApi.apiRoot,
      BACKEND_URL: backend.url,
      ...(options.redmine !== undefined && redmineEnv(options.redmine)),
      NOTIFY_SECRET: notifySecret,
      CRON_SECRET: cronSecret,
      // The person may try the debug commands (/stats, /cache_stats, /cache_clear).
      ADMIN_USER_IDS: String(person.id),
      LOG_LEVEL: loggerLevel,
      UPSTASH_REDIS_REST_URL: env.UPSTASH_REDIS_REST_URL,
      UPSTASH_REDIS_REST_TOKEN: env.UPSTASH_REDIS_REST_TOKEN,
      KV_REST_API_URL: env.KV_REST_API_URL,
      KV_REST_API_TOKEN: env.KV_REST_API_TOKEN,
      TIME_ZONE: env.TIME_ZONE,
    });
    logger = createLogger({
      level: loggerLevel,
      destination: { write: (line: string) => onLogLine(line) },
      secrets: secretsOf(config),
    });
    // One person types fast in a script; the flood limit is for crowds, not for the sandbox.
    // A reminder is due as soon as a request waits (REMIND_AFTER_H would be a day): `/remind` runs the cron.
    app = await createApp({
      config,
      logger,
      floodLimit: { limit: 10_000 },
      notify: { remindAfterSeconds: 0 },
      ...(config.redis === undefined && { store: createMemoryKvStore() }),
    });
    await app.identityResolved();
  } catch (error) {
    await Promise.allSettled([backend.close(), botApi.close(), closeServer(server)]);
    throw error;
  }

  function onLogLine(line: string): void {
    let parsed: { level?: unknown; msg?: unknown; err?: { type?: unknown; message?: unknown } } = {};
    try {
      parsed = JSON.parse(line) as typeof parsed;
    } catch {
      // not JSON: shown as is, never an error
    }
    const level = typeof parsed.level === 'string' && parsed.level in PINO_LEVELS ? (parsed.level as LogLevel) : 'info';
    if (PINO_LEVELS[level] >= PINO_LEVELS.error) {
      const err = parsed.err;
      const cause = err && typeof err.message === 'string' ? ` (${typeof err.type === 'string' ? `${err.type}: ` : ''}${err.message})` : '';
      record({ kind: 'error', text: `the bot logged an error: ${String(parsed.msg ?? '')}${cause}` });
    }
    if (PINO_LEVELS[level] >= PINO_LEVELS[displayLevel]) options.logSink?.write(line.endsWith('\n') ? line : `${line}\n`);
  }

  // The webhook's work after the response, as Vercel's waitUntil keeps it alive.
  const { waitUntil, settled } = trackedWaitUntil();
  const endpointDeps = { getApp: async () => app, getLogger: () => logger };
  routes['/api/telegram'] = createTelegramWebhook({ ...endpointDeps, getConfig: () => config, waitUntil });
  routes['/api/notify'] = createNotifyEndpoint(endpointDeps);
  routes['/api/health'] = createHealthEndpoint(endpointDeps);
  routes['/api/cron/remind'] = createCronRemindEndpoint(endpointDeps);
  routes['/api/cron/poll'] = createCronPollEndpoint(endpointDeps);
  // The Mini App on the same services as the chat: a request made in the app is in the chat's My requests.
  const miniApp = createMiniApp({ config, logger, services: app.services });
  late.miniApp = serveMiniApp(page, createMiniAppEndpoint({ getMiniApp: () => miniApp, getLogger: () => logger }));
  const initData = signLaunch({ token: SANDBOX_BOT_TOKEN, user: { id: person.id, firstName: person.firstName, ...(person.username !== undefined && { username: person.username }), languageCode: person.languageCode } });
  const miniAppLaunch = (request?: string) => launchUrl(botUrl, initData, { platform: 'unknown', ...(request !== undefined && { request }) });

  // --- what the person sees -------------------------------------------------------------------

  let callCursor = 0;
  /** The reply keyboard under the input field: the last one sent, until one removes it. */
  let replyKeyboard: ReplyButtonView[][] | undefined;

  function collect(): TranscriptEntry[] {
    const calls = botApi.calls;
    const out: (TranscriptEntry | { readonly slot: number; readonly edited: boolean; keyboard?: ReplyButtonView[][] })[] = [];
    const slots = new Map<number, number>();
    let end = callCursor;
    const flushEvents = (upTo: number) => {
      while (events.length > 0 && (events[0]?.atCall ?? Infinity) <= upTo) out.push((events.shift() as PendingEvent).entry);
    };
    for (; end < calls.length; end++) {
      const call = calls[end] as ApiCall;
      // Still in flight: it and everything after it wait for the next collect.
      if (call.status === undefined) break;
      flushEvents(end);
      const method = call.method.toLowerCase();
      if (call.payload.chat_id !== undefined && Number(call.payload.chat_id) !== chatId) continue;
      if (call.status === 404 || call.status === 401 || /can't parse request body/.test(call.description ?? '')) {
        out.push({ kind: 'error', text: `the sandbox Bot API could not serve ${call.method}: ${call.status} ${call.description ?? ''}`.trimEnd() });
        continue;
      }
      if (call.status !== 200) continue; // refused calls the bot handles (e.g. "message is not modified")
      const messageId = messageIdOf(call.result);
      if (SEND_METHODS.has(method) && messageId !== undefined) {
        const markup = call.payload.reply_markup;
        const keyboard = replyKeyboardOf(markup);
        if (keyboard) replyKeyboard = keyboard;
        if (isRecord(markup) && markup.remove_keyboard === true) replyKeyboard = undefined;
        slots.set(messageId, out.length);
        out.push({ slot: messageId, edited: false, ...(keyboard && { keyboard }) });
      } else if (EDIT_METHODS.has(method) && messageId !== undefined) {
        if (!slots.has(messageId)) {
          slots.set(messageId, out.length);
          out.push({ slot: messageId, edited: true });
        }
      } else if (method === 'deletemessage') {
        out.push({ kind: 'deleted', messageId: Number(call.payload.message_id) });
      } else if (method === 'answercallbackquery' && typeof call.payload.text === 'string' && call.payload.text !== '') {
        out.push({ kind: 'toast', text: call.payload.text, alert: call.payload.show_alert === true || call.payload.show_alert === 'true' });
      }
    }
    callCursor = end;
    flushEvents(end);

    // Each message as it stands now: several edits in one step show as the final screen.
    const current = new Map(botApi.messagesOf(chatId).map((message) => [Number(message.message_id), message]));
    const entries: TranscriptEntry[] = [];
    for (const item of out) {
      if (!('slot' in item)) {
        entries.push(item);
        continue;
      }
      const message = current.get(item.slot);
      if (message === undefined) continue; // deleted since
      const html = typeof message.text === 'string' ? message.text : typeof message.caption === 'string' ? message.caption : '';
      const saved = Array.isArray(message.photo) && !item.edited ? savePhoto(message.photo) : undefined;
      entries.push({
        kind: 'message',
        messageId: item.slot,
        edited: item.edited,
        html,
        text: htmlToText(html),
        photo: Array.isArray(message.photo),
        ...(isDocument(message.document) && { document: message.document.file_name ?? 'file' }),
        buttons: numberInlineButtons(message.reply_markup),
        ...(item.keyboard && { replyKeyboard: item.keyboard }),
      });
      if (saved !== undefined) entries.push({ kind: 'notice', text: `the photo is saved as ${saved}` });
    }
    return entries;
  }

  /** A photo the bot sent (e.g. a QR poster from /link), written where the person can open it. */
  function savePhoto(sizes: unknown[]): string | undefined {
    const largest = sizes.at(-1) as { file_id?: unknown } | undefined;
    const data = typeof largest?.file_id === 'string' ? botApi.fileData(largest.file_id) : undefined;
    if (data === undefined) return undefined;
    const path = join(tmpdir(), `service-desk-sandbox-${process.pid}-${String(largest?.file_id)}.png`);
    writeFileSync(path, data);
    return path;
  }

  /** The update a bare number stands for: that inline button of the newest message with buttons. */
  function press(number: number): { update?: Update; entries: TranscriptEntry[] } {
    const withButtons = botApi
      .messagesOf(chatId)
      .filter((message) => numberInlineButtons(message.reply_markup).length > 0)
      .at(-1);
    if (withButtons === undefined) return { entries: [{ kind: 'error', text: `there is no button [${number}]: no message has inline buttons` }] };
    const buttons: InlineButtonView[] = numberInlineButtons(withButtons.reply_markup).flat();
    const button = buttons[number - 1];
    if (button === undefined) {
      const range = buttons.length === 1 ? '[1]' : `[1] to [${buttons.length}]`;
      return { entries: [{ kind: 'error', text: `there is no button [${number}]: the newest message with buttons has ${range}` }] };
    }
    if (button.webApp !== undefined) {
      const request = new URL(button.webApp).searchParams.get('request') ?? undefined;
      return { entries: [{ kind: 'you', text: `button [${number}] opens the Mini App; in a browser: ${miniAppLaunch(request)}` }] };
    }
    if (button.url !== undefined) return { entries: [{ kind: 'you', text: `button [${number}] opens a link: ${button.url}` }] };
    if (button.callbackData === undefined) return { entries: [{ kind: 'error', text: `button [${number}] "${button.label}" does nothing in the sandbox` }] };
    const html = typeof withButtons.text === 'string' ? withButtons.text : typeof withButtons.caption === 'string' ? withButtons.caption : '';
    const update = callbackUpdate({
      ...sender,
      data: button.callbackData,
      messageId: Number(withButtons.message_id),
      messageText: htmlToText(html),
      replyMarkup: withButtons.reply_markup as InlineKeyboardMarkup,
    });
    return { update, entries: [{ kind: 'you', text: `you tapped [${number}] ${button.label}` }] };
  }

  function contact(): Update {
    return contactUpdate({ ...sender, phoneNumber: person.phone, contactUserId: person.id });
  }

  /** The person's newest typed message (not a command): what `/edit` changes. */
  let lastTyped: { readonly messageId: number; readonly date: number; readonly text: string } | undefined;

  /** Turns one line of input into the update it stands for (or into entries only). */
  async function interpret(input: string): Promise<{ update?: Update; entries: TranscriptEntry[] }> {
    const trimmed = input.trim();
    if (/^\d+$/.test(trimmed)) return press(Number(trimmed));
    if (trimmed === '/contact') return { update: contact(), entries: [{ kind: 'you', text: `you shared your phone number ${person.phone}` }] };
    if (trimmed === '/photo') return { update: photoUpdate({ ...sender }), entries: [{ kind: 'you', text: 'you sent a photo' }] };
    if (trimmed === '/document') return { update: documentUpdate({ ...sender }), entries: [{ kind: 'you', text: 'you sent a document (report.pdf)' }] };
    if (trimmed === '/sticker') return { update: stickerUpdate({ ...sender }), entries: [{ kind: 'you', text: 'you sent a sticker 👍' }] };
    if (trimmed === '/bigfile') return { update: mediaUpdate({ ...sender, kind: 'video', size: 25 * 1024 * 1024 }), entries: [{ kind: 'you', text: 'you sent a video of 25 MB' }] };
    const media = /^\/(voice|audio|video|videonote|gif)(?:\s+(.+))?$/s.exec(trimmed);
    if (media) return sendMedia(MEDIA_COMMANDS[media[1] ?? 'voice'] ?? 'voice', media[2]);
    const place = /^\/location(?:\s+(.+))?$/s.exec(trimmed);
    if (place) {
      const venue = place[1] === undefined ? undefined : { title: place[1], address: 'Europaplatz 1, Berlin' };
      const update = locationUpdate({ ...sender, ...(venue && { venue }) });
      return { update, entries: [{ kind: 'you', text: venue ? `you shared a place on the map: ${venue.title}, ${venue.address}` : 'you shared a point on the map' }] };
    }
    const edit = /^\/edit\s+(.+)$/s.exec(trimmed);
    if (edit) {
      if (lastTyped === undefined) return { entries: [{ kind: 'error', text: 'there is no message of yours to edit yet: type one first' }] };
      const update = editedTextUpdate({ ...sender, messageId: lastTyped.messageId, sentAt: lastTyped.date, text: edit[1] ?? '' });
      return { update, entries: [{ kind: 'you', text: `you edited your message "${lastTyped.text}"` }] };
    }
    const agentEdit = /^\/agentedit(?:\s+(.+))?$/s.exec(trimmed);
    if (agentEdit) return agentEditsComment(agentEdit[1] ?? 'Could you tell us which floor and which room it is in?');
    if (redmineAgent !== undefined) {
      const redmineAct = /^\/(agent|wait|resolve|advance|poll)(?:\s+(.+))?$/s.exec(trimmed);
      if (redmineAct) return actInRedmine(redmineAct[1] as string, redmineAct[2]);
    }
    const agent = /^\/agent(\s+--file)?(?:\s+(.+))?$/s.exec(trimmed);
    if (agent) return agentComment(agent[2] ?? 'Could you tell us which floor it is on?', agent[1] !== undefined);
    const swipe = /^\/swipe\s+(.+)$/s.exec(trimmed);
    if (swipe) return swipeReply(swipe[1] ?? '');
    if (trimmed === '/advance') {
      const moved = await backend.advanceStatuses();
      return { entries: moved.length === 0 ? [{ kind: 'notice', text: 'demo backend: no open request to move on' }] : [] };
    }
    if (trimmed === '/wait') {
      const newest = newestRequest();
      if (!newest) return { entries: [{ kind: 'notice', text: 'demo backend: you have no request yet to wait on' }] };
      await backend.setStatus(newest.id, 'waiting_for_customer', 'Could you send us a photo of the meter?');
      return { entries: [] };
    }
    if (trimmed === '/remind') return runReminderCron();
    if (trimmed === '/resolve') {
      const resolved = await backend.resolveNewest(person.id);
      return { entries: resolved === undefined ? [{ kind: 'notice', text: 'demo backend: no request in progress to resolve' }] : [] };
    }
    const contactButton = replyKeyboard?.flat().find((b) => b.requestContact && b.label === trimmed);
    if (contactButton) return { update: contact(), entries: [{ kind: 'you', text: `you shared your phone number ${person.phone}` }] };
    const typed = textUpdate({ ...sender, text: input });
    if (!trimmed.startsWith('/')) lastTyped = { messageId: typed.message.message_id, date: typed.message.date, text: trimmed };
    return { update: typed, entries: [] };
  }

  /** `/voice`, `/audio`, `/video`, `/videonote`, `/gif` [caption]: the person sends that kind of file. */
  function sendMedia(kind: MediaKind, caption: string | undefined): { update: Update; entries: TranscriptEntry[] } {
    const update = mediaUpdate({ ...sender, kind, ...(caption !== undefined && { caption }) });
    const said = caption === undefined ? '' : `: ${caption}`;
    return { update, entries: [{ kind: 'you', text: `you sent ${MEDIA_NAMES[kind]}${said}` }] };
  }

  /** With a Redmine: the agent acts on the person's newest issue there, then the poll cron runs (as it would on its schedule). */
  async function actInRedmine(command: string, text: string | undefined): Promise<{ entries: TranscriptEntry[] }> {
    const agent = redmineAgent as RedmineAgent;
    const change =
      command === 'agent'
        ? { notes: text ?? 'Could you tell us which floor it is on?' }
        : command === 'wait'
          ? { notes: 'Could you send us a photo of the meter?', status: 'Feedback' }
          : command === 'resolve'
            ? { notes: 'Fixed: please check.', status: 'Resolved' }
            : undefined;
    const done = change === undefined ? undefined : await agent.note(person.id, change);
    if (change !== undefined && done === undefined) return { entries: [{ kind: 'notice', text: 'redmine: you have no request yet' }] };
    return { entries: [...(done === undefined ? [] : [{ kind: 'notice' as const, text: done }]), ...(await runPollCron()).entries] };
  }

  /** What Vercel Cron or a QStash schedule does with a Redmine: GET /api/cron/poll with CRON_SECRET. */
  async function runPollCron(): Promise<{ entries: TranscriptEntry[] }> {
    const response = await fetch(`${botUrl}/api/cron/poll`, { headers: { authorization: `Bearer ${cronSecret}` } });
    const body = (await response.json()) as { delivered?: number };
    if (!response.ok) return { entries: [{ kind: 'error', text: `GET /api/cron/poll answered ${response.status}: ${JSON.stringify(body)}` }] };
    return { entries: [{ kind: 'notice', text: `cron: /api/cron/poll told ${body.delivered ?? 0} change(s)` }] };
  }

  /** The person's newest request at the demo backend. */
  function newestRequest() {
    return backend
      .requests()
      .filter((request) => request.telegram.user_id === person.id)
      .sort((a, b) => b.sequence - a.sequence)[0];
  }

  /** `/agent [--file] <text>`: an agent comments on the person's newest request (with two sample files). */
  async function agentComment(text: string, withFiles: boolean): Promise<{ entries: TranscriptEntry[] }> {
    const newest = newestRequest();
    if (!newest) return { entries: [{ kind: 'notice', text: 'demo backend: you have no request yet for an agent to comment on' }] };
    const attachments = withFiles
      ? [
          { url: backend.fileUrl('sample.pdf'), file_name: 'inspection-report.pdf', mime_type: 'application/pdf' },
          { url: backend.fileUrl('photo.png'), file_name: 'new-valve.png', mime_type: 'image/png' },
        ]
      : [];
    const author = 'Sam (service desk)';
    const comment = backend.addAgentComment(newest.id, { author_name: author, text, attachments });
    if (!comment) return { entries: [{ kind: 'error', text: `demo backend: ${newest.number} is gone` }] };
    await deliverNotification({
      event_id: `comment:${newest.id}:${comment.id}`,
      kind: 'comment',
      request_id: newest.id,
      number: newest.number,
      telegram_user_id: person.id,
      status: newest.status,
      comment: { id: comment.id, author_name: author, text, attachments },
    });
    return { entries: [] };
  }

  /** `/remind`: what Vercel Cron (or an Upstash QStash schedule) does: GET /api/cron/remind with CRON_SECRET. */
  async function runReminderCron(): Promise<{ entries: TranscriptEntry[] }> {
    const response = await fetch(`${botUrl}/api/cron/remind`, { headers: { authorization: `Bearer ${cronSecret}` } });
    const body = (await response.json()) as { reminded?: number };
    if (!response.ok) return { entries: [{ kind: 'error', text: `GET /api/cron/remind answered ${response.status}: ${JSON.stringify(body)}` }] };
    return { entries: [{ kind: 'notice', text: `cron: /api/cron/remind sent ${body.reminded ?? 0} reminder(s)` }] };
  }

  /** `/agentedit <text>`: the agent changes the text of their newest comment on the person's newest request. */
  async function agentEditsComment(text: string): Promise<{ entries: TranscriptEntry[] }> {
    const newest = newestRequest();
    const last = newest?.comments.filter((comment) => comment.author === 'agent').at(-1);
    if (!newest || !last) return { entries: [{ kind: 'notice', text: 'demo backend: no agent comment to change yet (try /agent <text> first)' }] };
    const edited = backend.editAgentComment(newest.id, last.id, text);
    if (!edited) return { entries: [{ kind: 'error', text: `demo backend: ${newest.number} is gone` }] };
    await deliverNotification({
      event_id: `comment-edited:${newest.id}:${last.id}:${Date.now()}`,
      kind: 'comment_edited',
      request_id: newest.id,
      number: newest.number,
      telegram_user_id: person.id,
      comment: { id: last.id, ...(last.author_name !== undefined && { author_name: last.author_name }), text },
    });
    return { entries: [] };
  }

  function isDocument(value: unknown): value is { file_name?: string } {
    return typeof value === 'object' && value !== null;
  }

  /** `/swipe <text>`: Telegram's swipe-to-reply on the bot's newest message. */
  function swipeReply(text: string): { update?: Update; entries: TranscriptEntry[] } {
    const newest = botApi.messagesOf(person.id).at(-1);
    if (!newest) return { entries: [{ kind: 'error', text: 'there is no message of the bot to reply to' }] };
    const update = textUpdate({ ...sender, text });
    // As Telegram sends it: the replied message as it stands now, its inline keyboard included.
    const keyboard = newest.reply_markup !== undefined && 'inline_keyboard' in (newest.reply_markup as object) ? { reply_markup: newest.reply_markup } : {};
    const replied = { message_id: Number(newest.message_id), from: SANDBOX_BOT, chat: update.message.chat, date: Number(newest.date ?? 0), text: String(newest.text ?? newest.caption ?? ''), ...keyboard };
    return { update: { ...update, message: { ...update.message, reply_to_message: replied } } as Update, entries: [{ kind: 'you', text: `you replied to the bot's last message: ${text}` }] };
  }

  async function deliver(update: Update): Promise<TranscriptEntry[]> {
    const response = await fetch(`${botUrl}/api/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': webhookSecret },
      body: JSON.stringify(update),
    });
    const body = await response.text();
    // Telegram executes a method written into the webhook answer (e.g. answerCallbackQuery).
    if (response.status === 200 && body.trim().startsWith('{')) botApi.applyWebhookReply(SANDBOX_BOT_TOKEN, JSON.parse(body));
    await settled();
    return response.status === 200 ? [] : [{ kind: 'error', text: `the webhook answered ${response.status}: ${body}` }];
  }

  let queue: Promise<unknown> = Promise.resolve();
  function send(input: string): Promise<TranscriptEntry[]> {
    const run = async (): Promise<TranscriptEntry[]> => {
      if (closed) throw new Error('the sandbox is closed');
      if (input.trim() === '') return [];
      sending = true;
      try {
        const before = collect();
        const { update, entries } = await interpret(input);
        const problems = update === undefined ? [] : await deliver(update);
        return [...before, ...entries, ...problems, ...collect()];
      } finally {
        sending = false;
        // Something that arrived while this step was finishing is shown now, not at the next step.
        if (events.length > 0) notifyListeners();
      }
    };
    const result = queue.then(run, run);
    queue = result.catch(() => undefined);
    return result;
  }

  // The poll's first run only sets its watermark: run it now, so the first /agent is told at once.
  if (redmineAgent !== undefined) await app.pollBackend().catch(() => undefined);
  // With a Redmine, agents may act in its web pages too: the poll cron runs on a schedule, as deployed.
  const pollTimer =
    redmineAgent !== undefined && options.advanceEveryMs !== undefined
      ? setInterval(() => {
          void runPollCron()
            .then(({ entries }) => {
              if (!closed && entries.some((entry) => entry.kind === 'error')) for (const entry of entries) record(entry);
            })
            .catch(() => undefined);
        }, options.advanceEveryMs)
      : undefined;

  return {
    person,
    config,
    app,
    backend,
    botApi,
    botUrl,
    store: config.redis === undefined ? 'memory' : 'upstash',
    miniAppUrl: miniAppLaunch,
    send,
    collect,
    onActivity(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(pollTimer);
      listeners.clear();
      await queue;
      // The backend first: no status change may start while the bot goes away.
      await backend.close();
      await settled();
      await closeServer(server);
      await app.close();
      await botApi.close();
    },
  };
}

function messageIdOf(result: unknown): number | undefined {
  return isRecord(result) && typeof result.message_id === 'number' ? result.message_id : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The sandbox's media commands and the kinds of file they send. */
const MEDIA_COMMANDS: Readonly<Record<string, MediaKind>> = { voice: 'voice', audio: 'audio', video: 'video', videonote: 'video_note', gif: 'animation' };
const MEDIA_NAMES: Readonly<Record<MediaKind, string>> = {
  voice: 'a voice message (4 s)',
  audio: 'an audio file (noise.mp3)',
  video: 'a video (leak.mp4, 12 s)',
  video_note: 'a round video note (7 s)',
  animation: 'a GIF (drip.gif.mp4)',
};

import { TelegramError } from 'telegraf';
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'telegraf/types';
import { encodeCallback, type CallbackAction } from '../callback-data.js';
import type { BotContext } from '../context.js';
import { replyableOutcome } from '../update-outcome.js';
import { rememberNotice } from '../reply-target.js';
import type { CommentTarget } from '../../session/session.js';

/** A message the bot shows: text (HTML) and its inline buttons. */
export interface Screen {
  readonly text: string;
  readonly buttons: readonly (readonly (Button | AppButton)[])[];
  /** The one request this screen is about: a swipe-reply on it becomes a comment there (reply-target.ts). */
  readonly about?: CommentTarget;
}

export interface Button {
  readonly label: string;
  readonly action: CallbackAction;
}

/**
 * A button that opens the Mini App (a `web_app` button), at a request when `request` is given. It
 * exists only where the app is deployed (MINI_APP_URL): without it the button is left out.
 */
export interface AppButton {
  readonly label: string;
  readonly app: { readonly request?: string };
}

export function button(label: string, action: CallbackAction): Button {
  return { label, action };
}

export function appButton(label: string, app: AppButton['app'] = {}): AppButton {
  return { label, app };
}

/** The inline keyboard; app buttons open `appUrl`, and are left out (with a row they empty) without one. */
export function keyboard(screen: Screen, appUrl?: string): InlineKeyboardMarkup {
  return {
    inline_keyboard: screen.buttons
      .map((row) =>
        row.flatMap((b): InlineKeyboardButton[] => {
          if ('action' in b) return [{ text: b.label, callback_data: encodeCallback(b.action) }];
          if (appUrl === undefined) return [];
          const url = b.app.request === undefined ? appUrl : `${appUrl}?request=${encodeURIComponent(b.app.request)}`;
          return [{ text: b.label, web_app: { url } }];
        }),
      )
      .filter((row) => row.length > 0),
  };
}

export interface ShowOptions {
  readonly newMessage?: boolean;
  /** The toast when a tap re-renders exactly what its message shows ("Up to date" by default). */
  readonly unchanged?: string;
}

/**
 * Shows a screen: a button tap edits the message it came from (one Bot API call, no new
 * message in the chat); anything else sends a new message. Returns the message id shown.
 * A tap that changes nothing still answers, with a toast that says so.
 */
export async function show(ctx: BotContext, screen: Screen, options: ShowOptions = {}): Promise<number | undefined> {
  ctx.screenShown = true;
  const markup = keyboard(ctx.session.draft === undefined ? screen : withDraftNavigation(screen), ctx.deps.miniAppUrl);
  const message = ctx.callbackQuery?.message;
  if (message && !options.newMessage) {
    try {
      await ctx.editMessageText(screen.text, { parse_mode: 'HTML', reply_markup: markup });
      return message.message_id;
    } catch (error) {
      // Nothing new (Refresh, a double tap): Telegram says "not modified"; the person is told.
      if (isNotModified(error)) {
        if (ctx.callbackAnswer?.text === undefined) await acknowledge(ctx, options.unchanged ?? ctx.t.upToDate);
        return message.message_id;
      }
      // Too old or deleted messages cannot be edited: fall through to a new message.
      if (!(error instanceof TelegramError && error.code === 400)) throw error;
    }
  }
  const sent = await ctx.reply(screen.text, { parse_mode: 'HTML', reply_markup: markup });
  // A new message about one request: its record rides in the write the update makes anyway (a
  // stateless tap makes none, and its buttons name the request for a swipe-reply on their own).
  if (screen.about && ctx.chat) ctx.storeWrites.push(rememberNotice(ctx.chat.id, sent.message_id, screen.about));
  return sent.message_id;
}

/**
 * While a draft exists, the catalogue buttons are stateful: a tap on them tells the session which
 * list is on display, so a message typed there is read against that list, never as a description
 * (see on-screen.ts). Without a draft they stay free of store round trips.
 */
function withDraftNavigation(screen: Screen): Screen {
  const mark = (action: CallbackAction): CallbackAction =>
    action.kind === 'types' || action.kind === 'sides' || action.kind === 'categories' ? { ...action, draft: true } : action;
  return { ...screen, buttons: screen.buttons.map((row) => row.map((b) => ('action' in b ? { ...b, action: mark(b.action) } : b))) };
}

export function isNotModified(error: unknown): boolean {
  return error instanceof TelegramError && error.code === 400 && /message is not modified/i.test(error.description);
}

/**
 * Stops the button's spinner (with a toast when `text` is given). Deferred: the answer is made
 * once the update's work is done, in the webhook reply, because that reply is what tells Telegram
 * the update is finished and lets the chat's next update in. The latest text wins.
 */
export async function acknowledge(ctx: BotContext, text?: string): Promise<void> {
  if (!ctx.callbackQuery || ctx.callbackAnswered) return;
  ctx.callbackAnswer = { text };
}

/**
 * Answers the button now with a toast, as its own Bot API call: progress before long work (a
 * submission that may take seconds). The webhook reply then carries nothing for it.
 */
export async function acknowledgeNow(ctx: BotContext, text: string): Promise<void> {
  if (!ctx.callbackQuery || ctx.callbackAnswered) return;
  ctx.callbackAnswered = true;
  try {
    await ctx.answerCbQuery(text);
  } catch (error) {
    // An old query (over ~15 min) cannot be answered; the screen below still updates.
    ctx.log.debug({ err: error }, 'answerCallbackQuery failed');
  }
}

/**
 * The update's last call: the answer `acknowledge` deferred, in the webhook reply when the caller
 * can send one, else as a Bot API call. Every tap is answered, also one no handler acknowledged (a
 * flood-limited tap, a group's): a spinner never waits. A dropped duplicate is marked answered by
 * update-state: its first delivery answers.
 */
export async function answerCallbackLast(ctx: BotContext): Promise<void> {
  const query = ctx.callbackQuery;
  if (!query || ctx.callbackAnswered) return;
  ctx.callbackAnswered = true;
  const text = ctx.callbackAnswer?.text;
  const outcome = replyableOutcome();
  if (outcome) {
    outcome.reply = { method: 'answerCallbackQuery', callback_query_id: query.id, ...(text !== undefined && { text }) };
    return;
  }
  try {
    await ctx.answerCbQuery(text);
  } catch (error) {
    ctx.log.debug({ err: error }, 'answerCallbackQuery failed');
  }
}

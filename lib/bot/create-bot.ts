import { Telegraf } from 'telegraf';
import type { Message, UserFromGetMe } from 'telegraf/types';
import type { Logger } from '../logger.js';
import { currentCounters } from '../metrics/update-scope.js';
import type { BotContext, BotDeps } from './context.js';
import { askCacheClear, cacheClear, cacheStats, isAdmin, keepCache, stats } from './handlers/admin.js';
import { cancel } from './handlers/cancel.js';
import { continueDraft, discardDraft, showDraftInProgress } from './handlers/draft-in-progress.js';
import { searchServices } from './handlers/search.js';
import { commandPayload, draftOnScreen, isCommand, listOnScreen, screenMovedLookupKey, trackOnScreen } from './on-screen.js';
import { receiveComment, retryComment, startComment } from './handlers/comment.js';
import { sendThreadFile } from './handlers/thread-file.js';
import { askCancelRequest, receiveCancelReason, skipCancelReason, startCancelRequest } from './handlers/cancel-request.js';
import { startFromLink, startPayloadOf } from './handlers/deep-link.js';
import { backFromLinkLocation, pickLinkCategory, receiveLinkLocation, showLinkCategories, showLinkSides, showLinkTypes, skipLinkLocation } from './handlers/link.js';
import { neverMind } from './handlers/never-mind.js';
import { chooseRating, receiveRatingComment, sendRating } from './handlers/rate-request.js';
import { askReopen, confirmSolved, receiveReopenReason } from './handlers/resolution.js';
import { endPendingOnCommand } from './middleware/end-pending-on-command.js';
import { activePending } from '../session/session.js';
import { currentStep, editDraft, keepStep, receiveMessage, replaceDescription, skipStep, startDraft, stepBack } from './draft/draft-flow.js';
import { findStep, SUMMARY_STEP } from './draft/steps.js';
import { isDraftAlbumItem, takeAlbumItem } from './draft/draft-files.js';
import { messageFile } from './files/message-file.js';
import { geoOf, takeGeo } from './draft/draft-geo.js';
import { isUnfileable, tellCannotTake, tellFileTooBig } from './files/file-refusals.js';
import { confirmDraft } from './handlers/confirm.js';
import { chooseLanguage, setLanguage } from './handlers/language.js';
import { showMyRequests, showRequest } from './handlers/my-requests.js';
import { showCategories, showRequestTypes, showSides } from './handlers/new-request.js';
import { fallback, help, showMenu, start } from './handlers/start.js';
import { observeUpdate } from './middleware/observe-update.js';
import { floodLimit, type FloodLimitOptions } from './middleware/flood-limit.js';
import { privateChatsOnly } from './middleware/private-chats-only.js';
import { telegramCalls } from './middleware/telegram-calls.js';
import { updateState, type UpdateStatePolicy } from './middleware/update-state.js';
import { replyLookupKey, replyTarget } from './reply-target.js';
import { editLookupKey } from './comments/sent-comments.js';
import { receiveEdit } from './handlers/edited-message.js';
import { showExpired } from './views/expired.js';

export interface CreateBotOptions {
  readonly token: string;
  readonly apiRoot: string;
  /** Known bot identity: skips the `getMe` call a cold start would otherwise make. */
  readonly botInfo: UserFromGetMe;
  readonly deps: BotDeps;
  readonly logger: Logger;
  /** Telegraf's limit for one update; keep it under the function's maxDuration. */
  readonly handlerTimeoutMs?: number;
  readonly statePolicy?: Partial<UpdateStatePolicy>;
  /** How long a delivery holds its update before a resend may take it over (see update-state.ts). */
  readonly updateLeaseSeconds?: number;
  readonly floodLimit?: FloodLimitOptions;
}

/** The commands the bot answers, for the menu Telegram shows (`npm run webhook:set` sets them). */
export const BOT_COMMANDS = [
  { command: 'start', description: 'Main menu' },
  { command: 'new', description: 'New service request' },
  { command: 'my', description: 'My requests' },
  { command: 'language', description: 'Change language' },
  { command: 'cancel', description: 'Cancel the current request' },
  { command: 'help', description: 'How it works' },
] as const;

/** The update kinds the bot handles; Telegram sends no others (`allowed_updates`). */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query'] as const;

/** Named handler: records which one took the update, for the log line and metrics. */
function as(name: string, fn: (ctx: BotContext) => Promise<unknown>) {
  return async (ctx: BotContext): Promise<void> => {
    ctx.handler = name;
    await fn(ctx);
  };
}

export function createBot(options: CreateBotOptions): Telegraf<BotContext> {
  const { deps } = options;
  const bot = new Telegraf<BotContext>(options.token, {
    // Off: Telegraf would end the webhook answer at the first eligible call and run the rest of the
    // update after it. The button's answer is written into the reply by us, last (update-outcome.ts).
    telegram: { apiRoot: options.apiRoot, webhookReply: false },
    handlerTimeout: options.handlerTimeoutMs ?? 50_000,
  });
  bot.botInfo = options.botInfo;
  bot.context.deps = deps;

  bot.use(observeUpdate({ logger: options.logger, metrics: deps.metrics, counters: currentCounters }));
  bot.use(telegramCalls());
  // The flood limit first: a flood in a group costs no more than one in a private chat.
  bot.use(floodLimit(options.floodLimit));
  bot.use(privateChatsOnly());
  bot.use(
    updateState({
      store: deps.store,
      logger: options.logger,
      policy: options.statePolicy,
      leaseSeconds: options.updateLeaseSeconds,
      prefetch: (ctx) => replyLookupKey(ctx) ?? editLookupKey(ctx),
      screenMoved: screenMovedLookupKey,
    }),
  );
  bot.use(endPendingOnCommand());
  bot.use(trackOnScreen());

  // Before the commands: an edited "/start" is an edit, not a command.
  bot.on('edited_message', as('edit', receiveEdit));
  // `/start <payload>` is a deep link (t.me/<bot>?start=<payload>, e.g. a QR poster).
  bot.command('start', (ctx) => {
    const payload = startPayloadOf(ctx);
    return payload === '' ? as('start', start)(ctx) : as('deep-link', (c) => startFromLink(c, payload))(ctx);
  });
  bot.command('help', as('help', help));
  // `/new <words>` searches the whole catalogue.
  bot.command('new', (ctx) => {
    const words = commandPayload(ctx);
    return words === '' ? as('new-request', showRequestTypes)(ctx) : as('search', (c) => searchServices(c, words, {}, 'command'))(ctx);
  });
  bot.command('my', as('my-requests', showMyRequests));
  bot.command('cancel', as('cancel', cancel));
  bot.command('language', as('language', chooseLanguage));
  bot.command('stats', as('stats', (ctx) => (isAdmin(ctx) ? stats(ctx) : fallback(ctx))));
  bot.command('cache_stats', as('cache-stats', (ctx) => (isAdmin(ctx) ? cacheStats(ctx) : fallback(ctx))));
  bot.command('cache_clear', as('cache-clear', (ctx) => (isAdmin(ctx) ? askCacheClear(ctx) : fallback(ctx))));
  bot.command('link', as('link', (ctx) => (isAdmin(ctx) ? showLinkTypes(ctx) : fallback(ctx))));

  bot.on('callback_query', (ctx) => onButton(ctx));
  bot.on('message', (ctx) => onMessage(ctx));
  return bot;
}

/** A button tap, by the decoded action; anything undecodable is an expired menu. */
function onButton(ctx: BotContext): Promise<void> {
  const action = ctx.action;
  if (!action) return as('expired', showExpired)(ctx);
  switch (action.kind) {
    case 'menu':
      return as('menu', showMenu)(ctx);
    case 'help':
      return as('help', help)(ctx);
    case 'types':
      return as('new-request', showRequestTypes)(ctx);
    case 'sides':
      return as('new-request', (c) => showSides(c, action.typeId))(ctx);
    case 'categories':
      return as('new-request', (c) => showCategories(c, action.typeId, action.sideId, action.page))(ctx);
    case 'pick':
      return as('describe', (c) => startDraft(c, action.typeId, action.sideId, action.categoryId))(ctx);
    case 'skip':
      return as(handlerOfStep(action.step), (c) => skipStep(c, action.draftId, action.step))(ctx);
    case 'back':
      return as(handlerOfStep(action.step), (c) => stepBack(c, action.draftId, action.step))(ctx);
    case 'keep':
      return as(handlerOfStep(action.step), (c) => keepStep(c, action.draftId, action.step))(ctx);
    case 'replace-description':
      return as('confirm', (c) => replaceDescription(c, action.draftId, action.replace))(ctx);
    case 'confirm':
      return as('confirm', (c) => confirmDraft(c, action.draftId))(ctx);
    case 'continue':
      return as('draft-in-progress', (c) => continueDraft(c, action.draftId))(ctx);
    case 'discard':
      return as('draft-in-progress', (c) => discardDraft(c, action.draftId))(ctx);
    case 'edit':
      return as('edit', (c) => editDraft(c, action.draftId))(ctx);
    case 'cancel':
      return as('cancel', (c) => cancel(c, action.draftId))(ctx);
    case 'my-requests':
      return as('my-requests', showMyRequests)(ctx);
    case 'request':
      return as('request-details', (c) => showRequest(c, action.requestId, { page: action.page ?? 0, list: action.list }))(ctx);
    case 'open-request':
      return as('request-details', (c) => showRequest(c, action.requestId, { newMessage: true }))(ctx);
    case 'comment':
      return as('comment', (c) => startComment(c, action.requestId))(ctx);
    case 'reply':
      // From a notification: the prompt is a new message, the notification stays as it was.
      return as('comment', (c) => startComment(c, action.requestId, { newMessage: true }))(ctx);
    case 'retry-comment':
      return as('comment', (c) => retryComment(c, action.requestId))(ctx);
    case 'file':
      return as('thread-file', (c) => sendThreadFile(c, action.requestId, action.commentIndex, action.fileIndex))(ctx);
    case 'set-lang':
      return as('language', (c) => setLanguage(c, action.lang))(ctx);
    case 'cache-clear':
      return as('cache-clear', (c) => (isAdmin(c) ? cacheClear(c) : showExpired(c)))(ctx);
    case 'requests-page':
      return as('my-requests', (c) => showMyRequests(c, action))(ctx);
    case 'cancel-ask':
      return as('cancel-request', (c) => askCancelRequest(c, action.requestId))(ctx);
    case 'cancel-yes':
      return as('cancel-request', (c) => startCancelRequest(c, action.requestId))(ctx);
    case 'cancel-send':
      return as('cancel-request', (c) => skipCancelReason(c, action.requestId))(ctx);
    case 'solved':
      return as('solved', (c) => confirmSolved(c, action.requestId))(ctx);
    case 'reopen':
      return as('reopen', (c) => askReopen(c, action.requestId))(ctx);
    case 'rate':
      return as('rating', (c) => chooseRating(c, action.requestId, action.score))(ctx);
    case 'rate-send':
      return as('rating', (c) => sendRating(c, action.requestId))(ctx);
    case 'drop-pending':
      return as('never-mind', neverMind)(ctx);
    case 'link-types':
      return as('link', (c) => (isAdmin(c) ? showLinkTypes(c) : showExpired(c)))(ctx);
    case 'link-sides':
      return as('link', (c) => (isAdmin(c) ? showLinkSides(c, action.typeId) : showExpired(c)))(ctx);
    case 'link-categories':
      return as('link', (c) => (isAdmin(c) ? showLinkCategories(c, action.typeId, action.sideId, action.page) : showExpired(c)))(ctx);
    case 'link-pick':
      return as('link', (c) => (isAdmin(c) ? pickLinkCategory(c, action) : showExpired(c)))(ctx);
    case 'link-skip':
      return as('link', (c) => (isAdmin(c) ? skipLinkLocation(c) : showExpired(c)))(ctx);
    case 'link-back':
      return as('link', (c) => (isAdmin(c) ? backFromLinkLocation(c, action) : showExpired(c)))(ctx);
    case 'cache-keep':
      return as('cache-clear', (c) => (isAdmin(c) ? keepCache(c) : showExpired(c)))(ctx);
  }
}

/** A message that answers a question the bot asked (a reason, a comment, a location). */
function onAnswer(ctx: BotContext, pending: NonNullable<ReturnType<typeof activePending>>): Promise<void> {
  switch (pending.kind) {
    case 'cancel-reason':
      return as('cancel-request', (c) => receiveCancelReason(c, pending))(ctx);
    case 'reopen-reason':
      return as('reopen', (c) => receiveReopenReason(c, pending))(ctx);
    case 'rating-comment':
      return as('rating', (c) => receiveRatingComment(c, pending))(ctx);
    case 'link-location':
      return as('link', (c) => (isAdmin(c) ? receiveLinkLocation(c, pending) : fallback(c)))(ctx);
  }
}

/**
 * A message: a swipe-reply to a notification (its request, whatever else waits); an answer to a
 * question the bot asked; the next item of an album; a comment in reply mode; the draft's current
 * step when it is on display. Text on a catalogue list searches that list. A parked draft is
 * offered back (Continue / Discard), never fed a message meant for something else. Other text
 * searches the whole catalogue (the list on display may be one the session could not see); what
 * finds nothing gets the gentle fallback.
 */
function onMessage(ctx: BotContext): Promise<void> {
  const incoming = ctx.message as Message | undefined;
  // Said at once, wherever it was sent: a file over what a bot may download, and what no step takes.
  const file = messageFile(incoming);
  if (file && 'problem' in file) return as('file-too-big', tellFileTooBig)(ctx);
  const draftAtContact = ctx.session.draft?.step === 'contact' && draftOnScreen(ctx.session);
  if (isUnfileable(incoming, draftAtContact)) return as('cannot-take', tellCannotTake)(ctx);
  const swiped = replyTarget(ctx);
  if (swiped) return as('comment', (c) => receiveComment(c, swiped))(ctx);
  const pending = activePending(ctx.session);
  if (pending) return onAnswer(ctx, pending);
  // A question that waited too long is over: the message is read as if it was never asked.
  delete ctx.session.pending;
  const { album, reply } = ctx.session;
  const message = ctx.message as Message | undefined;
  const groupId = message && 'media_group_id' in message ? message.media_group_id : undefined;
  if (album && groupId === album.groupId) return as('comment', (c) => receiveComment(c, album))(ctx);
  if (reply) return as('comment', (c) => receiveComment(c, reply))(ctx);
  const draft = ctx.session.draft;
  // An album is one answer: its next items join the draft wherever the first one moved it.
  if (draft && isDraftAlbumItem(draft, message)) return as('photo', (c) => takeAlbumItem(c, draft))(ctx);
  // The Mini App's "share my phone" (Telegram's requestContact) posts the person's own contact into
  // the chat as a message; the app already has it, so unless the chat's phone step is on screen,
  // nothing takes it and nothing is said.
  if (isOwnContact(message) && !(draft && draftOnScreen(ctx.session) && draft.step === 'contact')) {
    return as('contact-from-app', async () => undefined)(ctx);
  }
  const geo = geoOf(message);
  if (draft && geo && draftOnScreen(ctx.session)) return as('geo', (c) => takeGeo(c, draft, geo))(ctx);
  if (draft && draftOnScreen(ctx.session)) {
    const name = draft.step === SUMMARY_STEP ? 'confirm' : (currentStep(draft)?.handler ?? 'expired');
    return as(name, receiveMessage)(ctx);
  }
  const text = message && 'text' in message && typeof message.text === 'string' && !isCommand(ctx) ? message.text : undefined;
  const list = listOnScreen(ctx.session);
  if (list && text !== undefined) return as('search', (c) => searchServices(c, text, list, 'list'))(ctx);
  if (draft) return as('draft-in-progress', showDraftInProgress)(ctx);
  if (text !== undefined) return as('search', (c) => searchServices(c, text, {}, 'anywhere'))(ctx);
  return as('fallback', fallback)(ctx);
}

function isOwnContact(message: Message | undefined): boolean {
  return message !== undefined && 'contact' in message && message.contact.user_id !== undefined && message.contact.user_id === message.from?.id;
}

function handlerOfStep(step: string): string {
  return findStep(step)?.handler ?? 'draft';
}

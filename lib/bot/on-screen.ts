import type { Message } from 'telegraf/types';
import { SESSION_TTL_SECONDS, type OnScreen, type Session } from '../session/session.js';
import type { KvCommand } from '../store/kv-store.js';
import type { BotContext } from './context.js';

/**
 * "The screen moved": a notification (a status change, an agent's comment, a reminder) was posted
 * below whatever the chat showed. /api/notify cannot write the session (a read-modify-write there
 * would race the person's own updates), so it sets this mark in the write it makes anyway; the
 * chat's next stateful update reads and clears it (GETDEL) in its first round trip and parks the
 * draft: a message then is not taken for a step that is no longer the last thing on screen.
 */
export function screenMovedKey(chatId: number): string {
  return `screen-moved:${chatId}`;
}

/** The store command a notification adds to its write: the chat's screen moved. */
export function markScreenMoved(chatId: number): KvCommand {
  return { op: 'set', key: screenMovedKey(chatId), value: '1', ttlSeconds: SESSION_TTL_SECONDS };
}

/**
 * The mark to read for this update: every stateful update but a command (a command parks the draft
 * anyway, and `/start` keeps its 4 commands) and an edit (it changes what was sent, it answers no
 * step, so the mark waits for the next message or tap).
 */
export function screenMovedLookupKey(ctx: BotContext): string | undefined {
  if (ctx.from === undefined || isCommand(ctx) || 'edited_message' in ctx.update) return undefined;
  return screenMovedKey(ctx.from.id);
}

/**
 * What the person has on display, as far as the session can know: a message goes to the step on
 * screen, never to a hidden one.
 *
 * Only stateful updates (messages, commands, taps that carry a draft id or read the session) can
 * write it. Stateless taps (catalogue navigation without a draft, My requests, details) cost no
 * store round trip, so they cannot; the rules that keep this safe:
 * - every button of a draft step's screen is stateful, so a stateless tap never edits the draft's
 *   prompt: it edits an older message, and the prompt stays where the person left it;
 * - while a draft exists, every catalogue button the bot shows is stateful (`show` marks them), so a
 *   list reached from a parked draft is always known, and text typed on it is never a description;
 * - any stateful update that shows something else, and any command, parks the draft: the next
 *   message gets "You have a request in progress" with Continue and Discard.
 */
export function recordOnScreen(ctx: BotContext, onScreen: OnScreen): void {
  ctx.session.onScreen = onScreen;
  ctx.screenRecorded = true;
}

/** The draft's step (or its summary) is what the person sees: a message answers it. */
export function draftOnScreen(session: Session): boolean {
  return session.draft !== undefined && session.onScreen?.kind === 'draft';
}

/** The catalogue list on display (the whole catalogue, one type's sides, or one side's services), if known. */
export function listOnScreen(session: Session): Extract<OnScreen, { kind: 'list' }> | undefined {
  return session.onScreen?.kind === 'list' ? session.onScreen : undefined;
}

/** A message that starts with a command (`/start`, `/my`…). */
export function isCommand(ctx: BotContext): boolean {
  return commandName(ctx) !== undefined;
}

/** What follows the command in its message (`/new plumbing` → `plumbing`), trimmed. */
export function commandPayload(ctx: BotContext): string {
  const command = leadingCommand(ctx);
  return command === undefined ? '' : command.text.slice(command.length).trim();
}

/** The command a message starts with, lower case and without `/` and `@bot` (`/New@my_bot x` → `new`). */
export function commandName(ctx: BotContext): string | undefined {
  const command = leadingCommand(ctx);
  return command?.text.slice(1, command.length).split('@')[0]?.toLowerCase();
}

/** The message's text and the length of the command it starts with; anything malformed is no command. */
function leadingCommand(ctx: BotContext): { readonly text: string; readonly length: number } | undefined {
  const message = ctx.message as Message | undefined;
  if (!message || !('text' in message) || typeof message.text !== 'string' || !Array.isArray(message.entities)) return undefined;
  const entity = message.entities.find((e) => e?.type === 'bot_command' && e.offset === 0);
  return entity === undefined || typeof entity.length !== 'number' ? undefined : { text: message.text, length: entity.length };
}

/**
 * After the handler: a command, or a screen shown by an update that did not record what it shows,
 * means the person now looks at something else; the draft, if any, is parked.
 */
export function trackOnScreen() {
  return async (ctx: BotContext, next: () => Promise<void>) => {
    ctx.screenShown = false;
    ctx.screenRecorded = false;
    // A notification came below the screen the session knew of: the draft is parked.
    if (ctx.screenMoved && ctx.session.onScreen !== undefined) delete ctx.session.onScreen;
    await next();
    if (!ctx.screenRecorded && (ctx.screenShown || isCommand(ctx)) && ctx.session.onScreen !== undefined) delete ctx.session.onScreen;
    // Choosing another service for the draft lasts while lists are on display.
    if (ctx.session.onScreen?.kind !== 'list' && ctx.session.draft?.choosingService) delete ctx.session.draft.choosingService;
  };
}

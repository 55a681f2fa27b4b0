import type { Draft } from '../../session/session.js';
import type { BotContext } from '../context.js';
import { recordOnScreen } from '../on-screen.js';
import { showExpired } from '../views/expired.js';
import { escapeHtml } from '../views/html.js';
import { button, keyboard, show, type Button, type Screen } from '../views/screen.js';
import { draftFiles } from './attachments.js';
import { placeName } from './draft-geo.js';
import { isNotModified } from '../views/screen.js';
import { TelegramError } from 'telegraf';
import { SUMMARY_STEP } from './steps.js';

/** Where the steps end: everything the person entered, with Confirm, Edit and Cancel. */
export async function showSummary(ctx: BotContext, options: { readonly newMessage?: boolean } = {}): Promise<void> {
  const draft = ctx.session.draft;
  if (!draft) return showExpired(ctx);
  const names = await draftNames(ctx, draft);
  if (!names) return showExpired(ctx);
  draft.step = SUMMARY_STEP;
  draft.reviewed = true;
  draft.screenMessageId = await show(ctx, summaryScreen(ctx, draft, names), options);
  recordOnScreen(ctx, { kind: 'draft' });
}

export interface DraftNames {
  readonly type: string;
  readonly side: string;
  readonly category: string;
}

/** The catalogue names of the draft's choices; undefined when the catalogue no longer has one of them. */
export async function draftNames(ctx: BotContext, draft: Pick<Draft, 'typeId' | 'sideId' | 'categoryId'>): Promise<DraftNames | undefined> {
  const { catalog } = ctx.deps;
  const [type, side, category] = await Promise.all([
    catalog.findRequestType(draft.typeId, ctx.lang),
    catalog.findSide(draft.typeId, draft.sideId, ctx.lang),
    catalog.findCategory(draft.typeId, draft.sideId, draft.categoryId, ctx.lang),
  ]);
  return type && side && category ? { type: type.name, side: side.name, category: category.name } : undefined;
}

export function summaryText(ctx: BotContext, draft: Draft, names: DraftNames): string {
  const location = draft.location === undefined ? '' : `${ctx.t.locationLine(escapeHtml(draft.location))}\n`;
  const geo = draft.geo === undefined ? '' : `${ctx.t.geoLine(escapeHtml(placeName(draft.geo)))}\n`;
  return location + geo + ctx.t.summary({
    type: escapeHtml(names.type),
    side: escapeHtml(names.side),
    category: escapeHtml(names.category),
    description: escapeHtml(draft.description ?? ''),
    files: draftFiles(draft).length,
    phone: draft.phone !== undefined,
  });
}

function summaryScreen(ctx: BotContext, draft: Draft, names: DraftNames): Screen {
  return {
    text: `${ctx.t.summaryTitle}\n\n${summaryText(ctx, draft, names)}`,
    buttons: draft.attempted
      ? retryButtons(ctx, draft.id)
      : [
          [button(ctx.t.buttonConfirm, { kind: 'confirm', draftId: draft.id })],
          [button(ctx.t.buttonEdit, { kind: 'edit', draftId: draft.id }), button(ctx.t.buttonCancel, { kind: 'cancel', draftId: draft.id })],
        ],
  };
}

/**
 * The summary on display changed without a tap (an album's next file, an edited description): its
 * message is edited in place; a message Telegram no longer lets the bot edit gets a new summary.
 */
export async function refreshSummary(ctx: BotContext): Promise<void> {
  const draft = ctx.session.draft;
  const chatId = ctx.chat?.id;
  if (!draft || chatId === undefined) return;
  const names = await draftNames(ctx, draft);
  if (!names) return;
  if (draft.screenMessageId !== undefined) {
    const screen = summaryScreen(ctx, draft, names);
    try {
      await ctx.telegram.editMessageText(chatId, draft.screenMessageId, undefined, screen.text, { parse_mode: 'HTML', reply_markup: keyboard(screen, ctx.deps.miniAppUrl) });
      return;
    } catch (error) {
      if (isNotModified(error)) return;
      if (!(error instanceof TelegramError && error.code === 400)) throw error;
    }
  }
  await showSummary(ctx, { newMessage: true });
}

/** The draft stays as it is; Try again sends it with the same Idempotency-Key. */
export function retryButtons(ctx: BotContext, draftId: string): readonly (readonly Button[])[] {
  return [[button(ctx.t.buttonRetry, { kind: 'confirm', draftId })], [button(ctx.t.buttonCancel, { kind: 'cancel', draftId })]];
}

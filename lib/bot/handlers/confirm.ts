import { BackendError } from '../../backend/backend-error.js';
import type { NewRequest } from '../../backend/schemas.js';
import type { Draft } from '../../session/session.js';
import type { BotContext } from '../context.js';
import { escapeHtml } from '../views/html.js';
import { mainMenu } from '../views/menus.js';
import { acknowledge, button, show, type Screen } from '../views/screen.js';
import { askDescription } from './describe.js';
import { showExpired } from './new-request.js';

/** The last step: everything the person entered, with Confirm, Edit and Cancel. */
export async function showSummary(ctx: BotContext, options: { readonly newMessage?: boolean } = {}): Promise<void> {
  const draft = ctx.session.draft;
  if (!draft) return showExpired(ctx);
  const names = await draftNames(ctx, draft);
  if (!names) return showExpired(ctx);
  draft.step = 'confirm';
  draft.reviewed = true;
  draft.screenMessageId = await show(ctx, summaryScreen(ctx, draft, names), options);
}

function summaryText(ctx: BotContext, draft: Draft, names: DraftNames): string {
  return ctx.t.summary({
      type: escapeHtml(names.type),
      side: escapeHtml(names.side),
      category: escapeHtml(names.category),
      description: escapeHtml(draft.description ?? ''),
      photo: draft.photoFileId !== undefined,
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
          [button(ctx.t.buttonEdit, { kind: 'edit', draftId: draft.id }), button(ctx.t.buttonCancel, { kind: 'cancel' })],
        ],
  };
}

interface DraftNames {
  readonly type: string;
  readonly side: string;
  readonly category: string;
}

async function draftNames(ctx: BotContext, draft: Draft): Promise<DraftNames | undefined> {
  const { catalog } = ctx.deps;
  const [type, side, category] = await Promise.all([
    catalog.findRequestType(draft.typeId),
    catalog.findSide(draft.typeId, draft.sideId),
    catalog.findCategory(draft.typeId, draft.sideId, draft.categoryId),
  ]);
  return type && side && category ? { type: type.name, side: side.name, category: category.name } : undefined;
}

/**
 * Submits the draft. The Idempotency-Key is derived from the draft, so a double tap, a
 * retried webhook or a retry after a timeout all name the same request: the backend creates
 * it once and answers the others with the same number.
 */
export async function confirmDraft(ctx: BotContext, draftId: string): Promise<void> {
  const { session } = ctx;
  if (session.submitted?.draftId === draftId) {
    await acknowledge(ctx);
    await show(ctx, mainMenu(ctx.t, ctx.lang, ctx.t.alreadySubmitted(escapeHtml(session.submitted.number))));
    return;
  }
  const draft = session.draft;
  if (!draft || draft.id !== draftId || draft.step !== 'confirm' || draft.description === undefined) return showExpired(ctx);
  const from = ctx.from;
  const chatId = ctx.chat?.id;
  if (!from || chatId === undefined) return;
  if (!(await ctx.deps.submissionLimiter.allow(from.id))) {
    ctx.handler = 'rate-limited';
    await acknowledge(ctx, ctx.t.submitRateLimited);
    await show(ctx, { text: ctx.t.submitRateLimited, buttons: retryButtons(ctx, draft.id) });
    return;
  }
  await acknowledge(ctx, ctx.t.submitting);
  draft.attempted = true;

  const body: NewRequest = {
    request_type_id: draft.typeId,
    side_id: draft.sideId,
    category_id: draft.categoryId,
    description: draft.description,
    ...(draft.phone !== undefined ? { contact_phone: draft.phone } : {}),
    ...(draft.photoFileId !== undefined ? { attachments: [{ telegram_file_id: draft.photoFileId, kind: 'photo' as const }] } : {}),
    telegram: {
      user_id: from.id,
      chat_id: chatId,
      ...(from.username !== undefined ? { username: from.username } : {}),
      ...(from.language_code !== undefined ? { language_code: from.language_code } : {}),
    },
  };
  try {
    const { request, created } = await ctx.deps.backend.createRequest(body, idempotencyKey(from.id, draft.id));
    ctx.log.info({ request_id: request.id, number: request.number, created }, 'request submitted');
    session.submitted = { draftId: draft.id, number: request.number };
    delete session.draft;
    // The confirmation keeps what was sent, so the chat shows the request as submitted.
    const names = await draftNames(ctx, draft);
    const sent = names ? `\n\n${summaryText(ctx, draft, names)}` : '';
    await show(ctx, mainMenu(ctx.t, ctx.lang, ctx.t.submitted(escapeHtml(request.number)) + sent));
  } catch (error) {
    if (!(error instanceof BackendError)) throw error;
    // The draft stays in the session untouched: Try again sends the same key.
    ctx.log.error({ err: error }, 'request submission failed');
    await show(ctx, { text: ctx.t.submitFailed, buttons: retryButtons(ctx, draft.id) });
  }
}

/** The draft stays as it is; Try again sends it with the same Idempotency-Key. */
function retryButtons(ctx: BotContext, draftId: string) {
  return [[button(ctx.t.buttonRetry, { kind: 'confirm', draftId })], [button(ctx.t.buttonCancel, { kind: 'cancel' })]] as const;
}

export function idempotencyKey(userId: number, draftId: string): string {
  return `tg-${userId}-${draftId}`;
}

/** Edit goes back to the description, keeping the chosen service (not after a sent attempt). */
export async function editDraft(ctx: BotContext, draftId: string): Promise<void> {
  const draft = ctx.session.draft;
  if (!draft || draft.id !== draftId) return showExpired(ctx);
  // After an attempt with an unknown outcome the draft is frozen: show it with Try again.
  if (draft.attempted) return showSummary(ctx);
  await acknowledge(ctx);
  const category = await ctx.deps.catalog.findCategory(draft.typeId, draft.sideId, draft.categoryId);
  if (!category) return showExpired(ctx);
  await askDescription(ctx, category.name);
}

import { randomBytes } from 'node:crypto';
import type { Draft } from '../../session/session.js';
import type { BotContext } from '../context.js';
import { showCategories } from '../handlers/new-request.js';
import { recordOnScreen } from '../on-screen.js';
import { PAGE_SIZE } from '../views/catalog-screens.js';
import { showExpired } from '../views/expired.js';
import { mainMenu } from '../views/menus.js';
import { acknowledge, show } from '../views/screen.js';
import type { DraftStep } from './draft-step.js';
import { DRAFT_STEPS, findStep, SUMMARY_STEP } from './steps.js';
import { answerReplaceDescription, receiveAtSummary } from './summary-input.js';
import { draftNames, showSummary } from './summary.js';
import { hasAttachments } from './attachments.js';
import { escapeHtml } from '../views/html.js';
import { DESCRIPTION_MIN } from '../../requests/limits.js';

/**
 * The driver of the new-request draft: it moves along `DRAFT_STEPS` and ends at the summary.
 * Handlers call it; the steps never call each other.
 *
 * - a step's message `done` → the next step, or the summary once it was reviewed (Edit keeps
 *   what was given after the edited step);
 * - Skip → the step forgets its input and the draft moves on as if it were done;
 * - a button of a step the draft has left says it is out of date and shows the step it is at;
 * - Back → the step before; from the first step, the service list at the service's page (the draft
 *   is parked there), or the summary once it was reviewed;
 * - Keep (a step shown again with its input) → on, as if the input were given again;
 * - Edit (on the summary) → the first step, then straight back to the summary.
 */

/**
 * The person picked a service (or opened a deep link naming one, which may `prefill` the location).
 * After Back from the description (choosing another service for the draft) the service changes and
 * everything given stays: the description is shown with Keep, a deep link's location survives.
 * Otherwise (New request, /new, a search, a deep link) a new draft starts; an unfinished one it
 * replaces is named on the new prompt, so nothing goes without a word. A question the bot asked
 * before is over.
 */
export async function startDraft(
  ctx: BotContext,
  typeId: number,
  sideId: number,
  categoryId: number,
  prefill: { readonly location?: string } = {},
): Promise<void> {
  await acknowledge(ctx);
  if (!(await ctx.deps.catalog.findCategory(typeId, sideId, categoryId, ctx.lang))) return showExpired(ctx);
  const previous = ctx.session.draft;
  const kept = previous?.choosingService && !previous.attempted ? previous : undefined;
  const replaced = previous && !kept && hasContent(previous) ? await draftNames(ctx, previous) : undefined;
  const location = prefill.location ?? kept?.location;
  const draft: Draft = {
    ...kept,
    id: kept?.id ?? randomBytes(9).toString('base64url'),
    step: firstStep().name,
    typeId,
    sideId,
    categoryId,
    ...(location !== undefined && { location }),
  };
  delete draft.choosingService;
  ctx.session.draft = draft;
  delete ctx.session.pending;
  await enter(ctx, draft, firstStep(), replaced && ctx.t.draftReplaced(`${escapeHtml(replaced.type)} · ${escapeHtml(replaced.category)}`));
}

/**
 * A new request offered with what the person already gave (a reopen's reason and photo, when the
 * backend allows no more reopenings): the same service, `given` as its content. A description long
 * enough goes straight to the summary with Confirm; a shorter one (or none) is asked for, the files
 * kept. `notice` (HTML) heads the screen. An unfinished draft it replaces is named, as in startDraft.
 */
export async function offerDraft(
  ctx: BotContext,
  choice: { readonly typeId: number; readonly sideId: number; readonly categoryId: number },
  given: Pick<Draft, 'description' | 'files' | 'location' | 'geo'>,
  notice: string,
): Promise<boolean> {
  if (!(await ctx.deps.catalog.findCategory(choice.typeId, choice.sideId, choice.categoryId, ctx.lang))) return false;
  const previous = ctx.session.draft;
  const replaced = previous && hasContent(previous) ? await draftNames(ctx, previous) : undefined;
  const heading = replaced ? `${notice}\n${ctx.t.draftReplaced(`${escapeHtml(replaced.type)} · ${escapeHtml(replaced.category)}`)}` : notice;
  const description = given.description !== undefined && [...given.description].length >= DESCRIPTION_MIN ? given.description : undefined;
  const draft: Draft = {
    id: randomBytes(9).toString('base64url'),
    step: firstStep().name,
    ...choice,
    ...(description !== undefined && { description }),
    ...(given.files !== undefined && given.files.length > 0 && { files: [...given.files] }),
    ...(given.location !== undefined && { location: given.location }),
    ...(given.geo !== undefined && { geo: given.geo }),
  };
  ctx.session.draft = draft;
  delete ctx.session.pending;
  if (description === undefined) await enter(ctx, draft, firstStep(), heading);
  else await showSummary(ctx, { notice: heading });
  return true;
}

/** What a person would miss if the draft went: something they typed or sent. */
function hasContent(draft: Draft): boolean {
  return draft.description !== undefined || draft.phone !== undefined || hasAttachments(draft);
}

/** The step the draft is at, if it is one of the list (not the summary). */
export function currentStep(draft: Draft | undefined): DraftStep | undefined {
  return findStep(draft?.step);
}

/** A message while a step is current. */
export async function receiveMessage(ctx: BotContext): Promise<void> {
  const draft = ctx.session.draft;
  if (!draft) return;
  if (draft.step === SUMMARY_STEP) return receiveAtSummary(ctx, draft);
  const step = currentStep(draft);
  if (!step) return showExpired(ctx);
  const outcome = await step.receive(ctx, draft);
  if (outcome === 'done') return moveOn(ctx, draft, step);
  if (outcome === 'cancel') return dropDraft(ctx);
  if (outcome === 'back') {
    const previous = DRAFT_STEPS[DRAFT_STEPS.indexOf(step) - 1];
    if (!previous) return;
    // The reply keyboard goes with a message of its own: a message carries one keyboard.
    if (step.replyKeyboard) await ctx.reply(ctx.t.wentBack, { reply_markup: { remove_keyboard: true } });
    await enter(ctx, draft, previous);
  }
}

/** Skip on a step's prompt. */
export async function skipStep(ctx: BotContext, draftId: string, stepName: string): Promise<void> {
  const draft = matchingDraft(ctx, draftId);
  const step = findStep(stepName);
  if (!draft || !step?.skip) return showExpired(ctx);
  if (draft.attempted) return showSummary(ctx);
  if (draft.step !== step.name) return showOutOfDate(ctx, draft);
  await acknowledge(ctx);
  step.skip(draft);
  await moveOn(ctx, draft, step);
}

/**
 * Back on a step's prompt: the step before it, or from the first step the service list the service
 * was chosen from. The draft stays, parked: the list is on display, so typed text searches it.
 */
export async function stepBack(ctx: BotContext, draftId: string, stepName: string): Promise<void> {
  const draft = matchingDraft(ctx, draftId);
  const index = DRAFT_STEPS.findIndex((step) => step.name === stepName);
  const step = DRAFT_STEPS[index];
  const previous = DRAFT_STEPS[index - 1];
  if (!draft || !step || (step.back === 'previous' && !previous)) return showExpired(ctx);
  if (draft.attempted) return showSummary(ctx);
  if (draft.step !== stepName) return showOutOfDate(ctx, draft);
  await acknowledge(ctx);
  if (step.back === 'catalogue' || !previous) {
    // Edit, then Back: nothing changed, the summary again.
    if (draft.reviewed && draft.description !== undefined) return showSummary(ctx);
    draft.choosingService = true;
    return showCategories(ctx, draft.typeId, draft.sideId, await pageOfService(ctx, draft));
  }
  await enter(ctx, draft, previous);
}

/** Yes or No on "Replace the description with this?" at the summary. */
export async function replaceDescription(ctx: BotContext, draftId: string, replace: boolean): Promise<void> {
  const draft = matchingDraft(ctx, draftId);
  if (!draft) return showExpired(ctx);
  if (draft.attempted) return showSummary(ctx);
  if (draft.step !== SUMMARY_STEP || draft.proposedDescription === undefined) return showOutOfDate(ctx, draft);
  await answerReplaceDescription(ctx, draft, replace);
}

/** Keep on a step shown again with its input: the draft moves on as if it were given again. */
export async function keepStep(ctx: BotContext, draftId: string, stepName: string): Promise<void> {
  const draft = matchingDraft(ctx, draftId);
  const step = findStep(stepName);
  if (!draft || !step?.hasInput) return showExpired(ctx);
  if (draft.attempted) return showSummary(ctx);
  if (draft.step !== step.name || !step.hasInput(draft)) return showOutOfDate(ctx, draft);
  await acknowledge(ctx);
  await moveOn(ctx, draft, step);
}

/** The page of the service list that shows the draft's service. */
async function pageOfService(ctx: BotContext, draft: Draft): Promise<number> {
  const categories = await ctx.deps.catalog.categories(draft.typeId, draft.sideId, ctx.lang);
  const index = categories.findIndex((category) => category.id === draft.categoryId);
  return index === -1 ? 0 : Math.floor(index / PAGE_SIZE);
}

/**
 * A button of a step the draft has left (an earlier prompt still in the chat, a double tap): the
 * person is told, and sees the step the draft is at.
 */
export async function showOutOfDate(ctx: BotContext, draft: Draft): Promise<void> {
  await acknowledge(ctx, ctx.t.buttonOutdated);
  await resumeDraft(ctx, draft);
}

/** The draft is dropped, nothing was sent: "Cancelled. Nothing was sent." and the menu (the contact keyboard removed). */
export async function dropDraft(ctx: BotContext): Promise<void> {
  await acknowledge(ctx);
  const keyboardShown = currentStep(ctx.session.draft)?.replyKeyboard === true;
  delete ctx.session.draft;
  if (keyboardShown) await ctx.reply(ctx.t.cancelled, { reply_markup: { remove_keyboard: true } });
  await show(ctx, mainMenu(ctx.t, ctx.lang, keyboardShown ? ctx.t.mainMenu : ctx.t.cancelled));
}

/** Continue on "You have a request in progress": the step where the draft stopped, shown again. */
export async function resumeDraft(ctx: BotContext, draft: Draft): Promise<void> {
  if (draft.step === SUMMARY_STEP || draft.attempted) return showSummary(ctx);
  const step = currentStep(draft);
  if (!step) return showExpired(ctx);
  await enter(ctx, draft, step);
}

/** Edit on the summary: the first step again, keeping everything else. */
export async function editDraft(ctx: BotContext, draftId: string): Promise<void> {
  const draft = matchingDraft(ctx, draftId);
  if (!draft) return showExpired(ctx);
  // After an attempt with an unknown outcome the draft is frozen: show it with Try again.
  if (draft.attempted) return showSummary(ctx);
  await acknowledge(ctx);
  await enter(ctx, draft, firstStep());
}

/** The session's draft when the button belongs to it; a button of an older draft has expired. */
export function matchingDraft(ctx: BotContext, draftId: string): Draft | undefined {
  const draft = ctx.session.draft;
  return draft?.id === draftId ? draft : undefined;
}

async function moveOn(ctx: BotContext, draft: Draft, from: DraftStep): Promise<void> {
  const next = DRAFT_STEPS[DRAFT_STEPS.indexOf(from) + 1];
  if (draft.reviewed || !next) return showSummary(ctx, { newMessage: ctx.callbackQuery === undefined });
  await enter(ctx, draft, next);
}

async function enter(ctx: BotContext, draft: Draft, step: DraftStep, notice?: string): Promise<void> {
  draft.step = step.name;
  // A question asked at the summary is over once the draft goes to a step.
  delete draft.proposedDescription;
  await step.ask(ctx, draft, notice);
  recordOnScreen(ctx, { kind: 'draft' });
}

function firstStep(): DraftStep {
  const first = DRAFT_STEPS[0];
  if (!first) throw new Error('DRAFT_STEPS is empty');
  return first;
}

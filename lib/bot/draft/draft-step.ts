import type { Draft } from '../../session/session.js';
import type { BotContext } from '../context.js';
import { button, type Button } from '../views/screen.js';

/** What a message did to the step it answered. */
export type StepOutcome =
  /** The step has what it needs: the draft moves on. */
  | 'done'
  /** The input did not fit; the person was told why and the step stays. */
  | 'retry'
  /** The person asked for the step before (a reply keyboard's Back). */
  | 'back'
  /** The person asked to drop the draft (a reply keyboard's Cancel). */
  | 'cancel';

/**
 * One step of the new-request draft after the service was chosen. The steps are listed once, in
 * order, in `steps.ts`; the driver (`draft-flow.ts`) moves along that list, so a step knows
 * nothing of the steps around it and adding one is one entry there.
 */
export interface DraftStep {
  /** Stored in the session as `draft.step` and carried by the step's buttons: never rename. */
  readonly name: string;
  /** Handler name for the per-update log line and metrics. */
  readonly handler: string;
  /**
   * Shows the prompt: after a tap it replaces the tapped screen, after a message it is a new one.
   * `notice`: a line the prompt starts with (e.g. that an unfinished request was replaced).
   */
  ask(ctx: BotContext, draft: Draft, notice?: string): Promise<void>;
  /** A message while this step is current. */
  receive(ctx: BotContext, draft: Draft): Promise<StepOutcome>;
  /** Optional steps only: forgets what Skip leaves out. A step without it cannot be skipped. */
  skip?(draft: Draft): void;
  /** Whether the draft holds this step's input: shown again, the step offers Keep. */
  hasInput?(draft: Draft): boolean;
  /** Where Back leads from this step: the previous step, or the catalogue for the first one. */
  readonly back: 'previous' | 'catalogue';
  /** The prompt shows a reply keyboard that must be removed when the draft is left. */
  readonly replyKeyboard?: boolean;
}

/**
 * The Back button of a step's prompt: to the step before, or from the first step to the service
 * list. It carries the draft id (a stateful tap) so that the draft is parked when it leads away.
 */
export function backButton(ctx: BotContext, draft: Draft, step: DraftStep): Button {
  return button(ctx.t.buttonBack, { kind: 'back', draftId: draft.id, step: step.name });
}

/** Keep, on a step shown again with its input: the draft moves on with it. */
export function keepButton(ctx: BotContext, draft: Draft, step: DraftStep): Button {
  return button(ctx.t.buttonKeep, { kind: 'keep', draftId: draft.id, step: step.name });
}

/** Skip, for optional steps. */
export function skipButton(ctx: BotContext, draft: Draft, step: DraftStep): Button {
  return button(ctx.t.buttonSkip, { kind: 'skip', draftId: draft.id, step: step.name });
}

import type { DraftStep } from './draft-step.js';
import { contactStep } from './step-contact.js';
import { descriptionStep } from './step-description.js';
import { photoStep } from './step-photo.js';

/**
 * The new-request draft, in order, after the service was chosen; the summary with Confirm, Edit
 * and Cancel follows the last one. Adding a step (a location, a preferred time) is one entry here
 * plus its field in the session's draft.
 */
export const DRAFT_STEPS: readonly DraftStep[] = [descriptionStep, photoStep, contactStep];

/** The summary is not a step of the list: it is where the list ends. */
export const SUMMARY_STEP = 'confirm';

export function findStep(name: string | undefined): DraftStep | undefined {
  return DRAFT_STEPS.find((step) => step.name === name);
}

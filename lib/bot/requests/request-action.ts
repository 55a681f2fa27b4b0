import { BackendError } from '../../backend/backend-error.js';
import type { RequestDetails } from '../../backend/schemas.js';
import type { LifecycleAction } from '../../requests/idempotency-keys.js';
import type { BotContext } from '../context.js';
import { acknowledgeNow } from '../views/screen.js';

// The keys are shared with the Mini App: one intent, one key, whichever surface sends it.
export { lifecycleKey, resolutionRound, type LifecycleAction } from '../../requests/idempotency-keys.js';

export type ActionOutcome =
  | { readonly kind: 'done'; readonly details: RequestDetails }
  /** 409: the request's state does not allow it (already cancelled, rated, reopened too often…). */
  | { readonly kind: 'refused'; readonly code: string | undefined }
  /** The backend failed or did not answer; the same key may be sent again. */
  | { readonly kind: 'failed' };

/**
 * Sends one lifecycle call after the ownership check. The backend may take seconds, so a tap gets
 * its progress toast first; the outcome decides the screen.
 */
export async function performRequestAction(ctx: BotContext, action: LifecycleAction, call: () => Promise<RequestDetails>): Promise<ActionOutcome> {
  await acknowledgeNow(ctx, ctx.t.sending);
  try {
    const details = await call();
    ctx.log.info({ request_id: details.id, action, status: details.status }, 'request action done');
    return { kind: 'done', details };
  } catch (error) {
    if (!(error instanceof BackendError)) throw error;
    if (error.status === 409) {
      ctx.log.info({ action, code: error.code }, 'request action refused by the backend');
      return { kind: 'refused', code: error.code };
    }
    ctx.log.error({ err: error, action }, 'request action failed');
    return { kind: 'failed' };
  }
}

import { BackendError } from '../../backend/backend-error.js';
import type { RequestDetails } from '../../backend/schemas.js';
import type { BotContext } from '../context.js';
import { acknowledgeNow } from '../views/screen.js';

export type LifecycleAction = 'cancel' | 'confirm' | 'reopen' | 'rating';

export type ActionOutcome =
  | { readonly kind: 'done'; readonly details: RequestDetails }
  /** 409: the request's state does not allow it (already cancelled, rated, reopened too often…). */
  | { readonly kind: 'refused'; readonly code: string | undefined }
  /** The backend failed or did not answer; the same key may be sent again. */
  | { readonly kind: 'failed' };

/**
 * The Idempotency-Key of a lifecycle call. It names the person, the request and the intent, and
 * nothing about the update: a double tap (two updates), a redelivery and a retry after a failure all
 * send the same key, so the backend acts once. A request is cancelled, confirmed and rated at most
 * once; it may be reopened once per resolution, so reopening adds that resolution's `round`.
 */
export function lifecycleKey(userId: number, action: LifecycleAction, requestId: string, round?: string): string {
  return `tg-${userId}-${action}-${requestId}${round === undefined ? '' : `-${round}`}`;
}

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

/** The resolution a reopening refuses: the time of the request's latest `resolved` entry, in base 36. */
export function resolutionRound(details: RequestDetails): string {
  const resolved = details.status_history.filter((entry) => entry.status === 'resolved').at(-1);
  const at = resolved === undefined ? Number.NaN : Date.parse(resolved.at);
  return Number.isNaN(at) ? '0' : at.toString(36);
}

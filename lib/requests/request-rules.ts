import { isOpenStatus, type RequestDetails, type RequestStatus } from '../backend/schemas.js';

/** Statuses in which the person may still cancel: work has not ended. */
export const CANCELLABLE: readonly RequestStatus[] = ['new', 'in_progress', 'waiting_for_customer'];

/** What the person can do with their request now, by its status: the chat's details and the Mini App offer the same. */
export interface RequestActions {
  /** Add comment: while the request is open. */
  readonly comment: boolean;
  readonly cancel: boolean;
  /** ✅ Solved and ↩️ Still a problem: on a resolved request. */
  readonly resolve: boolean;
  /** The 1-5 stars: a closed request not rated yet. */
  readonly rate: boolean;
}

export function requestActions(details: Pick<RequestDetails, 'status' | 'rating'>): RequestActions {
  return {
    comment: isOpenStatus(details.status),
    cancel: CANCELLABLE.includes(details.status),
    resolve: details.status === 'resolved',
    rate: details.status === 'closed' && details.rating === undefined,
  };
}

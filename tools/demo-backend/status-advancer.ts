import type { RequestStatus, StatusNotification } from '../../lib/backend/schemas.js';
import { languageOfCode, translateComment } from './languages.js';
import type { RequestStore, StoredRequest } from './request-store.js';

/** The demo's life of a request: new → in_progress → resolved, with the comment a person would see. */
const NEXT_STATUS: Partial<Record<RequestStatus, { readonly status: RequestStatus; readonly comment: string }>> = {
  new: { status: 'in_progress', comment: 'A specialist has been assigned to your request.' },
  in_progress: { status: 'resolved', comment: 'The work is done. Reply within 7 days if anything is still wrong.' },
};

export interface StatusAdvancerOptions {
  readonly store: RequestStore;
  /** How long a request stays in a status before it moves on. */
  readonly everyMs: number;
  /** Called once per change, e.g. to POST it to the bot's `/api/notify`. Awaited, one at a time. */
  readonly onStatusChange?: (notification: StatusNotification) => void | Promise<void>;
  /** A failed `onStatusChange`; a warning on stderr when omitted. The change itself stays. */
  readonly onError?: (error: unknown, notification: StatusNotification) => void;
  /** The clock in ms; tests pin it. Must agree with the store's clock. */
  readonly now?: () => number;
}

export interface StatusAdvancer {
  /** Starts checking on an unref'd timer: it never keeps the process alive. Idempotent. */
  start(): void;
  stop(): void;
  /** Advances each open request whose status has stood for `everyMs`; resolves with the changes. */
  tick(): Promise<StatusNotification[]>;
  /** Advances every open request one step now, whatever its age (sandbox and tests). */
  advanceAll(): Promise<StatusNotification[]>;
  /** Moves one request to a status now, as an agent would, and calls `onStatusChange`; undefined for unknown ids. */
  moveTo(id: string, status: RequestStatus, comment?: string): Promise<StatusNotification | undefined>;
}

export function createStatusAdvancer(options: StatusAdvancerOptions): StatusAdvancer {
  const { store, everyMs } = options;
  const now = options.now ?? Date.now;
  const onError =
    options.onError ??
    ((error: unknown, notification: StatusNotification) => {
      const reason = error instanceof Error ? error.message : String(error);
      console.warn(`[demo backend] status change of ${notification.number} was not delivered: ${reason}`);
    });
  let timer: NodeJS.Timeout | undefined;
  // One pass at a time: a slow onStatusChange must not let two passes advance a request twice.
  let running: Promise<StatusNotification[]> | undefined;

  async function advance(isDue: (request: StoredRequest) => boolean): Promise<StatusNotification[]> {
    const notifications: StatusNotification[] = [];
    for (const request of store.all()) {
      const next = NEXT_STATUS[request.status];
      if (next === undefined || !isDue(request)) continue;
      const notification = await change(request.id, next.status, next.comment);
      if (notification !== undefined) notifications.push(notification);
    }
    return notifications;
  }

  /** One change and its notification; a failed notification keeps the change. */
  async function change(id: string, status: RequestStatus, comment: string | undefined): Promise<StatusNotification | undefined> {
    const changed = store.setStatus(id, status, comment);
    if (changed === undefined) return undefined;
    const notification: StatusNotification = {
      // The same change always has the same id, so the bot sends a retried one only once.
      event_id: `status:${changed.id}:${changed.status_history.length}`,
      kind: 'status',
      request_id: changed.id,
      number: changed.number,
      status: changed.status,
      telegram_user_id: changed.telegram.user_id,
      // The demo's own words in the person's language; an agent's own stay as written.
      comment: comment === undefined ? undefined : translateComment(comment, languageOfCode(changed.telegram.language_code)),
    };
    try {
      await options.onStatusChange?.(notification);
    } catch (error) {
      onError(error, notification);
    }
    return notification;
  }

  function exclusive(isDue: (request: StoredRequest) => boolean): Promise<StatusNotification[]> {
    if (running !== undefined) return running.then(() => exclusive(isDue));
    running = advance(isDue).finally(() => {
      running = undefined;
    });
    return running;
  }

  const isDue = (request: StoredRequest) => now() - Date.parse(request.updated_at) >= everyMs;

  return {
    start() {
      if (timer !== undefined) return;
      // Check a few times per period so a change lands close to `everyMs` after the last one.
      timer = setInterval(() => {
        if (running === undefined) void exclusive(isDue);
      }, Math.max(5, Math.floor(everyMs / 4)));
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
    tick: () => exclusive(isDue),
    advanceAll: () => exclusive(() => true),
    moveTo: (id, status, comment) => change(id, status, comment),
  };
}

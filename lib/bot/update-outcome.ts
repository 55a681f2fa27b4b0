import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * A Bot API call written into the webhook's HTTP answer: Telegram runs it for us, saving a round
 * trip. Only the button's answer rides there, and only as the update's last call.
 */
export interface WebhookReply {
  readonly method: 'answerCallbackQuery';
  readonly callback_query_id: string;
  readonly text?: string;
}

/** How one update ended, for whoever delivered it (the webhook endpoint, the polling loop). */
export interface UpdateOutcome {
  /** The webhook answer's body; set only when the caller can send one. */
  reply?: WebhookReply;
  /**
   * Another delivery of this update is still being processed (its lease is held): the webhook
   * answers non-2xx so Telegram delivers it again later, when that one has finished or died.
   */
  retryAfterSeconds?: number;
}

const scope = new AsyncLocalStorage<{ readonly outcome: UpdateOutcome; readonly canReply: boolean }>();

/**
 * Runs one update's handling and resolves with its outcome once all of it is done.
 * `canReply`: the caller writes `outcome.reply` into its webhook answer; otherwise (polling)
 * the bot makes that call itself.
 */
export async function withUpdateOutcome(canReply: boolean, fn: () => Promise<void>): Promise<UpdateOutcome> {
  const outcome: UpdateOutcome = {};
  await scope.run({ outcome, canReply }, fn);
  return outcome;
}

/** The outcome of the update running in this async context, if its caller accepts a webhook reply. */
export function replyableOutcome(): UpdateOutcome | undefined {
  const current = scope.getStore();
  return current?.canReply ? current.outcome : undefined;
}

/** The outcome of the update running in this async context, if any. */
export function currentOutcome(): UpdateOutcome | undefined {
  return scope.getStore()?.outcome;
}

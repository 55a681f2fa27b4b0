import { attachFollowUp as attach, type FollowUp, type FollowUpOutcome } from '../../requests/follow-up.js';
import type { BotContext } from '../context.js';

export type { FollowUp, FollowUpOutcome } from '../../requests/follow-up.js';

/**
 * The chat's follow-up: the text of this message attached to the act (lib/requests/follow-up.ts).
 * The Idempotency-Key names the person, the follow-up, the request and the update: Telegram's
 * redelivery of the message attaches it once, while another message (after a failure) is a new text.
 */
export async function attachFollowUp(ctx: BotContext, requestId: string, followUp: FollowUp, text: string): Promise<FollowUpOutcome> {
  const userId = ctx.from?.id;
  if (userId === undefined) return { kind: 'failed' };
  return attach({
    backend: ctx.deps.backend,
    log: ctx.log,
    userId,
    requestId,
    followUp,
    text,
    key: `tg-${userId}-${followUp}-${requestId}-u${ctx.update.update_id}`,
    // The key a comment of this message has.
    commentKey: `tg-${userId}-u${ctx.update.update_id}`,
  });
}

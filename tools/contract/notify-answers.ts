import * as v from 'valibot';

/**
 * What the bot's `/api/notify` answers (lib/webhook/notify-endpoint.ts), as valibot schemas: the
 * OpenAPI document describes the answers with them and `npm run contract:notify` checks them.
 */

/** 200: told now, or told before (`duplicate`, the same `event_id` again). */
export const NotifyDeliveredSchema = v.object({
  delivered: v.literal(true),
  messageId: v.pipe(v.number(), v.integer()),
  duplicate: v.optional(v.literal(true)),
});

/** 200: the person blocked the bot or never started it; retrying cannot help. */
export const NotifyBlockedSchema = v.object({
  delivered: v.literal(false),
  reason: v.literal('blocked'),
  duplicate: v.optional(v.literal(true)),
});

export const NotifyAnswerSchema = v.union([NotifyDeliveredSchema, NotifyBlockedSchema]);
export type NotifyAnswer = v.InferOutput<typeof NotifyAnswerSchema>;

/** 429 and 503 (with the same seconds in `Retry-After`): come back later. */
export const NotifyRetryLaterSchema = v.object({
  error: v.string(),
  retry_after: v.pipe(v.number(), v.integer(), v.minValue(1)),
});

/**
 * 422: Telegram refused the message the bot built for this event (a 400 other than an unreachable
 * person): the bot's own error, logged there. Retrying the same event fails until the bot is fixed.
 */
export const NotifyRejectedSchema = v.object({
  delivered: v.literal(false),
  reason: v.literal('rejected'),
  telegram: v.object({ code: v.pipe(v.number(), v.integer()), description: v.string() }),
  error: v.string(),
});

/** 400 (`fields` names what is wrong), 401, 405, 413, 500, and 503 while the bot cannot start. */
export const NotifyRefusedSchema = v.object({
  error: v.string(),
  fields: v.optional(v.array(v.string())),
});

/** Components of the document, by name. */
export const NOTIFY_ANSWER_SCHEMAS = {
  NotifyDelivered: NotifyDeliveredSchema,
  NotifyBlocked: NotifyBlockedSchema,
  NotifyAnswer: NotifyAnswerSchema,
  NotifyRetryLater: NotifyRetryLaterSchema,
  NotifyRefused: NotifyRefusedSchema,
  NotifyRejected: NotifyRejectedSchema,
} as const;

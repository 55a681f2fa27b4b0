import { TelegramError } from 'telegraf';
import { count } from '../../metrics/update-scope.js';
import type { BotContext } from '../context.js';

const MAX_RETRY_AFTER_S = 5;

/**
 * Counts real Bot API round trips (calls folded into the webhook reply cost none) and honours
 * one 429 `retry_after` when it fits in the function's time budget; anything longer is rethrown.
 */
export function telegramCalls() {
  return async (ctx: BotContext, next: () => Promise<void>) => {
    const telegram = ctx.telegram;
    const callApi = telegram.callApi.bind(telegram);
    telegram.callApi = (async (method, payload, options) => {
      const viaWebhook =
        telegram.webhookReply &&
        (telegram as unknown as { response?: { writableEnded?: boolean } }).response?.writableEnded === false &&
        WEBHOOK_METHODS.has(method);
      if (!viaWebhook) count('telegramCalls');
      try {
        return await callApi(method, payload, options);
      } catch (error) {
        const retryAfter = error instanceof TelegramError ? error.parameters?.retry_after : undefined;
        if (retryAfter === undefined || retryAfter > MAX_RETRY_AFTER_S) throw error;
        ctx.log.warn({ method, retry_after: retryAfter }, 'telegram rate limit, retrying once');
        await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
        count('telegramCalls');
        return await callApi(method, payload, options);
      }
    }) as typeof telegram.callApi;
    await next();
  };
}

// Telegraf answers these inside the webhook response when it can (see its ApiClient).
const WEBHOOK_METHODS = new Set(['answerCallbackQuery', 'answerInlineQuery', 'deleteMessage', 'leaveChat', 'sendChatAction']);

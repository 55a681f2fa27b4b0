import { TelegramError } from 'telegraf';
import { count } from '../../metrics/update-scope.js';
import type { BotContext } from '../context.js';

const MAX_RETRY_AFTER_S = 5;

/**
 * Counts Bot API round trips (the button's answer in the webhook reply is not one: it is not made
 * through here) and honours one 429 `retry_after` when it fits in the function's time budget;
 * anything longer is rethrown.
 */
export function telegramCalls() {
  return async (ctx: BotContext, next: () => Promise<void>) => {
    const telegram = ctx.telegram;
    const callApi = telegram.callApi.bind(telegram);
    telegram.callApi = (async (method, payload, options) => {
      count('telegramCalls');
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

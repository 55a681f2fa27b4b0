import { LRUCache } from 'lru-cache';
import { langFromCode, messages } from '../../i18n/index.js';
import type { BotContext } from '../context.js';
import { acknowledge } from '../views/screen.js';

export interface FloodLimitOptions {
  /** Updates one person may send per window. */
  readonly limit?: number;
  readonly windowMs?: number;
  readonly now?: () => number;
}

/**
 * Caps updates per person (30 a minute by default) before they cost a store round trip or a
 * backend call. It is kept in this instance's memory: a flood lands on the instances that serve
 * it, and checking a shared counter would add a round trip to every update of everyone else.
 * It runs before anything else looks at the update, groups included, so a flood of commands in
 * a group is dropped as cheaply as one in a private chat. The person is told once per window, in
 * their private chat (never in a group): a person over the limit from a group hears it at their
 * next private message. Everything else in that window is dropped quietly.
 */
export function floodLimit(options: FloodLimitOptions = {}) {
  const limit = options.limit ?? 30;
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  // The people one instance hears from within a window; lru-cache allocates `max` slots up front,
  // so a larger bound is paid on every cold start (50,000 cost 8 ms here, 5,000 about 1 ms).
  const windows = new LRUCache<number, { start: number; count: number; told: boolean }>({ max: 5_000 });

  return async (ctx: BotContext, next: () => Promise<void>) => {
    const userId = ctx.from?.id;
    if (userId === undefined) return next();
    const at = now();
    let window = windows.get(userId);
    if (!window || at - window.start >= windowMs) {
      window = { start: at, count: 0, told: false };
      windows.set(userId, window);
    }
    window.count += 1;
    if (window.count <= limit) return next();

    ctx.handler = 'rate-limited';
    ctx.log.warn({ user_updates_in_window: window.count }, 'update dropped: flood limit');
    if (window.told || ctx.chat?.type !== 'private') return;
    window.told = true;
    const seconds = Math.max(1, Math.ceil((window.start + windowMs - at) / 1000));
    // Runs before the session is read, so the language comes from Telegram's language_code.
    const text = messages(langFromCode(ctx.from?.language_code)).rateLimited(seconds);
    if (ctx.callbackQuery) await acknowledge(ctx, text);
    else if (ctx.chat) await ctx.reply(text);
  };
}

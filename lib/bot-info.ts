import type { Telegram } from 'telegraf';
import type { UserFromGetMe } from 'telegraf/types';
import type { KvStore } from './store/kv-store.js';

const BOT_INFO_TTL_SECONDS = 86_400;

/**
 * The bot's own identity, which Telegraf needs to match `/command@botname`. Fetched with
 * `getMe` once and kept in the shared store, so a cold start costs one store read instead of a
 * Bot API call; a store failure falls back to `getMe`.
 */
export async function resolveBotInfo(options: { store: KvStore; telegram: Telegram; token: string }): Promise<UserFromGetMe> {
  const botId = options.token.split(':')[0] ?? '0';
  const key = `bot:info:${botId}`;
  try {
    const [cached] = await options.store.exec([{ op: 'get', key }]);
    if (cached !== null) return JSON.parse(cached) as UserFromGetMe;
  } catch {
    // Fall through to getMe: the store is optional for this.
  }
  const info = await options.telegram.getMe();
  await options.store.exec([{ op: 'set', key, value: JSON.stringify(info), ttlSeconds: BOT_INFO_TTL_SECONDS }]).catch(() => undefined);
  return info;
}

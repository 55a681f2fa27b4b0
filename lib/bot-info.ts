import type { Telegram } from 'telegraf';
import type { Update, UserFromGetMe } from 'telegraf/types';
import type { Logger } from './logger.js';
import type { KvStore } from './store/kv-store.js';

const BOT_INFO_TTL_SECONDS = 86_400;

/**
 * The bot's own identity, which Telegraf needs to match `/command@botname`. Fetched with
 * `getMe` once and kept in the shared store, so an instance reads it instead of asking Telegram;
 * a store failure falls back to `getMe`.
 */
export async function resolveBotInfo(options: { store: KvStore; telegram: Telegram; token: string }): Promise<UserFromGetMe> {
  // The store is the bot's own namespace (its id is in it): one key per bot.
  const key = 'bot:info';
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

/**
 * What the token says without asking anyone: the bot's id. Private chats send commands without
 * `@botname`, so this identity serves every update a cold instance answers before the full one
 * arrives; only `/command@botname` waits for it.
 */
export function provisionalBotInfo(token: string): UserFromGetMe {
  return {
    id: botIdOf(token),
    is_bot: true,
    first_name: 'bot',
    username: '',
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
  };
}

/**
 * Resolves the identity only when an update needs it: private chats send commands without
 * `@botname`, so a cold `/start` never pays its store read (and Node's first fetch for getMe)
 * on the way to its answer. The first call starts the lookup; a failure is logged and retried
 * at the next call.
 */
export function lazyBotInfo(options: {
  readonly store: KvStore;
  readonly telegram: Telegram;
  readonly token: string;
  readonly logger: Logger;
  readonly onResolved: (info: UserFromGetMe) => void;
}): () => Promise<void> {
  let resolved = false;
  let pending: Promise<void> | undefined;
  const resolve = (): Promise<void> =>
    resolveBotInfo(options).then(
      (info) => {
        resolved = true;
        options.onResolved(info);
      },
      (error: unknown) => {
        pending = undefined;
        options.logger.warn({ err: error }, 'bot identity not resolved yet (getMe failed); /command@botname will not match until it is');
      },
    );
  return () => (resolved ? Promise.resolve() : (pending ??= resolve()));
}

/**
 * Whether handling this update needs the bot's username: a command addressed as `/cmd@name`
 * (Telegraf compares the name with its own). Everything else is answered with the id the token gives.
 */
export function namesTheBot(update: Update): boolean {
  const message = 'message' in update ? update.message : 'channel_post' in update ? update.channel_post : undefined;
  if (!message) return false;
  const text = 'text' in message ? message.text : 'caption' in message ? message.caption : undefined;
  const entities = 'entities' in message ? message.entities : 'caption_entities' in message ? message.caption_entities : undefined;
  if (typeof text !== 'string' || !entities) return false;
  return entities.some((entity) => entity.type === 'bot_command' && text.slice(entity.offset, entity.offset + entity.length).includes('@'));
}

function botIdOf(token: string): number {
  return Number(token.split(':')[0]);
}

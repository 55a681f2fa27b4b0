import { LRUCache } from 'lru-cache';
import type { Message, MessageEntity, UserFromGetMe } from 'telegraf/types';
import { langFromCode, messages } from '../../i18n/index.js';
import type { BotContext } from '../context.js';

/**
 * Service requests are personal: the bot talks in private chats only, before any store round
 * trip is spent on anything else. In a group (privacy mode still delivers every /command, also
 * those meant for other bots) it answers only what is addressed to it, a `/command@this_bot` or a
 * reply to its own message, with a way to the private chat, in the same forum topic. Everything
 * else, and anything in a channel, gets silence. A group gets that answer at most once a minute
 * (per instance): sixty people asking at once need one pointer, not sixty messages in their chat.
 *
 * A private chat's id is its person's: an update whose chat is not its sender is forged (one with
 * `from` = a victim and `chat` = the attacker would show the victim's requests to the attacker). It
 * is dropped before any handler, store or backend call, and answered 200 so it is not resent.
 */
export interface PrivateChatsOnlyOptions {
  /** At most one answer per group within this long (60 s by default). */
  readonly groupAnswerIntervalMs?: number;
  readonly now?: () => number;
}

export function privateChatsOnly(options: PrivateChatsOnlyOptions = {}) {
  const intervalMs = options.groupAnswerIntervalMs ?? 60_000;
  const now = options.now ?? Date.now;
  // When each group was last answered; the groups one instance hears from within a minute.
  const answeredAt = new LRUCache<number, number>({ max: 5_000 });

  return async (ctx: BotContext, next: () => Promise<void>) => {
    if (ctx.chat?.type === 'private') {
      if (ctx.from?.id === ctx.chat.id) return next();
      ctx.handler = 'refused';
      ctx.log.warn({ has_sender: ctx.from !== undefined }, 'update refused: a private chat whose id is not its sender\'s');
      return;
    }
    // Updates with no chat (inline queries, polls, buttons of inline messages) have no one to answer.
    ctx.handler = 'ignored';
    const message = ctx.message as Message | undefined;
    if (!message || (ctx.chat?.type !== 'group' && ctx.chat?.type !== 'supergroup')) return;
    if (!(await addressedToThisBot(ctx, message))) return;
    // Checked and marked with no await in between: concurrent updates of one group answer once.
    const at = now();
    const last = answeredAt.get(ctx.chat.id);
    if (last !== undefined && at - last < intervalMs) {
      ctx.handler = 'group-quiet';
      return;
    }
    answeredAt.set(ctx.chat.id, at);
    ctx.handler = 'group';
    const username = (await identityOf(ctx)).username;
    await ctx.reply(messages(langFromCode(ctx.from?.language_code)).privateOnly, {
      ...(username && { reply_markup: { inline_keyboard: [[{ text: `@${username}`, url: `https://t.me/${username}?start` }]] } }),
    });
  };
}

async function addressedToThisBot(ctx: BotContext, message: Message): Promise<boolean> {
  if ('reply_to_message' in message && message.reply_to_message?.from?.id === ctx.botInfo.id) return true;
  const mention = commandMention(message);
  if (mention === undefined) return false;
  const { username } = await identityOf(ctx);
  return username !== '' && mention.toLowerCase() === username.toLowerCase();
}

/**
 * The bot's full identity: a cold instance starts with the id its token gives, so only a group
 * message addressed to the bot waits for the name (to compare it, and for the link to the chat).
 */
async function identityOf(ctx: BotContext): Promise<UserFromGetMe> {
  return ctx.botInfo.username || !ctx.deps.identity ? ctx.botInfo : ctx.deps.identity();
}

/** `bot` of a leading `/command@bot`; undefined for text, or a command naming no bot. */
function commandMention(message: Message): string | undefined {
  if (!('text' in message)) return undefined;
  const entity = message.entities?.find((e: MessageEntity) => e.type === 'bot_command' && e.offset === 0);
  if (!entity) return undefined;
  const command = message.text.slice(0, entity.length);
  const at = command.indexOf('@');
  return at === -1 ? undefined : command.slice(at + 1);
}

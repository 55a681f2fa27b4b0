import type { Message } from 'telegraf/types';
import { LANGS, messages } from '../../i18n/index.js';
import type { DraftStep } from './draft-step.js';

// The reply keyboard sends its label as text; accept it in any language, plus a typed "skip".
const SKIP_WORDS = new Set([...LANGS.map((lang) => messages(lang).buttonSkip.toLowerCase()), 'skip', '/skip']);

/** The phone comes only through Telegram's contact button: it is the person's verified number. */
export const contactStep: DraftStep = {
  name: 'contact',
  handler: 'contact',
  back: 'previous',
  replyKeyboard: true,
  async ask(ctx) {
    await ctx.reply(ctx.t.askContact, {
      reply_markup: {
        keyboard: [[{ text: ctx.t.buttonShareContact, request_contact: true }], [{ text: ctx.t.buttonSkip }]],
        resize_keyboard: true,
        one_time_keyboard: true,
      },
    });
  },
  async receive(ctx, draft) {
    const message = ctx.message as Message | undefined;
    if (message && 'contact' in message && message.contact.user_id === ctx.from?.id) {
      draft.phone = message.contact.phone_number;
      await ctx.reply(ctx.t.contactAdded, { reply_markup: { remove_keyboard: true } });
      return 'done';
    }
    if (message && 'text' in message && SKIP_WORDS.has(message.text.trim().toLowerCase())) {
      delete draft.phone;
      await ctx.reply(ctx.t.contactSkipped, { reply_markup: { remove_keyboard: true } });
      return 'done';
    }
    await ctx.reply(ctx.t.contactNotYours);
    return 'retry';
  },
  skip(draft) {
    delete draft.phone;
  },
};

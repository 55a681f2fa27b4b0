import type { Message } from 'telegraf/types';
import { LANGS, messages } from '../../i18n/index.js';
import type { DraftStep } from './draft-step.js';

// The reply keyboard sends its label as text; accept it in any language, plus a typed "skip".
const SKIP_WORDS = new Set([...LANGS.map((lang) => messages(lang).buttonSkip.toLowerCase()), 'skip', '/skip']);
const BACK_WORDS = new Set(LANGS.map((lang) => messages(lang).buttonBack.toLowerCase()));
const CANCEL_WORDS = new Set(LANGS.map((lang) => messages(lang).buttonCancel.toLowerCase()));

/** The phone comes only through Telegram's contact button: it is the person's verified number. */
export const contactStep: DraftStep = {
  name: 'contact',
  handler: 'contact',
  back: 'previous',
  replyKeyboard: true,
  async ask(ctx) {
    await ctx.reply(ctx.t.askContact, {
      reply_markup: {
        // A reply keyboard (only it can ask for the contact), so Back and Cancel live there too.
        keyboard: [
          [{ text: ctx.t.buttonShareContact, request_contact: true }],
          [{ text: ctx.t.buttonSkip }],
          [{ text: ctx.t.buttonBack }, { text: ctx.t.buttonCancel }],
        ],
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
    const typed = message && 'text' in message ? message.text.trim().toLowerCase() : undefined;
    if (typed !== undefined && BACK_WORDS.has(typed)) return 'back';
    if (typed !== undefined && CANCEL_WORDS.has(typed)) return 'cancel';
    if (typed !== undefined && SKIP_WORDS.has(typed)) {
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

import { LANGS, messages, type Lang } from '../../i18n/index.js';
import type { BotContext } from '../context.js';
import { mainMenu } from '../views/menus.js';
import { acknowledge, button, show } from '../views/screen.js';

export async function chooseLanguage(ctx: BotContext): Promise<void> {
  await show(ctx, {
    text: ctx.t.chooseLanguage,
    buttons: [LANGS.map((lang) => button(messages(lang).languageName, { kind: 'set-lang', lang }))],
  });
}

export async function setLanguage(ctx: BotContext, lang: Lang): Promise<void> {
  ctx.session.lang = lang;
  ctx.lang = lang;
  ctx.t = messages(lang);
  await acknowledge(ctx);
  await show(ctx, mainMenu(ctx.t, lang, ctx.t.languageChanged));
}

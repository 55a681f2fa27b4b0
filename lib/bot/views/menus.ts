import type { Lang, Messages } from '../../i18n/index.js';
import { button, type Screen } from './screen.js';

export function mainMenu(t: Messages, lang: Lang, text = t.mainMenu): Screen {
  return {
    text,
    buttons: [
      [button(t.buttonNewRequest, { kind: 'types', lang })],
      [button(t.buttonMyRequests, { kind: 'my-requests', lang }), button(t.buttonHelp, { kind: 'help', lang })],
    ],
  };
}

export function helpScreen(t: Messages, lang: Lang): Screen {
  return { text: t.help, buttons: [[button(t.buttonNewRequest, { kind: 'types', lang }), button(t.buttonMenu, { kind: 'menu', lang })]] };
}

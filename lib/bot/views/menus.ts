import type { Lang, Messages } from '../../i18n/index.js';
import { appButton, button, type Screen } from './screen.js';

export function mainMenu(t: Messages, lang: Lang, text = t.mainMenu): Screen {
  return {
    text,
    buttons: [
      [button(t.buttonNewRequest, { kind: 'types', lang })],
      [button(t.buttonMyRequests, { kind: 'my-requests', lang }), button(t.buttonHelp, { kind: 'help', lang })],
      // Where the Mini App is deployed: searching the catalogue and reading long threads are easier there.
      [appButton(t.buttonOpenApp)],
    ],
  };
}

/** Help: everything a person can do; the Mini App is named only where it is deployed (`app`). */
export function helpScreen(t: Messages, lang: Lang, app = false): Screen {
  return { text: t.help(app), buttons: [[button(t.buttonNewRequest, { kind: 'types', lang }), button(t.buttonMenu, { kind: 'menu', lang })]] };
}

// A person chatting with the bot through the real webhook: types, taps buttons by label,
// shares a contact or a photo, and reads what the bot shows, as Telegram would render it.
import type { BotInstance, Harness, WebhookAnswer } from './bot-harness.js';
import { callbackUpdate, contactUpdate, photoUpdate, textUpdate } from './updates.js';

interface InlineButton {
  readonly text: string;
  readonly callback_data: string;
}

export interface Screen {
  readonly messageId: number;
  readonly text: string;
  readonly buttons: InlineButton[];
}

export class Person {
  constructor(
    private readonly harness: Harness,
    /** Any instance that takes updates: the sources in this process, or a shipped function in a child. */
    public instance: Pick<BotInstance, 'send'>,
    readonly userId: number,
    readonly languageCode = 'en',
    readonly firstName = 'Ada',
  ) {}

  private get sender() {
    return { userId: this.userId, languageCode: this.languageCode, firstName: this.firstName };
  }

  say(text: string): Promise<WebhookAnswer> {
    return this.instance.send(textUpdate({ ...this.sender, text }));
  }

  shareContact(options: { readonly ownNumber?: boolean } = {}): Promise<WebhookAnswer> {
    const contactUserId = options.ownNumber === false ? this.userId + 1 : this.userId;
    return this.instance.send(contactUpdate({ ...this.sender, phoneNumber: '+15555550123', contactUserId }));
  }

  sendPhoto(): Promise<WebhookAnswer> {
    return this.instance.send(photoUpdate({ ...this.sender, fileId: 'photo-file-id-1' }));
  }

  /** The newest message with inline buttons, as it stands now (edits applied). */
  screen(): Screen {
    const messages = this.harness.telegram.messagesOf(this.userId);
    for (const message of [...messages].reverse()) {
      const keyboard = (message.reply_markup as { inline_keyboard?: InlineButton[][] } | undefined)?.inline_keyboard;
      if (keyboard && keyboard.length > 0) {
        return { messageId: Number(message.message_id), text: rendered(message.text), buttons: keyboard.flat() };
      }
    }
    throw new Error(`no message with inline buttons in chat ${this.userId}`);
  }

  /** Texts of the bot's messages in this chat as they stand now, oldest first. */
  texts(): string[] {
    return this.harness.telegram.messagesOf(this.userId).map((message) => rendered(message.text ?? message.caption));
  }

  lastText(): string {
    return this.texts().at(-1) ?? '';
  }

  /** Taps the button whose label contains `label` on the newest screen (or the given one). */
  tap(label: string, on: Screen = this.screen()): Promise<WebhookAnswer> {
    const button = on.buttons.find((b) => b.text.includes(label));
    if (!button) throw new Error(`no button "${label}" on screen: ${on.buttons.map((b) => b.text).join(' | ')}`);
    return this.press(button.callback_data, on);
  }

  /** Sends raw callback data, as a forged or outdated button would. */
  press(data: string, on: Screen = this.screen()): Promise<WebhookAnswer> {
    return this.instance.send(callbackUpdate({ ...this.sender, data, messageId: on.messageId, messageText: on.text }));
  }

  labels(): string[] {
    return this.screen().buttons.map((b) => b.text);
  }
}

/** What the person reads: the bot sends HTML, Telegram shows it without tags or entities. */
function rendered(html: unknown): string {
  return String(html ?? '')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

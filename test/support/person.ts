// A person chatting with the bot through the real webhook: types, taps buttons by label,
// shares a contact or a photo, and reads what the bot shows, as Telegram would render it.
import type { BotInstance, Harness, WebhookAnswer } from './bot-harness.js';
import {
  albumUpdates,
  callbackUpdate,
  contactUpdate,
  documentUpdate,
  editedTextUpdate,
  locationUpdate,
  mediaUpdate,
  photoUpdate,
  TEST_BOT,
  textUpdate,
  type AlbumItem,
  type MediaKind,
} from './updates.js';

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

  /** Like `say`, and gives the message's id, for an edit of it later. */
  async sayAs(text: string): Promise<{ answer: WebhookAnswer; messageId: number }> {
    const update = textUpdate({ ...this.sender, text });
    return { answer: await this.instance.send(update), messageId: update.message.message_id };
  }

  /** The person edits a message they sent (`edited_message`); the update is returned to send again. */
  async edit(messageId: number, text: string, options: { readonly sentAt?: number } = {}): Promise<{ answer: WebhookAnswer; update: unknown }> {
    const update = editedTextUpdate({ ...this.sender, messageId, text, ...options });
    return { answer: await this.instance.send(update), update };
  }

  /** A voice message, an audio file, a video, a round video note or an animation. */
  sendMedia(kind: MediaKind, options: { readonly caption?: string; readonly size?: number; readonly duration?: number } = {}): Promise<WebhookAnswer> {
    return this.instance.send(mediaUpdate({ ...this.sender, kind, ...options }));
  }

  /** A point on the map, or a venue picked from the map's list. */
  shareLocation(options: { readonly latitude?: number; readonly longitude?: number; readonly venue?: { title: string; address: string } } = {}): Promise<WebhookAnswer> {
    return this.instance.send(locationUpdate({ ...this.sender, ...options }));
  }

  shareContact(options: { readonly ownNumber?: boolean } = {}): Promise<WebhookAnswer> {
    const contactUserId = options.ownNumber === false ? this.userId + 1 : this.userId;
    return this.instance.send(contactUpdate({ ...this.sender, phoneNumber: '+15555550123', contactUserId }));
  }

  sendPhoto(options: { readonly caption?: string } = {}): Promise<WebhookAnswer> {
    return this.instance.send(photoUpdate({ ...this.sender, fileId: 'photo-file-id-1', ...options }));
  }

  sendDocument(options: { readonly fileName?: string; readonly mimeType?: string; readonly size?: number; readonly caption?: string } = {}): Promise<WebhookAnswer> {
    return this.instance.send(documentUpdate({ ...this.sender, ...options }));
  }

  /** An album: one update per item, sent one after another as Telegram's chat queue does. */
  async sendAlbum(items: readonly AlbumItem[], caption?: string): Promise<WebhookAnswer[]> {
    const answers: WebhookAnswer[] = [];
    for (const update of albumUpdates({ ...this.sender, items, ...(caption !== undefined && { caption }) })) answers.push(await this.instance.send(update));
    return answers;
  }

  /**
   * Telegram's swipe-to-reply on one of the bot's messages in this chat: the replied message comes
   * as it stands now, its inline keyboard included (`withKeyboard: false` leaves it out).
   */
  replyTo(messageId: number, text: string, options: { readonly withKeyboard?: boolean } = {}): Promise<WebhookAnswer> {
    const replied = this.harness.telegram.messagesOf(this.userId).find((message) => message.message_id === messageId);
    if (!replied) throw new Error(`no bot message ${messageId} in chat ${this.userId}`);
    const update = textUpdate({ ...this.sender, text });
    const keyboard = options.withKeyboard !== false && replied.reply_markup !== undefined && 'inline_keyboard' in (replied.reply_markup as object) ? { reply_markup: replied.reply_markup } : {};
    const reply = { message_id: messageId, from: TEST_BOT, chat: update.message.chat, date: Number(replied.date ?? 0), text: String(replied.text ?? ''), ...keyboard };
    return this.instance.send({ ...update, message: { ...update.message, reply_to_message: reply } });
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

  /** One bot message of this chat as it stands now. */
  messageText(messageId: number): string {
    const message = this.harness.telegram.messagesOf(this.userId).find((m) => m.message_id === messageId);
    return rendered(message?.text ?? message?.caption);
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

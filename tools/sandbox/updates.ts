// Builders for the Telegram updates a person's taps and messages produce, shaped like the real ones
// (private chat, `from`, `date`, a bot_command entity on commands, ids that only go up).
// The sandbox (`npm start`) sends them to the real webhook; tests use them through test/support.
import { randomInt } from 'node:crypto';
import type { CallbackQuery, Chat, Document, Message, PhotoSize, Update, User } from 'telegraf/types';
import { rememberPersonFile } from './person-files.js';

/**
 * A token of the right shape whose numeric part is SANDBOX_BOT.id, so the sandbox Bot API's
 * getMe agrees with SANDBOX_BOT. It opens nothing: no Telegram server knows it.
 */
export const SANDBOX_BOT_TOKEN = '7000000001:AAtest-token-for-loopback-fakes_0123456789';

/** The bot that sent the messages people tap buttons under. */
export const SANDBOX_BOT: User & { username: string } = {
  id: 7_000_000_001,
  is_bot: true,
  first_name: 'Service Desk Bot',
  username: 'service_desk_test_bot',
};

// Random bases: de-dup markers keyed by update_id can outlive a test run in a shared Redis,
// and a rerun that started from 1 again would look like Telegram redelivering old updates.
let updateIdCounter = randomInt(100_000_000, 900_000_000);
let messageIdCounter = randomInt(10_000, 1_000_000);
let callbackIdCounter = randomInt(1_000_000, 9_000_000);

export function nextUpdateId(): number {
  return ++updateIdCounter;
}

/** Who is writing; every builder takes these. */
export interface Sender {
  updateId?: number;
  userId: number;
  /** Defaults to userId: a private chat has the user's id. */
  chatId?: number;
  /** IETF tag such as `en` or `ru-RU`; defaults to `en`. `null` leaves it out, as some clients do. */
  languageCode?: string | null;
  firstName?: string;
  lastName?: string;
  username?: string;
  /** Unix seconds; defaults to now. */
  date?: number;
}

export function userOf(sender: Sender): User {
  const user: User = { id: sender.userId, is_bot: false, first_name: sender.firstName ?? 'Test' };
  if (sender.lastName !== undefined) user.last_name = sender.lastName;
  if (sender.username !== undefined) user.username = sender.username;
  if (sender.languageCode !== null) user.language_code = sender.languageCode ?? 'en';
  return user;
}

export function privateChatOf(sender: Sender): Chat.PrivateChat {
  const chat: Chat.PrivateChat = {
    id: sender.chatId ?? sender.userId,
    type: 'private',
    first_name: sender.firstName ?? 'Test',
  };
  if (sender.lastName !== undefined) chat.last_name = sender.lastName;
  if (sender.username !== undefined) chat.username = sender.username;
  return chat;
}

/** A new message in a private chat, as MessageUpdate carries it. */
type Incoming<M extends Message> = Update.MessageUpdate<M>['message'];

const now = (sender: Sender): number => sender.date ?? Math.floor(Date.now() / 1000);

/** The fields every message a user sends has. */
function incoming(sender: Sender, messageId?: number) {
  return {
    message_id: messageId ?? ++messageIdCounter,
    from: userOf(sender),
    chat: privateChatOf(sender),
    date: now(sender),
  };
}

export function textUpdate(
  opts: Sender & { text: string; messageId?: number },
): Update.MessageUpdate<Message.TextMessage> {
  const message: Incoming<Message.TextMessage> = { ...incoming(opts, opts.messageId), text: opts.text };
  // Telegraf's bot.command() matches on this entity, not on the text.
  const command = /^\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]+)?/.exec(opts.text);
  if (command) message.entities = [{ type: 'bot_command', offset: 0, length: command[0].length }];
  return { update_id: opts.updateId ?? nextUpdateId(), message };
}

export function callbackUpdate(
  opts: Sender & {
    data: string;
    /** The bot message the button is under. */
    messageId: number;
    /** Text of that message (Telegram always sends the message along). */
    messageText?: string;
    replyMarkup?: Message.TextMessage['reply_markup'];
    callbackQueryId?: string;
  },
): Update.CallbackQueryUpdate<CallbackQuery.DataQuery> {
  const chat = privateChatOf(opts);
  const message: Message.TextMessage = {
    message_id: opts.messageId,
    from: SANDBOX_BOT,
    chat,
    date: now(opts) - 60,
    text: opts.messageText ?? '…',
  };
  if (opts.replyMarkup) message.reply_markup = opts.replyMarkup;
  return {
    update_id: opts.updateId ?? nextUpdateId(),
    callback_query: {
      id: opts.callbackQueryId ?? String(++callbackIdCounter) + String(opts.userId).slice(-6),
      from: userOf(opts),
      message,
      chat_instance: String(-4_000_000_000_000_000 - chat.id),
      data: opts.data,
    },
  };
}

/** The user shares a phone number through a `request_contact` button (their own by default). */
export function contactUpdate(
  opts: Sender & { phoneNumber?: string; contactUserId?: number | null; contactFirstName?: string; messageId?: number },
): Update.MessageUpdate<Message.ContactMessage> {
  const contact: Message.ContactMessage['contact'] = {
    phone_number: opts.phoneNumber ?? '15555550123',
    first_name: opts.contactFirstName ?? opts.firstName ?? 'Test',
  };
  // A contact picked from the address book has no user_id (null) or someone else's.
  if (opts.contactUserId !== null) contact.user_id = opts.contactUserId ?? opts.userId;
  return { update_id: opts.updateId ?? nextUpdateId(), message: { ...incoming(opts, opts.messageId), contact } };
}

/** A photo as Telegram delivers it: several sizes of one picture, largest last. */
export function photoUpdate(
  opts: Sender & { fileId?: string; caption?: string; mediaGroupId?: string; messageId?: number },
): Update.MessageUpdate<Message.PhotoMessage> {
  const base = opts.fileId ?? `AgACAgIAAxkBAAI-test-photo-${++messageIdCounter}`;
  const dimensions: [number, number, number][] = [[90, 68, 1_200], [320, 240, 15_000], [1280, 960, 120_000]];
  const photo: PhotoSize[] = dimensions.map(([width, height, size], i) => ({
    file_id: i === dimensions.length - 1 ? base : `${base}-${width}`,
    file_unique_id: `AQAD-${base.slice(-8)}-${width}`,
    width,
    height,
    file_size: size,
  }));
  // The local Bot API resolves these ids in getFile and serves bytes of these sizes.
  for (const size of photo) rememberPersonFile({ file_id: size.file_id, file_unique_id: size.file_unique_id, file_size: size.file_size ?? 0, kind: 'photo', mime_type: 'image/jpeg' });
  const message: Incoming<Message.PhotoMessage> = { ...incoming(opts, opts.messageId), photo };
  if (opts.caption !== undefined) message.caption = opts.caption;
  if (opts.mediaGroupId !== undefined) message.media_group_id = opts.mediaGroupId;
  return { update_id: opts.updateId ?? nextUpdateId(), message };
}

/** A file sent as a document (PDF, office file, an image sent "as file"); `report.pdf` by default. */
export function documentUpdate(
  opts: Sender & {
    fileId?: string;
    fileName?: string;
    mimeType?: string;
    /** Bytes the local Bot API serves for it; over 20 MB getFile answers "file is too big", as Telegram does. */
    size?: number;
    caption?: string;
    mediaGroupId?: string;
    messageId?: number;
  },
): Update.MessageUpdate<Message.DocumentMessage> {
  const fileId = opts.fileId ?? `BQACAgIAAxkBAAI-test-document-${++messageIdCounter}`;
  const document: Document = {
    file_id: fileId,
    file_unique_id: `AgAD-${fileId.slice(-8)}`,
    file_name: opts.fileName ?? 'report.pdf',
    mime_type: opts.mimeType ?? 'application/pdf',
    file_size: opts.size ?? 48_213,
  };
  rememberPersonFile({
    file_id: fileId,
    file_unique_id: document.file_unique_id,
    file_size: document.file_size ?? 0,
    kind: 'document',
    ...(document.file_name !== undefined && { file_name: document.file_name }),
    ...(document.mime_type !== undefined && { mime_type: document.mime_type }),
  });
  const message: Incoming<Message.DocumentMessage> = { ...incoming(opts, opts.messageId), document };
  if (opts.caption !== undefined) message.caption = opts.caption;
  if (opts.mediaGroupId !== undefined) message.media_group_id = opts.mediaGroupId;
  return { update_id: opts.updateId ?? nextUpdateId(), message };
}

/** The media kinds besides photos and documents, each as Telegram puts it into a message. */
export type MediaKind = 'voice' | 'audio' | 'video' | 'video_note' | 'animation';

const MEDIA_DEFAULTS: Readonly<Record<MediaKind, { readonly mime?: string; readonly name?: string; readonly size: number; readonly duration: number }>> = {
  voice: { mime: 'audio/ogg', size: 9_817, duration: 4 },
  audio: { mime: 'audio/mpeg', name: 'noise.mp3', size: 412_000, duration: 26 },
  video: { mime: 'video/mp4', name: 'leak.mp4', size: 1_830_000, duration: 12 },
  // Telegram gives a round video no name and no type.
  video_note: { size: 640_000, duration: 7 },
  animation: { mime: 'video/mp4', name: 'drip.gif.mp4', size: 220_000, duration: 3 },
};

/**
 * A voice message, an audio file, a video, a round video note or an animation (a GIF), shaped as the
 * Bot API sends them: `duration` on all, `file_name` and `mime_type` where Telegram gives them, and
 * an animation also under `document`, as Telegram keeps it for older clients.
 */
export function mediaUpdate(
  opts: Sender & { kind: MediaKind; fileId?: string; size?: number; duration?: number; fileName?: string; mimeType?: string; caption?: string; mediaGroupId?: string; messageId?: number },
): Update.MessageUpdate<Message> {
  const defaults = MEDIA_DEFAULTS[opts.kind];
  const fileId = opts.fileId ?? `CQACAgIAAxkBAAI-test-${opts.kind}-${++messageIdCounter}`;
  const mimeType = opts.mimeType ?? defaults.mime;
  const fileName = opts.fileName ?? defaults.name;
  const file: Record<string, unknown> = {
    file_id: fileId,
    file_unique_id: `AgAD-${fileId.slice(-8)}`,
    duration: opts.duration ?? defaults.duration,
    ...(fileName !== undefined && { file_name: fileName }),
    ...(mimeType !== undefined && { mime_type: mimeType }),
    file_size: opts.size ?? defaults.size,
  };
  if (opts.kind === 'video' || opts.kind === 'animation') Object.assign(file, { width: 640, height: 360 });
  if (opts.kind === 'video_note') file.length = 240;
  rememberPersonFile({
    file_id: fileId,
    file_unique_id: String(file.file_unique_id),
    file_size: Number(file.file_size),
    kind: opts.kind,
    ...(fileName !== undefined && { file_name: fileName }),
    ...(mimeType !== undefined && { mime_type: mimeType }),
  });
  const message: Record<string, unknown> = { ...incoming(opts, opts.messageId), [opts.kind]: file };
  if (opts.kind === 'animation') message.document = { file_id: fileId, file_unique_id: file.file_unique_id, file_name: fileName, mime_type: mimeType, file_size: file.file_size };
  if (opts.caption !== undefined) message.caption = opts.caption;
  if (opts.mediaGroupId !== undefined) message.media_group_id = opts.mediaGroupId;
  return { update_id: opts.updateId ?? nextUpdateId(), message: message as unknown as Incoming<Message> };
}

/** Something the bot cannot file: a sticker, a poll, a die, someone else's contact card is contactUpdate. */
export function stickerUpdate(opts: Sender & { messageId?: number }): Update.MessageUpdate<Message> {
  const sticker = { file_id: `CAACAgIAAxkBAAI-test-sticker-${++messageIdCounter}`, file_unique_id: 'AgADsticker', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false, emoji: '👍', file_size: 23_000 };
  return { update_id: opts.updateId ?? nextUpdateId(), message: { ...incoming(opts, opts.messageId), sticker } as unknown as Incoming<Message> };
}

export function pollUpdate(opts: Sender & { messageId?: number }): Update.MessageUpdate<Message> {
  const poll = { id: String(++messageIdCounter), question: 'Which day?', options: [{ text: 'Mon', voter_count: 0 }, { text: 'Tue', voter_count: 0 }], total_voter_count: 0, is_closed: false, is_anonymous: true, type: 'regular', allows_multiple_answers: false };
  return { update_id: opts.updateId ?? nextUpdateId(), message: { ...incoming(opts, opts.messageId), poll } as unknown as Incoming<Message> };
}

export function diceUpdate(opts: Sender & { messageId?: number }): Update.MessageUpdate<Message> {
  return { update_id: opts.updateId ?? nextUpdateId(), message: { ...incoming(opts, opts.messageId), dice: { emoji: '🎲', value: 4 } } as unknown as Incoming<Message> };
}

/** A shared map point; with `venue`, a place picked from the map's list (Telegram sends both). */
export function locationUpdate(
  opts: Sender & { latitude?: number; longitude?: number; venue?: { title: string; address: string }; messageId?: number },
): Update.MessageUpdate<Message> {
  const location = { latitude: opts.latitude ?? 52.520008, longitude: opts.longitude ?? 13.404954 };
  const message: Record<string, unknown> = { ...incoming(opts, opts.messageId), location };
  if (opts.venue) message.venue = { location, title: opts.venue.title, address: opts.venue.address };
  return { update_id: opts.updateId ?? nextUpdateId(), message: message as unknown as Incoming<Message> };
}

/**
 * The person changed a message they sent before: Telegram sends it again, whole, as
 * `edited_message` with `edit_date`, under a new update_id.
 */
export function editedTextUpdate(opts: Sender & { messageId: number; text: string; sentAt?: number }): Update.EditedMessageUpdate {
  const date = opts.sentAt ?? now(opts) - 60;
  const message = { ...incoming(opts, opts.messageId), date, edit_date: now(opts), text: opts.text };
  return { update_id: opts.updateId ?? nextUpdateId(), edited_message: message as Update.EditedMessageUpdate['edited_message'] };
}

export type AlbumItem =
  | { readonly kind: 'photo'; readonly fileId?: string }
  | { readonly kind: 'document'; readonly fileId?: string; readonly fileName?: string; readonly mimeType?: string; readonly size?: number };

/**
 * An album: Telegram delivers each item as its own update, all with one media_group_id, the
 * caption (if any) on the first. Photos group with photos (and videos), documents with documents.
 */
export function albumUpdates(
  opts: Sender & { items: readonly AlbumItem[]; caption?: string; mediaGroupId?: string },
): Update.MessageUpdate<Message.PhotoMessage | Message.DocumentMessage>[] {
  // Each item is its own update with its own update_id; only who sends it is shared.
  const { items, caption: albumCaption, mediaGroupId: givenGroupId, updateId: _ignored, ...sender } = opts;
  const mediaGroupId = givenGroupId ?? String(13_000_000_000_000_000n + BigInt(++messageIdCounter));
  return items.map((item, i) => {
    const caption = i === 0 && albumCaption !== undefined ? { caption: albumCaption } : {};
    return item.kind === 'photo'
      ? photoUpdate({ ...sender, ...caption, mediaGroupId, ...(item.fileId !== undefined && { fileId: item.fileId }) })
      : documentUpdate({
          ...sender,
          ...caption,
          mediaGroupId,
          ...(item.fileId !== undefined && { fileId: item.fileId }),
          ...(item.fileName !== undefined && { fileName: item.fileName }),
          ...(item.mimeType !== undefined && { mimeType: item.mimeType }),
          ...(item.size !== undefined && { size: item.size }),
        });
  });
}

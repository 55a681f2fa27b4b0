import { Readable, Transform, type TransformCallback } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { TelegramError, type Telegram } from 'telegraf';
import type { InlineKeyboardMarkup, ParseMode, ReplyParameters } from 'telegraf/types';
import { isTimeout, timeoutReason } from '../http/timeouts.js';
import type { Logger } from '../logger.js';
import type { AttachmentFetcher } from './attachment-fetcher.js';
import { extensionForType, isPhotoType } from './content-type.js';
import { MAX_PHOTO_UPLOAD_BYTES, MAX_UPLOAD_BYTES } from './telegram-limits.js';
import type { AttachmentKind } from '../backend/schemas.js';

/** How a file plays in the chat: a photo, a document, a voice message, ... (the contract's `kind`). */
export type FileKind = AttachmentKind;

/** A file an agent attached to a comment: the backend gives its URL, name and type, and may say its kind. */
export interface AgentAttachment {
  readonly url: string;
  readonly file_name: string;
  readonly mime_type: string;
  readonly kind?: FileKind;
}

/** A file a person sent: it is on Telegram already, under this id. */
export interface CustomerAttachment {
  readonly telegram_file_id: string;
  readonly kind: FileKind;
  readonly file_name?: string;
  readonly mime_type?: string;
}

/** The Bot API method that sends each kind, and the field that carries the file. */
const SENDERS: Readonly<Record<FileKind, { readonly method: string; readonly field: string }>> = {
  photo: { method: 'sendPhoto', field: 'photo' },
  document: { method: 'sendDocument', field: 'document' },
  voice: { method: 'sendVoice', field: 'voice' },
  audio: { method: 'sendAudio', field: 'audio' },
  video: { method: 'sendVideo', field: 'video' },
  video_note: { method: 'sendVideoNote', field: 'video_note' },
  animation: { method: 'sendAnimation', field: 'animation' },
};

/** One send of a file of any kind; a video note takes no caption, so it goes without one. */
function sendFile(
  telegram: Telegram,
  kind: FileKind,
  chatId: number,
  file: string | { source: NodeJS.ReadableStream; filename: string },
  extra: SendAttachmentExtra,
  options?: Parameters<Telegram['callApi']>[2],
): Promise<{ message_id: number }> {
  const { method, field } = SENDERS[kind];
  const { caption: _caption, parse_mode: _parseMode, ...withoutCaption } = extra;
  const payload = { chat_id: chatId, [field]: file, ...(kind === 'video_note' ? withoutCaption : extra) };
  // The method is one of the send methods above; telegraf types callApi per literal method name.
  const callApi = telegram.callApi.bind(telegram) as unknown as (method: string, payload: object, options?: unknown) => Promise<{ message_id: number }>;
  return callApi(method, payload, options);
}

export type Attachment = AgentAttachment | CustomerAttachment;

export interface SendAttachmentDeps {
  readonly telegram: Telegram;
  /** Fetches agents' files from the allowed origins only (attachment-fetcher.ts), one per instance. */
  readonly files: AttachmentFetcher;
  /** How long a file server may take to answer, and to send the next chunk. */
  readonly timeoutMs: number;
  /**
   * The least a download must bring in every `throughputWindowMs` once it answered, in bytes per
   * second: a server that drips a byte at a time is cut (16 KiB/s by default).
   */
  readonly minBytesPerSecond?: number;
  /** The window that throughput is counted over (10 s by default: long enough for a slow start). */
  readonly throughputWindowMs?: number;
  /** A download and its upload end after this long whatever the caller asks (40 s by default, within the function's limit). */
  readonly maxDurationMs?: number;
  readonly logger: Logger;
}

/** How one send is bounded by its caller. */
export interface SendAttachmentOptions {
  /** Ends the download and the upload (e.g. at a notification's deadline, before its lease ends); the file is then `timeout`. */
  readonly signal?: AbortSignal;
}

export const DEFAULT_MIN_BYTES_PER_SECOND = 16 * 1024;
export const DEFAULT_MAX_DURATION_MS = 40_000;
export const DEFAULT_THROUGHPUT_WINDOW_MS = 10_000;

/** What goes with the file; the caption is the caller's to keep within Telegram's 1024 characters. */
export interface SendAttachmentExtra {
  readonly caption?: string;
  readonly parse_mode?: ParseMode;
  readonly reply_markup?: InlineKeyboardMarkup;
  readonly reply_parameters?: ReplyParameters;
}

/**
 * Why a file did not reach the person:
 * - `too_large`: over Telegram's 50 MB upload limit (known from Content-Length, or counted);
 * - `http_error`: the file server answered a status other than 2xx (`status`);
 * - `timeout`: it did not answer or stopped sending within `timeoutMs`, sent slower than the
 *   minimum throughput, or the caller's deadline came first;
 * - `network`: it could not be reached, or the connection broke;
 * - `invalid_url`: not an http(s) URL;
 * - `forbidden`: not from an allowed origin, or (this hop or a redirect) at an address the bot may not connect to;
 * - `rejected`: Telegram refused the file itself (400: a wrong file_id, a file it cannot take).
 */
export type NotDeliveredReason = 'too_large' | 'http_error' | 'timeout' | 'network' | 'invalid_url' | 'forbidden' | 'rejected';

export type SendAttachmentResult =
  | { readonly delivered: true; readonly messageId: number; readonly as: FileKind }
  | { readonly delivered: false; readonly reason: NotDeliveredReason; readonly status?: number };

/**
 * Sends one attachment to a chat the way its kind plays: a voice message with sendVoice, a round
 * video with sendVideoNote, an audio file, a video, an animation; an agent's file without a kind as a
 * photo (JPEG, PNG or WebP up to 10 MB) or as a document. Anything Telegram will not take as its
 * kind (a voice note that is not OGG/Opus, MP3 or M4A, a photo too big) goes again as a document.
 *
 * An agent's file is fetched by the bot itself, because Telegram cannot reach a backend on a private
 * network or behind authentication, and streamed to Telegram as it arrives; only from the origins the
 * organisation allows, the API key only for the backend's own (`deps.files` decides both). The
 * download and its upload end at the caller's signal, at `maxDurationMs`, and when the file server
 * sends slower than `minBytesPerSecond`. When the file cannot be had (too big, an HTTP error, a
 * timeout, the network, an origin not allowed), the answer is `{ delivered: false, reason }` so the
 * caller can say "report.pdf could not be delivered" and still deliver the comment's text. A
 * person's file is sent again by its file_id.
 *
 * Throws only what the caller must retry or stop on: Telegram itself failing (5xx, 429, unreachable)
 * or refusing the chat (403: the person blocked the bot), as a TelegramError or network error.
 */
export async function sendAttachment(
  deps: SendAttachmentDeps,
  chatId: number,
  attachment: Attachment,
  extra: SendAttachmentExtra = {},
  options: SendAttachmentOptions = {},
): Promise<SendAttachmentResult> {
  if ('telegram_file_id' in attachment) return sendByFileId(deps, chatId, attachment, extra);
  const result = await sendFromUrl(deps, chatId, attachment, extra, options);
  if (!result.delivered) {
    deps.logger.warn({ reason: result.reason, status: result.status, mime_type: attachment.mime_type, origin: originOf(attachment.url) }, 'attachment not delivered');
  }
  return result;
}

async function sendByFileId(deps: SendAttachmentDeps, chatId: number, file: CustomerAttachment, extra: SendAttachmentExtra): Promise<SendAttachmentResult> {
  try {
    const message = await sendFile(deps.telegram, file.kind, chatId, file.telegram_file_id, extra);
    return { delivered: true, messageId: message.message_id, as: file.kind };
  } catch (error) {
    if (error instanceof TelegramError && error.code === 400) {
      deps.logger.warn({ reason: 'rejected', kind: file.kind, err: error }, 'attachment not delivered');
      return { delivered: false, reason: 'rejected', status: 400 };
    }
    throw error;
  }
}

async function sendFromUrl(
  deps: SendAttachmentDeps,
  chatId: number,
  file: AgentAttachment,
  extra: SendAttachmentExtra,
  options: SendAttachmentOptions,
): Promise<SendAttachmentResult> {
  await deps.files.prepare();
  // One deadline for every download and upload of this file, the photo attempt and the document one.
  const overall = AbortSignal.timeout(deps.maxDurationMs ?? DEFAULT_MAX_DURATION_MS);
  const deadline = options.signal ? AbortSignal.any([options.signal, overall]) : overall;
  const first = await uploadOnce(deps, chatId, file, extra, file.kind ?? (isPhotoType(file.mime_type) ? 'photo' : 'document'), deadline);
  if (first !== 'retry-as-document') return first;
  // A file Telegram would not take as its kind (a photo too big once counted or of odd dimensions, a
  // voice note in another format) still goes, as a document.
  const second = await uploadOnce(deps, chatId, file, extra, 'document', deadline);
  return second === 'retry-as-document' ? { delivered: false, reason: 'rejected', status: 400 } : second;
}

/** One download streamed into one upload; `retry-as-document` when an attempt as photo, voice, video, ... should become a document. */
async function uploadOnce(
  deps: SendAttachmentDeps,
  chatId: number,
  file: AgentAttachment,
  extra: SendAttachmentExtra,
  wanted: FileKind,
  deadline: AbortSignal,
): Promise<SendAttachmentResult | 'retry-as-document'> {
  if (deadline.aborted) return { delivered: false, reason: 'timeout' };
  const download = new AbortController();
  // Telegraf pipes the stream into its multipart body, and a pipe does not carry errors: a failed
  // download must abort the upload explicitly, or the upload would wait for bytes that never come.
  const upload = new AbortController();
  let problem: 'over_limit' | 'timeout' | 'network' | undefined;
  const cut = (why: string) => {
    problem ??= 'timeout';
    download.abort(timeoutReason(why));
    upload.abort();
  };
  const onDeadline = () => cut('the deadline for this file passed');
  deadline.addEventListener('abort', onDeadline, { once: true });
  let timer = setTimeout(() => download.abort(timeoutReason(`no answer or no bytes in ${deps.timeoutMs} ms`)), deps.timeoutMs);
  let throughput: NodeJS.Timeout | undefined;
  try {
    const opened = await deps.files.open(file.url, download.signal);
    if (!(opened instanceof Response)) return { delivered: false, ...opened };
    const declared = Number(opened.headers.get('content-length') ?? NaN);
    const length = Number.isSafeInteger(declared) && declared >= 0 ? declared : undefined;
    if (length !== undefined && length > MAX_UPLOAD_BYTES) {
      await opened.body?.cancel().catch(() => undefined);
      return { delivered: false, reason: 'too_large' };
    }
    // A declared size decides photo or document now, on this same download.
    const as: FileKind = wanted !== 'photo' || length === undefined || length <= MAX_PHOTO_UPLOAD_BYTES ? wanted : 'document';
    const limit = as === 'photo' ? MAX_PHOTO_UPLOAD_BYTES : MAX_UPLOAD_BYTES;

    let counted = 0;
    // Every window must bring its share: a server that drips a byte now and then never trips the
    // idle timer above, and would hold the send (and the event's lease) for as long as it likes.
    const windowMs = deps.throughputWindowMs ?? DEFAULT_THROUGHPUT_WINDOW_MS;
    const minBytes = ((deps.minBytesPerSecond ?? DEFAULT_MIN_BYTES_PER_SECOND) * windowMs) / 1000;
    let countedAtWindowStart = 0;
    throughput = setInterval(() => {
      if (counted - countedAtWindowStart < minBytes) cut(`fewer than ${Math.ceil(minBytes)} bytes in ${windowMs} ms`);
      countedAtWindowStart = counted;
    }, windowMs);
    const counter = new Transform({
      transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
        clearTimeout(timer);
        timer = setTimeout(() => download.abort(timeoutReason(`no answer or no bytes in ${deps.timeoutMs} ms`)), deps.timeoutMs);
        counted += chunk.length;
        if (counted > limit) {
          problem ??= 'over_limit';
          done(new Error(`the file is larger than ${limit} bytes`));
          return;
        }
        done(null, chunk);
      },
    });
    const body = Readable.fromWeb(opened.body as WebReadableStream<Uint8Array>);
    const fail = (error: unknown) => {
      problem ??= isTimeout(error, download.signal) ? 'timeout' : 'network';
      upload.abort();
      body.destroy();
    };
    body.once('error', fail);
    counter.once('error', fail);
    // All read: from here on only Telegram is waited for, and that is not the file server's time.
    body.once('end', () => {
      clearTimeout(timer);
      clearInterval(throughput);
    });
    body.pipe(counter);

    const filename = safeFileName(file.file_name, file.mime_type);
    // Telegraf types the signal as the abort-controller polyfill's; its node-fetch takes the native one.
    const options = { signal: upload.signal } as unknown as Parameters<Telegram['callApi']>[2];
    try {
      const message = await sendFile(deps.telegram, as, chatId, { source: counter, filename }, extra, options);
      return { delivered: true, messageId: message.message_id, as };
    } catch (error) {
      if (problem === 'over_limit') return as === 'photo' ? 'retry-as-document' : { delivered: false, reason: 'too_large' };
      if (problem !== undefined) return { delivered: false, reason: problem };
      if (error instanceof TelegramError && error.code === 400) {
        if (as !== 'document') return 'retry-as-document';
        return { delivered: false, reason: 'rejected', status: 400 };
      }
      if (error instanceof TelegramError && error.code === 413) return { delivered: false, reason: 'too_large', status: 413 };
      throw error;
    } finally {
      body.destroy();
    }
  } finally {
    clearTimeout(timer);
    clearInterval(throughput);
    deadline.removeEventListener('abort', onDeadline);
    download.abort();
  }
}

/**
 * The name Telegram shows. Telegraf writes it into a multipart header unescaped, so quotes, line
 * breaks and other control characters must not reach it; a path is cut to its last part.
 */
export function safeFileName(name: string, mimeType: string | undefined): string {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const clean = [...base].map((c) => (c === '"' || c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f ? '_' : c)).join('').trim().slice(0, 200);
  if (clean !== '' && clean !== '.' && clean !== '..') return clean;
  const extension = extensionForType(mimeType);
  return extension === undefined ? 'file' : `file.${extension}`;
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

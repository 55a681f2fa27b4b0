// A local Telegram Bot API on loopback: records every call, keeps the messages of each chat and
// answers the way Telegram does, including the errors bots have to handle (429 with retry_after,
// on demand or from an enforced messages-per-second limit, "message is not modified"). The sandbox (`npm start`) runs the bot against it; tests use it as
// their fake Telegram (test/support/fake-telegram.ts).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Chat, UserFromGetMe, WebhookInfo } from 'telegraf/types';
import { MAX_BOT_DOWNLOAD_BYTES } from '../../lib/files/telegram-limits.js';
import { createFileStore, type DownloadRecord, type FakeFile, type FileKind, type RegisterFileOptions } from './bot-api-files.js';
import { closeServer, listen, readBody, sendJson, sleep } from './http.js';
import { multipartBoundary, readMultipart, type StreamedPart } from './multipart.js';
import { SANDBOX_BOT } from './updates.js';

export type { DownloadRecord, FakeFile, FileKind, RegisterFileOptions } from './bot-api-files.js';

export interface UploadedFile {
  filename: string;
  contentType?: string;
  size: number;
}

export interface ApiCall {
  method: string;
  token: string;
  /** JSON body, query string or form fields; uploaded files appear as UploadedFile. */
  payload: Record<string, unknown>;
  /** Date.now() when the request arrived. */
  at: number;
  /** HTTP status of the answer, once sent. */
  status?: number;
  /** Came back in a webhook answer (applyWebhookReply) instead of an HTTP call. */
  viaWebhook?: boolean;
  /** What a successful call answered (e.g. the message sent), once answered. */
  result?: unknown;
  /** Telegram's description of a failed call, once answered. */
  description?: string;
}

/** A file the bot sent (sendPhoto, sendDocument, sendVoice, sendAudio, sendVideo, sendVideoNote, sendAnimation, each item of sendMediaGroup). */
export interface SentFile {
  method: string;
  chatId: number;
  messageId: number;
  kind: FileKind;
  /** How the bot named the file: a file_id Telegram knows, a URL for Telegram to fetch, or a multipart upload. */
  via: 'file_id' | 'url' | 'upload';
  /** The file's id on the server (for `file_id`, the id the bot sent). */
  fileId: string;
  url?: string;
  fileName?: string;
  mimeType?: string;
  size?: number;
  /** Hex sha256 of the uploaded bytes (uploads only). */
  sha256?: string;
  caption?: string;
  mediaGroupId?: string;
}

/** The send methods of the media kinds besides photos and documents (lower-case, as routed). */
const MEDIA_METHODS: Readonly<Record<string, string>> = {
  sendvoice: 'voice',
  sendaudio: 'audio',
  sendvideo: 'video',
  sendvideonote: 'video_note',
  sendanimation: 'animation',
};

export interface FailAnswer {
  status: number;
  /** Defaults to status. */
  error_code?: number;
  description: string;
  retry_after?: number;
}

export interface BotApiServerOptions {
  latencyMs?: number;
  /** What getMe answers; defaults to SANDBOX_BOT with the numeric part of the first token seen as id. */
  botUser?: Partial<UserFromGetMe>;
  /** Accept only this bot token (others get 401 Unauthorized); any token by default. */
  token?: string;
  /**
   * Accept at most this many messages per bot in any one second, as Telegram's flood control does
   * (about 30): past that a send* call answers 429 "Too Many Requests: retry after X" with
   * `parameters.retry_after`. Off by default.
   */
  messagesPerSecond?: number;
  /** The rate limit's clock in ms; tests pin it. */
  now?: () => number;
}

export interface TelegramAnswer {
  ok: boolean;
  result?: unknown;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

export interface BotApiServer {
  /** e.g. http://127.0.0.1:PORT; pass as Telegraf's `telegram.apiRoot`. */
  apiRoot: string;
  /** Every recorded call, in order. */
  calls: ApiCall[];
  callsOf(method: string): ApiCall[];
  /** Texts and captions the bot sent or edited in (successful calls, in order). */
  sentTexts(chatId?: number): string[];
  /** The bot's messages in a chat as they stand now (edits applied, deletions gone), oldest first. */
  messagesOf(chatId: number): Record<string, unknown>[];
  /** The bytes of a file the bot uploaded (or one the server made up for an unknown id), by file id. */
  fileData(fileId: string): Buffer | undefined;
  /**
   * A file getFile resolves and `/file/bot<token>/<file_path>` serves: exact bytes, or `size` bytes
   * generated on the fly (deterministic; `sha256` of the result says what a download must hash to).
   */
  registerFile(options: RegisterFileOptions): FakeFile;
  /** Photos and documents the bot sent, in order (successful calls only). */
  sentFiles: SentFile[];
  /** Downloads through `/file/bot<token>/<file_path>`, in order. */
  downloads: DownloadRecord[];
  /** Forgets calls, messages, files, queued failures, the rate window and the connection count; keeps latency, the rate limit and the bot user. */
  reset(): void;
  setLatency(ms: number): void;
  /**
   * The next `times` calls of `method` ('*' for any Bot API method) fail with this answer;
   * `download` fails the next file downloads instead.
   */
  failNext(method: string, answer: FailAnswer, times?: number): void;
  /** Turns the per-bot message rate limit on (messages per second) or off (undefined). */
  setMessagesPerSecond(limit: number | undefined): void;
  /** TCP connections accepted so far (since the last reset). */
  readonly connections: number;
  /**
   * Executes a webhook answer (`{ method, ...payload }`, as Telegraf writes it into the webhook
   * HTTP response) the way Telegram would, recording it with `viaWebhook: true`.
   */
  applyWebhookReply(token: string, reply: unknown): TelegramAnswer | undefined;
  close(): Promise<void>;
}

/** Text or caption of a recorded call. */
export function messageText(call: ApiCall): string | undefined {
  const { text, caption } = call.payload;
  if (typeof text === 'string') return text;
  return typeof caption === 'string' ? caption : undefined;
}

const TEXT_METHODS = new Set([
  'sendmessage', 'editmessagetext', 'sendphoto', 'senddocument', 'editmessagecaption',
]);
// Telegraf sends these as JSON strings inside multipart bodies.
const JSON_FIELDS = new Set([
  'reply_markup', 'entities', 'caption_entities', 'media', 'link_preview_options', 'reply_parameters',
  'commands', 'allowed_updates', 'scope',
]);
const INTEGER_FIELDS = new Set([
  'chat_id', 'message_id', 'reply_to_message_id', 'message_thread_id', 'offset', 'limit', 'timeout', 'max_connections',
]);

const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as a current ' +
  'content and reply markup of the message';

type Obj = Record<string, unknown>;

interface Answer {
  status: number;
  body: TelegramAnswer;
}

interface StoredMessage {
  message: Obj;
  /** What "not modified" is judged on. */
  content: string;
  markup: string;
}

const ok = (result: unknown): Answer => ({ status: 200, body: { ok: true, result } });
const fail = (status: number, description: string, parameters?: TelegramAnswer['parameters']): Answer => ({
  status,
  body: { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) },
});
const badRequest = (what: string): Answer => fail(400, `Bad Request: ${what}`);

/** Telegram's limit on a message's text, counted after entities are parsed (tags and escapes gone). */
const MAX_TEXT_LENGTH = 4096;
function visibleLength(text: string, parseMode: unknown): number {
  if (parseMode !== 'HTML') return text.length;
  return text.replace(/<[^>]*>/g, '').replace(/&(lt|gt|amp|quot|#\d+);/g, '_').length;
}

/** Methods that post a message and so count against the flood limit (a chat action posts none). */
const isMessageSend = (method: string) => method.startsWith('send') && method !== 'sendchataction';
const RATE_WINDOW_MS = 1000;

export async function startBotApiServer(opts: BotApiServerOptions = {}): Promise<BotApiServer> {
  let latencyMs = opts.latencyMs ?? 0;
  let messagesPerSecond = opts.messagesPerSecond;
  const now = opts.now ?? Date.now;
  // When each bot's recent messages were accepted, oldest first: a sliding one-second window.
  const sentAt = new Map<string, number[]>();
  let connections = 0;
  const calls: ApiCall[] = [];
  const failures: { method: string; answer: FailAnswer; remaining: number }[] = [];
  const lastMessageId = new Map<string, number>();
  const messages = new Map<string, StoredMessage>();
  const files = createFileStore();
  const sentFiles: SentFile[] = [];
  let mediaGroupCounter = 0;
  let webhook: WebhookInfo = { url: '', has_custom_certificate: false, pending_update_count: 0 };
  let commands: unknown[] = [];
  let menuButton: unknown = { type: 'default' };
  let bot: UserFromGetMe | undefined;

  function botUser(token: string): UserFromGetMe {
    bot ??= {
      ...SANDBOX_BOT,
      id: Number(/^(\d+):/.exec(token)?.[1] ?? SANDBOX_BOT.id),
      is_bot: true,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      ...opts.botUser,
    };
    return bot;
  }

  function chatOf(chatId: unknown): Chat {
    const id = Number(chatId);
    if (typeof chatId === 'string' && chatId.startsWith('@')) {
      const name = chatId.slice(1);
      return { id: -1_000_000_000_000 - chatId.length, type: 'channel', title: name, username: name };
    }
    if (id > 0) return { id, type: 'private', first_name: `User ${id}` };
    if (id <= -1_000_000_000_000) return { id, type: 'supergroup', title: `Supergroup ${id}` };
    return { id, type: 'group', title: `Group ${id}` };
  }

  interface ResolvedFile {
    file: FakeFile;
    via: SentFile['via'];
    url?: string;
  }

  /**
   * The file a send method names: an upload (a multipart part), a URL (a placeholder: the server does
   * not fetch it), a known id, or an id it has never seen, taken as existing and kept so a later
   * getFile finds it (hand-built updates carry such ids).
   */
  function fileFor(value: unknown, uploads: Map<string, StreamedPart>, part: string, kind: FileKind): ResolvedFile | undefined {
    const upload = uploads.get(part);
    if (upload) return { file: files.registerUpload(upload, kind), via: 'upload' };
    if (typeof value !== 'string' || value === '') return undefined;
    if (/^https?:\/\//i.test(value)) {
      const name = /\/([^/?#]+)(?:[?#].*)?$/.exec(value)?.[1];
      const fileName = name === undefined ? undefined : decodedOr(name);
      return { file: files.register({ kind, bytes: `fake ${kind} bytes`, ...(fileName !== undefined && { fileName }) }), via: 'url', url: value };
    }
    return { file: files.byId(value) ?? files.register({ kind, fileId: value, bytes: `fake ${kind} bytes` }), via: 'file_id' };
  }

  /** Telegram answers a photo with several sizes of it, the largest last. */
  function photoSizes(file: FakeFile): Obj[] {
    const dimensions: [number, number][] = [[90, 67], [320, 240], [800, 600]];
    return dimensions.map(([width, height], i) => ({
      file_id: i === 2 ? file.file_id : `${file.file_id}-${width}`,
      file_unique_id: `${file.file_unique_id}-${width}`,
      width,
      height,
      file_size: i === 2 ? file.file_size : Math.ceil(file.file_size / (3 - i)),
    }));
  }

  function documentOf(file: FakeFile): Obj {
    return {
      file_id: file.file_id,
      file_unique_id: file.file_unique_id,
      file_name: file.file_name ?? 'document.dat',
      ...(file.mime_type !== undefined && { mime_type: file.mime_type }),
      file_size: file.file_size,
    };
  }

  function recordSent(method: string, answer: Answer, kind: SentFile['kind'], resolved: ResolvedFile, caption: unknown, mediaGroupId?: string): void {
    const message = answer.body.result as Obj | undefined;
    if (!answer.body.ok || !message) return;
    const { file } = resolved;
    const sent: SentFile = {
      method,
      chatId: Number((message.chat as Chat).id),
      messageId: Number(message.message_id),
      kind,
      via: resolved.via,
      fileId: file.file_id,
      size: file.file_size,
    };
    if (resolved.url !== undefined) sent.url = resolved.url;
    if (file.file_name !== undefined) sent.fileName = file.file_name;
    if (file.mime_type !== undefined) sent.mimeType = file.mime_type;
    if (resolved.via === 'upload') sent.sha256 = file.sha256;
    if (typeof caption === 'string') sent.caption = caption;
    if (mediaGroupId !== undefined) sent.mediaGroupId = mediaGroupId;
    sentFiles.push(sent);
  }

  /** sendMediaGroup: 2-10 photos (or 2-10 documents), each a message of the same media_group_id. */
  function sendMediaGroup(token: string, p: Obj, uploads: Map<string, StreamedPart>): Answer {
    const media = p.media;
    if (!Array.isArray(media) || media.length < 2 || media.length > 10) return badRequest('media must contain 2-10 items');
    const items = media as Obj[];
    const kinds = items.map((item) => item?.type);
    if (kinds.some((kind) => kind !== 'photo' && kind !== 'document')) return badRequest('unsupported media type in the album');
    if (kinds.includes('document') && kinds.includes('photo')) return badRequest("documents can't be mixed with other media types");
    if (p.chat_id === undefined || p.chat_id === '') return badRequest('chat_id is empty');
    const resolved: ResolvedFile[] = [];
    for (const item of items) {
      const ref = typeof item.media === 'string' ? item.media : undefined;
      const attached = ref?.startsWith('attach://') ? ref.slice('attach://'.length) : '';
      const file = fileFor(ref, uploads, attached, item.type as FileKind);
      if (!file || (attached !== '' && !uploads.has(attached))) return badRequest('wrong file identifier/HTTP URL specified');
      resolved.push(file);
    }
    const mediaGroupId = `${Date.now()}${++mediaGroupCounter}`;
    const sent = items.map((item, i) => {
      const file = resolved[i] as ResolvedFile;
      const content = item.type === 'photo' ? { photo: photoSizes(file.file) } : { document: documentOf(file.file) };
      const answer = newMessage(token, { chat_id: p.chat_id, ...captionOf(item) }, { media_group_id: mediaGroupId, ...content, ...captionOf(item) });
      recordSent('sendMediaGroup', answer, item.type as SentFile['kind'], file, item.caption, mediaGroupId);
      return answer.body.result;
    });
    return ok(sent);
  }

  function markupOf(payload: Obj): Obj | undefined {
    const markup = payload.reply_markup;
    return markup && typeof markup === 'object' && 'inline_keyboard' in markup ? (markup as Obj) : undefined;
  }

  function newMessage(token: string, payload: Obj, extra: Obj): Answer {
    if (payload.chat_id === undefined || payload.chat_id === '') return badRequest('chat_id is empty');
    const chat = chatOf(payload.chat_id);
    const key = String(chat.id);
    const messageId = (lastMessageId.get(key) ?? 0) + 1;
    lastMessageId.set(key, messageId);
    const markup = markupOf(payload);
    const message: Obj = {
      message_id: messageId,
      from: botUser(token),
      chat,
      date: Math.floor(Date.now() / 1000),
      ...extra,
      ...(markup ? { reply_markup: markup } : {}),
    };
    messages.set(`${key}:${messageId}`, {
      message,
      content: contentKey(payload, typeof extra.text === 'string' ? 'text' : 'caption'),
      markup: canonical(markup),
    });
    return ok(message);
  }

  /** editMessageText / editMessageCaption / editMessageReplyMarkup. */
  function edit(token: string, payload: Obj, field: 'text' | 'caption' | undefined): Answer {
    if (field === 'text' && (typeof payload.text !== 'string' || payload.text === '')) {
      return badRequest('message text is empty');
    }
    if (typeof payload.inline_message_id === 'string') return ok(true);
    if (payload.chat_id === undefined || payload.message_id === undefined) {
      return badRequest('message identifier is not specified');
    }
    const chat = chatOf(payload.chat_id);
    const key = `${chat.id}:${Number(payload.message_id)}`;
    // A message the server never sent (e.g. from a hand-built callback update) is taken as existing.
    const stored = messages.get(key) ?? {
      message: {
        message_id: Number(payload.message_id),
        from: botUser(token),
        chat,
        date: Math.floor(Date.now() / 1000),
      },
      content: '\0unknown',
      markup: '\0unknown',
    };
    const markup = markupOf(payload);
    const content = field ? contentKey(payload, field) : stored.content;
    if (content === stored.content && canonical(markup) === stored.markup) return badRequest(NOT_MODIFIED);
    const message: Obj = { ...stored.message, edit_date: Math.floor(Date.now() / 1000) };
    delete message.reply_markup;
    if (markup) message.reply_markup = markup;
    if (field) message[field] = payload[field];
    messages.set(key, { message, content, markup: canonical(markup) });
    return ok(message);
  }

  /** The queued failure for this method, if any ('*' matches Bot API methods, not downloads). */
  function takeFailure(method: string): Answer | undefined {
    const failureIndex = failures.findIndex((f) => f.method === method || (f.method === '*' && method !== 'download'));
    const failure = failures[failureIndex];
    if (!failure) return undefined;
    if (--failure.remaining === 0) failures.splice(failureIndex, 1);
    const { answer } = failure;
    const retry = answer.retry_after !== undefined ? { retry_after: answer.retry_after } : undefined;
    const injected = fail(answer.status, answer.description, retry);
    injected.body.error_code = answer.error_code ?? answer.status;
    return injected;
  }

  function execute(call: ApiCall, uploads: Map<string, StreamedPart>): Answer {
    if (opts.token !== undefined && call.token !== opts.token) return fail(401, 'Unauthorized');
    const method = call.method.toLowerCase();
    const injected = takeFailure(method);
    if (injected) return injected;
    if (messagesPerSecond !== undefined && isMessageSend(method)) {
      const refused = overRateLimit(call.token, messagesPerSecond);
      if (refused) return refused;
      const answer = executeMethod(call, method, uploads);
      if (answer.status === 200) sentAt.get(call.token)?.push(now());
      return answer;
    }
    return executeMethod(call, method, uploads);
  }

  /** A 429 as Telegram words it when the bot sent `limit` messages within the last second. */
  function overRateLimit(token: string, limit: number): Answer | undefined {
    const at = now();
    const recent = (sentAt.get(token) ?? []).filter((t) => t > at - RATE_WINDOW_MS);
    sentAt.set(token, recent);
    const oldest = recent[0];
    if (recent.length < limit || oldest === undefined) return undefined;
    const retryAfter = Math.max(1, Math.ceil((oldest + RATE_WINDOW_MS - at) / 1000));
    return fail(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
  }

  function executeMethod(call: ApiCall, method: string, uploads: Map<string, StreamedPart>): Answer {
    const p = call.payload;
    switch (method) {
      case 'getme':
        return ok(botUser(call.token));
      case 'sendmessage':
        if (typeof p.text !== 'string' || p.text === '') return badRequest('message text is empty');
        if (visibleLength(p.text, p.parse_mode) > MAX_TEXT_LENGTH) return badRequest('message is too long');
        return newMessage(call.token, p, { text: p.text });
      case 'sendphoto': {
        const resolved = fileFor(p.photo, uploads, 'photo', 'photo');
        if (!resolved) return badRequest('there is no photo in the request');
        const answer = newMessage(call.token, p, { photo: photoSizes(resolved.file), ...captionOf(p) });
        recordSent(call.method, answer, 'photo', resolved, p.caption);
        return answer;
      }
      case 'senddocument': {
        const resolved = fileFor(p.document, uploads, 'document', 'document');
        if (!resolved) return badRequest('there is no document in the request');
        const answer = newMessage(call.token, p, { document: documentOf(resolved.file), ...captionOf(p) });
        recordSent(call.method, answer, 'document', resolved, p.caption);
        return answer;
      }
      case 'sendvoice':
      case 'sendaudio':
      case 'sendvideo':
      case 'sendvideonote':
      case 'sendanimation': {
        const kind = MEDIA_METHODS[method] as FileKind;
        const resolved = fileFor(p[kind], uploads, kind, kind);
        if (!resolved) return badRequest(`there is no ${kind.replace('_', ' ')} in the request`);
        const media: Obj = { ...documentOf(resolved.file), duration: Number(p.duration ?? 1) };
        if (kind === 'video_note') delete media.file_name;
        // As Telegram does: an animation is also the message's document.
        const extra: Obj = kind === 'animation' ? { document: documentOf(resolved.file) } : {};
        const answer = newMessage(call.token, p, { [kind]: media, ...extra, ...(kind === 'video_note' ? {} : captionOf(p)) });
        recordSent(call.method, answer, kind, resolved, p.caption);
        return answer;
      }
      case 'sendmediagroup':
        return sendMediaGroup(call.token, p, uploads);
      case 'editmessagetext':
        return edit(call.token, p, 'text');
      case 'editmessagecaption':
        return edit(call.token, p, 'caption');
      case 'editmessagereplymarkup':
        return edit(call.token, p, undefined);
      case 'deletemessage':
        messages.delete(`${chatOf(p.chat_id).id}:${Number(p.message_id)}`);
        return ok(true);
      case 'answercallbackquery':
        if (!p.callback_query_id) {
          return badRequest('query is too old and response timeout expired or query ID is invalid');
        }
        return ok(true);
      case 'sendchataction':
        return ok(true);
      case 'setwebhook':
        webhook = { ...webhook, url: typeof p.url === 'string' ? p.url : '' };
        if (Array.isArray(p.allowed_updates)) webhook.allowed_updates = p.allowed_updates as string[];
        return ok(true);
      case 'deletewebhook':
        webhook = { url: '', has_custom_certificate: false, pending_update_count: 0 };
        return ok(true);
      case 'getwebhookinfo':
        return ok(webhook);
      case 'setmycommands':
        commands = Array.isArray(p.commands) ? p.commands : [];
        return ok(true);
      case 'getmycommands':
        return ok(commands);
      case 'deletemycommands':
        commands = [];
        return ok(true);
      case 'setchatmenubutton':
        menuButton = typeof p.menu_button === 'object' && p.menu_button !== null ? p.menu_button : { type: 'default' };
        return ok(true);
      case 'getchatmenubutton':
        return ok(menuButton);
      case 'getfile': {
        if (typeof p.file_id !== 'string' || p.file_id === '') return badRequest('file_id not specified');
        const found = files.getFile(p.file_id);
        return 'file' in found ? ok(found.file) : badRequest(found.error);
      }
      case 'getchat':
        return ok(chatOf(p.chat_id));
      default:
        return fail(404, 'Not Found: method not found');
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://telegram');
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (download) {
      req.resume();
      await sleep(latencyMs);
      const notFound = () => sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      if (opts.token !== undefined && download[1] !== opts.token) return notFound();
      const injected = takeFailure('download');
      if (injected) return sendJson(res, injected.status, injected.body);
      const served = await files.serve(decodeURIComponent(download[2] ?? ''), res);
      if (!served) notFound();
      return;
    }
    const route = /^\/bot([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (!route) {
      req.resume();
      return sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    }
    const call: ApiCall = { method: route[2] ?? '', token: route[1] ?? '', payload: {}, at: Date.now() };
    calls.push(call);
    let answer: Answer;
    const uploads = new Map<string, StreamedPart>();
    try {
      call.payload = await readPayload(req, url, uploads);
      await sleep(latencyMs);
      answer = execute(call, uploads);
    } catch {
      req.resume();
      await sleep(latencyMs);
      answer = badRequest("can't parse request body");
    }
    settle(call, answer);
    // Telegraf reads only the status line of a 5xx answer, so the description goes there too.
    const description = answer.body.description ?? '';
    if (answer.status >= 500 && /^[\x20-\x7e]+$/.test(description)) res.statusMessage = description;
    sendJson(res, answer.status, answer.body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('[bot api sandbox] request failed', error);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error_code: 500, description: 'Internal Server Error' });
      else res.destroy();
    });
  });
  server.on('connection', () => connections++);
  const apiRoot = await listen(server);

  return {
    apiRoot,
    calls,
    callsOf: (method) => calls.filter((call) => call.method.toLowerCase() === method.toLowerCase()),
    sentTexts(chatId) {
      return calls
        .filter((call) => call.status === 200 && TEXT_METHODS.has(call.method.toLowerCase()))
        .filter((call) => chatId === undefined || Number(call.payload.chat_id) === chatId)
        .map(messageText)
        .filter((text): text is string => text !== undefined);
    },
    registerFile: (options) => files.register(options),
    sentFiles,
    downloads: files.downloads,
    messagesOf(chatId) {
      return [...messages.entries()]
        .filter(([key]) => key.startsWith(`${chatId}:`))
        .map(([, stored]) => stored.message)
        .sort((a, b) => Number(a.message_id) - Number(b.message_id));
    },
    fileData: (fileId) => files.dataOf(fileId),
    reset() {
      calls.length = 0;
      connections = 0; // open keep-alive sockets stay; from here on only new ones count
      failures.length = 0;
      sentAt.clear();
      lastMessageId.clear();
      messages.clear();
      files.clear();
      sentFiles.length = 0;
      webhook = { url: '', has_custom_certificate: false, pending_update_count: 0 };
      commands = [];
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    failNext(method, answer, times = 1) {
      if (times > 0) failures.push({ method: method === '*' ? '*' : method.toLowerCase(), answer, remaining: times });
    },
    setMessagesPerSecond(limit) {
      messagesPerSecond = limit;
      sentAt.clear();
    },
    get connections() {
      return connections;
    },
    applyWebhookReply(token, reply) {
      if (!reply || typeof reply !== 'object' || typeof (reply as Obj).method !== 'string') return undefined;
      const { method, ...payload } = reply as Obj;
      const call: ApiCall = { method: method as string, token, payload, at: Date.now(), viaWebhook: true };
      calls.push(call);
      const answer = execute(call, new Map());
      settle(call, answer);
      return answer.body;
    },
    close: () => closeServer(server),
  };
}

/** Records the answer on the call. */
function settle(call: ApiCall, answer: Answer): void {
  call.status = answer.status;
  if (answer.body.ok) call.result = answer.body.result;
  else if (answer.body.description !== undefined) call.description = answer.body.description;
}

/**
 * JSON body, urlencoded form, multipart form (files recorded as UploadedFile) or query string.
 * A multipart body is read as it streams: uploads keep their bytes only up to what getFile could
 * serve again (20 MB), bigger ones their size and hash.
 */
async function readPayload(req: IncomingMessage, url: URL, uploads: Map<string, StreamedPart>): Promise<Obj> {
  const payload: Obj = Object.fromEntries(url.searchParams);
  const contentType = req.headers['content-type'] ?? '';
  const boundary = multipartBoundary(contentType);
  if (boundary) {
    for (const part of await readMultipart(req, boundary, { keepFileBytes: MAX_BOT_DOWNLOAD_BYTES })) {
      if (part.filename !== undefined) {
        uploads.set(part.name, part);
        const file: UploadedFile = { filename: part.filename, size: part.size };
        if (part.contentType) file.contentType = part.contentType;
        payload[part.name] = file;
      } else {
        payload[part.name] = part.data?.toString('utf8') ?? '';
      }
    }
    delete payload.method; // Telegraf repeats the method name as a form field
    return normalizeFields(payload);
  }
  const body = await readBody(req);
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    Object.assign(payload, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
  } else if (body.length > 0) {
    const json: unknown = JSON.parse(body.toString('utf8'));
    if (json && typeof json === 'object' && !Array.isArray(json)) Object.assign(payload, json);
  }
  return normalizeFields(payload);
}

/** Form fields are all strings; give the ones code compares their JSON types back. */
function normalizeFields(payload: Obj): Obj {
  for (const [key, value] of Object.entries(payload)) {
    if (typeof value !== 'string') continue;
    if (JSON_FIELDS.has(key) && /^[[{]/.test(value)) {
      try {
        payload[key] = JSON.parse(value);
      } catch {
        // left as sent
      }
    } else if (INTEGER_FIELDS.has(key) && /^-?\d+$/.test(value)) {
      payload[key] = Number(value);
    }
  }
  return payload;
}

/** A URL's path segment, percent-decoded when it decodes. */
function decodedOr(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function captionOf(payload: Obj): Obj {
  return typeof payload.caption === 'string' ? { caption: payload.caption } : {};
}

/** What Telegram compares for "message is not modified": the text or caption and how it is formatted. */
function contentKey(payload: Obj, field: 'text' | 'caption'): string {
  const entities = field === 'text' ? payload.entities : payload.caption_entities;
  return JSON.stringify([payload[field] ?? '', payload.parse_mode ?? '', canonical(entities)]);
}

/** Stable JSON (sorted keys), so `{a, b}` and `{b, a}` compare equal. */
function canonical(value: unknown): string {
  if (value === undefined || value === null) return '';
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Obj).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

import * as v from 'valibot';
import type { Logger } from '../logger.js';
import { count } from '../metrics/update-scope.js';
import { isUnreachablePerson } from '../notify/unreachable-person.js';

/**
 * The few Bot API calls the Mini App's API makes, with fetch: telling the chat what the app did,
 * and putting a file the person picked in the app onto Telegram (the backend contract's files are
 * Telegram file ids). Telegraf is not loaded for three calls, so the app's function starts faster.
 */
export interface MiniAppBotApi {
  sendMessage(chatId: number, text: string, replyMarkup?: object): Promise<BotApiResult<{ message_id: number }>>;
  /**
   * Uploads a file to the person's own chat silently and deletes the message at once: what is left
   * is a file id Telegram keeps, for the backend to download through /api/files.
   */
  storeFile(chatId: number, file: UploadedFile): Promise<BotApiResult<StoredFile>>;
}

export interface UploadedFile {
  readonly bytes: Uint8Array;
  readonly name: string;
  readonly mimeType: string;
  readonly kind: 'photo' | 'document';
}

export interface StoredFile {
  readonly fileId: string;
  readonly kind: 'photo' | 'document';
  readonly size: number | undefined;
}

/**
 * - `chat_unavailable`: the person never started the bot, or blocked it (403, "chat not found");
 * - `rejected`: Telegram refused the file (400 other than the chat);
 * - `failed`: Telegram failed or was unreachable; worth trying again.
 */
export type BotApiResult<T> = { readonly ok: true; readonly result: T } | { readonly ok: false; readonly problem: 'chat_unavailable' | 'rejected' | 'failed'; readonly status?: number };

const Answer = v.object({
  ok: v.boolean(),
  result: v.optional(v.unknown()),
  error_code: v.optional(v.number()),
  description: v.optional(v.string()),
});
const SentMessage = v.object({
  message_id: v.number(),
  photo: v.optional(v.array(v.object({ file_id: v.string(), file_size: v.optional(v.number()) }))),
  document: v.optional(v.object({ file_id: v.string(), file_size: v.optional(v.number()) })),
});

export function createMiniAppBotApi(options: { readonly apiRoot: string; readonly token: string; readonly timeoutMs: number; readonly logger: Logger }): MiniAppBotApi {
  const { logger } = options;

  async function call(method: string, body: FormData | object): Promise<BotApiResult<unknown>> {
    count('telegramCalls');
    let response: Response;
    try {
      response = await fetch(`${options.apiRoot}/bot${options.token}/${method}`, {
        method: 'POST',
        ...(body instanceof FormData ? { body } : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      // The URL holds the token: only the method and the kind of failure are logged.
      logger.warn({ method, problem: error instanceof Error ? error.name : 'unknown' }, '[bot api] call failed');
      return { ok: false, problem: 'failed' };
    }
    const parsed = v.safeParse(Answer, await response.json().catch(() => undefined));
    if (parsed.success && parsed.output.ok) return { ok: true, result: parsed.output.result };
    const description = parsed.success ? (parsed.output.description ?? '') : '';
    const status = response.status;
    logger.warn({ method, status, description }, '[bot api] call refused');
    if (isUnreachablePerson(status, description)) return { ok: false, problem: 'chat_unavailable', status };
    if (status === 400) return { ok: false, problem: 'rejected', status };
    return { ok: false, problem: 'failed', status };
  }

  return {
    async sendMessage(chatId, text, replyMarkup) {
      const answer = await call('sendMessage', { chat_id: chatId, text, parse_mode: 'HTML', ...(replyMarkup && { reply_markup: replyMarkup }) });
      if (!answer.ok) return answer;
      const message = v.safeParse(SentMessage, answer.result);
      return message.success ? { ok: true, result: { message_id: message.output.message_id } } : { ok: false, problem: 'failed' };
    },
    async storeFile(chatId, file) {
      const form = new FormData();
      form.set('chat_id', String(chatId));
      form.set('disable_notification', 'true');
      const field = file.kind === 'photo' ? 'photo' : 'document';
      form.set(field, new Blob([file.bytes], { type: file.mimeType }), file.name);
      const answer = await call(file.kind === 'photo' ? 'sendPhoto' : 'sendDocument', form);
      if (!answer.ok) return answer;
      const message = v.safeParse(SentMessage, answer.result);
      if (!message.success) return { ok: false, problem: 'failed' };
      const sent = file.kind === 'photo' ? message.output.photo?.at(-1) : message.output.document;
      // The message was only the way in: it leaves the chat at once (a failure leaves a silent message, no harm).
      await call('deleteMessage', { chat_id: chatId, message_id: message.output.message_id });
      if (sent === undefined) return { ok: false, problem: 'failed' };
      return { ok: true, result: { fileId: sent.file_id, kind: file.kind, size: sent.file_size } };
    },
  };
}

import * as v from 'valibot';
import { isTimeout } from '../http/timeouts.js';

/** Where the bot's files live: the Bot API root and the token that opens them. */
export interface TelegramFileSource {
  readonly apiRoot: string;
  readonly token: string;
}

/**
 * What getFile said about a file id:
 * - `not_found`: Telegram knows no such file for this bot ("invalid file_id", "wrong file_id");
 * - `too_big`: over the 20 MB bots may download ("file is too big");
 * - `rate_limited`: 429, with Telegram's `retry_after`;
 * - `refused`: any other refusal (a 5xx, a revoked token, an answer that is not the Bot API's);
 * - `unreachable` / `timeout`: no answer.
 */
export type TelegramFileProblem = 'not_found' | 'too_big' | 'rate_limited' | 'refused' | 'unreachable' | 'timeout';

export type TelegramFileLookup =
  | { readonly ok: true; readonly filePath: string; readonly fileSize: number | undefined }
  | { readonly ok: false; readonly problem: TelegramFileProblem; readonly status?: number; readonly retryAfterSeconds?: number };

const GetFileAnswer = v.object({
  ok: v.boolean(),
  result: v.optional(v.object({ file_path: v.optional(v.string()), file_size: v.optional(v.number()) })),
  error_code: v.optional(v.number()),
  description: v.optional(v.string()),
  parameters: v.optional(v.object({ retry_after: v.optional(v.number()) })),
});

/**
 * Asks the Bot API where a file is (getFile). Never throws: every outcome is a value, and none of
 * them carries the token (which is in the URL this function calls).
 */
export async function lookUpTelegramFile(source: TelegramFileSource, fileId: string, signal: AbortSignal): Promise<TelegramFileLookup> {
  let response: Response;
  try {
    response = await fetch(`${source.apiRoot}/bot${source.token}/getFile`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ file_id: fileId }),
      signal,
    });
  } catch (error) {
    return { ok: false, problem: isTimeout(error, signal) ? 'timeout' : 'unreachable' };
  }
  let answer: v.InferOutput<typeof GetFileAnswer>;
  try {
    answer = v.parse(GetFileAnswer, await response.json());
  } catch (error) {
    if (isTimeout(error, signal)) return { ok: false, problem: 'timeout' };
    return { ok: false, problem: 'refused', status: response.status };
  }
  const filePath = answer.result?.file_path;
  if (answer.ok && filePath) return { ok: true, filePath, fileSize: answer.result?.file_size };
  const description = answer.description ?? '';
  if (response.status === 400 && /too big/i.test(description)) return { ok: false, problem: 'too_big', status: 400 };
  if (response.status === 400 && /file_?id|file identifier/i.test(description)) return { ok: false, problem: 'not_found', status: 400 };
  if (response.status === 429) {
    return { ok: false, problem: 'rate_limited', status: 429, ...(answer.parameters?.retry_after !== undefined && { retryAfterSeconds: answer.parameters.retry_after }) };
  }
  return { ok: false, problem: 'refused', status: response.status };
}

/** The download URL of a file path getFile gave; it holds the token, so it is never logged. */
export function telegramFileUrl(source: TelegramFileSource, filePath: string): string {
  return `${source.apiRoot}/file/bot${source.token}/${filePath.split('/').map(encodeURIComponent).join('/')}`;
}

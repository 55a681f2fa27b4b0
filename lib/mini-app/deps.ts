import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config.js';
import type { TelegramFileSource } from '../files/telegram-file.js';
import type { Lang } from '../i18n/index.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services.js';
import type { MiniAppBotApi } from './bot-api.js';
import type { SignedDataVerifier, VerifiedInitData } from './init-data.js';
import type { TokenSigner } from './signed-token.js';

/** A file of a request, named by where it sits: `a<i>` the submission's attachments, `c<comment>.<file>` the thread's. */
export interface FileLinkPayload {
  /** The person the link was made for: the download checks the request against them again. */
  readonly u: number;
  readonly r: string;
  readonly f: string;
}

/** A file the person uploaded through the app: only these may go into their comments and requests. */
export interface UploadPayload {
  readonly u: number;
  readonly id: string;
  readonly k: 'photo' | 'document';
  readonly n?: string;
  readonly m?: string;
}

/** Everything the Mini App's API uses; built once per instance (lib/mini-app/instance.ts) or by a test. */
export interface MiniAppDeps {
  readonly config: Pick<Config, 'miniApp' | 'cache'>;
  readonly logger: Logger;
  readonly services: Pick<Services, 'backend' | 'catalog' | 'cache' | 'submissionLimiter' | 'store' | 'files'>;
  readonly verifier: SignedDataVerifier;
  readonly botApi: MiniAppBotApi;
  readonly fileLinks: TokenSigner<FileLinkPayload>;
  readonly uploads: TokenSigner<UploadPayload>;
  /** Where the person's files are (getFile and the download): the bot token stays on the server. */
  readonly telegramFiles: TelegramFileSource;
  /** How long Telegram or a file server may take to answer, and between two chunks. */
  readonly fileTimeoutMs: number;
}

/** One authenticated call: the person comes from Telegram's signed data only. */
export interface AppCall {
  readonly user: VerifiedInitData['user'];
  readonly initData: VerifiedInitData;
  /** The person's language (Telegram's `language_code`): the backend is asked in it, the chat told in it. */
  readonly lang: Lang;
  readonly log: Logger;
  /** The path's parameters, e.g. the request id of `requests/:id`. */
  readonly params: readonly string[];
  readonly query: URLSearchParams;
  /** The parsed JSON body (POST); `undefined` for a GET and for an upload (which reads `req` itself). */
  readonly body: unknown;
  readonly req: IncomingMessage;
  /** For a handler that streams its answer (a download). */
  readonly res: ServerResponse;
}

/** What a handler answers; the router writes it (or the handler streamed the answer itself). */
export type AppAnswer = { readonly status: number; readonly body: unknown } | { readonly streamed: true };

export function answer(status: number, body: unknown): AppAnswer {
  return { status, body };
}

/** The contract's error shape `{"error": {"code", "message"}}`, which the page reads by `code`. */
export function failure(status: number, code: string, message: string, extra: Record<string, unknown> = {}): AppAnswer {
  return { status, body: { error: { code, message, ...extra } } };
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Config } from '../config.js';
import { contentTypeFromName, essence, OCTET_STREAM } from '../files/content-type.js';
import { lookUpTelegramFile, telegramFileUrl, type TelegramFileLookup, type TelegramFileSource } from '../files/telegram-file.js';
import { attachmentDisposition } from '../http/content-disposition.js';
import { sendJson } from '../http/json.js';
import { authorizeBearer } from '../http/secrets.js';
import { isTimeout, timeoutReason } from '../http/timeouts.js';
import type { Logger } from '../logger.js';

/** A Telegram file_id as the Bot API hands them out: URL-safe base64, and never longer than this. */
const FILE_ID_PATTERN = /^[A-Za-z0-9_-]{1,255}$/;
const DEFAULT_TIMEOUT_MS = 10_000;
// A file_id names one file forever, so a client may keep what it got; `private` keeps shared caches
// (Vercel's CDN among them) from storing what the secret protects.
const CACHE_CONTROL = 'private, max-age=86400, immutable';

export interface FilesEndpointDeps {
  readonly getConfig: () => Config;
  readonly getLogger: () => Logger;
  /**
   * How long Telegram may take to answer getFile, to start the download, and between two chunks
   * of it; a slow but moving download is never cut. 10 s by default; tests make it short.
   */
  readonly timeoutMs?: number;
}

/**
 * `GET /api/files/{telegram_file_id}` (and HEAD): the backend downloads what people sent without ever
 * holding the bot token. Bearer FILES_SECRET (else NOTIFY_SECRET). getFile, then the file is piped
 * from Telegram to the caller chunk by chunk with backpressure: a 20 MB file is never in memory, and
 * a caller that goes away stops the download from Telegram.
 *
 * Built on the configuration alone: a download needs no store, backend client or Telegraf, so this
 * function's cold start loads none of them.
 */
export function createFilesEndpoint(deps: FilesEndpointDeps) {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method not allowed: use GET' }, { allow: 'GET, HEAD' });
    let config: Config;
    try {
      config = deps.getConfig();
    } catch (error) {
      deps.getLogger().error({ err: error }, 'the files endpoint could not start; answered 503');
      return sendJson(res, 503, { error: 'the bot could not start, retry later' });
    }
    const logger = deps.getLogger();
    if (!authorizeBearer(req, res, { secret: config.filesSecret, variable: 'FILES_SECRET (or NOTIFY_SECRET)', logger })) return;

    const fileId = fileIdOf(req);
    if (fileId === undefined || !FILE_ID_PATTERN.test(fileId)) {
      return sendJson(res, 400, { error: 'not a Telegram file_id: expected 1-255 characters of A-Z, a-z, 0-9, _ and -' });
    }

    // Everything this request starts on the network stops when the caller goes away.
    const caller = new AbortController();
    // Which side broke a stream first: an upstream failure also ends up closing `res`, and a caller
    // leaving also ends up failing the upstream stream.
    let brokenFirst: 'caller' | 'upstream' | undefined;
    res.on('close', () => {
      if (res.writableFinished) return;
      brokenFirst ??= 'caller';
      caller.abort();
    });
    const source: TelegramFileSource = { apiRoot: config.telegram.apiRoot, token: config.telegram.token };
    const started = performance.now();

    const lookup = await lookUpTelegramFile(source, fileId, AbortSignal.any([caller.signal, AbortSignal.timeout(timeoutMs)]));
    if (caller.signal.aborted) return;
    if (!lookup.ok) return refuse(res, lookup, logger);

    const nameFromPath = lookup.filePath.slice(lookup.filePath.lastIndexOf('/') + 1) || 'file';
    if (req.method === 'HEAD') {
      writeFileHeaders(res, { type: contentTypeFromName(nameFromPath) ?? OCTET_STREAM, length: lookup.fileSize, name: nameFromPath });
      res.end();
      return;
    }

    // The download's own controller: the caller leaving, no headers in time, or a stalled body abort it.
    const download = new AbortController();
    caller.signal.addEventListener('abort', () => download.abort(), { once: true });
    const stalled = () => download.abort(timeoutReason(`no bytes from Telegram in ${timeoutMs} ms`));
    let timer = setTimeout(stalled, timeoutMs);
    let upstream: Response;
    try {
      upstream = await fetch(telegramFileUrl(source, lookup.filePath), { signal: download.signal });
    } catch (error) {
      clearTimeout(timer);
      if (caller.signal.aborted) return;
      const timedOut = isTimeout(error, download.signal);
      logger.warn({ problem: timedOut ? 'timeout' : 'unreachable' }, 'file download from Telegram failed to start');
      return sendJson(res, timedOut ? 504 : 502, { error: timedOut ? 'Telegram did not answer in time, retry later' : 'Telegram is unreachable, retry later' });
    }
    if (upstream.status !== 200 || !upstream.body) {
      clearTimeout(timer);
      await upstream.body?.cancel().catch(() => undefined);
      logger.warn({ status: upstream.status }, 'file download refused by Telegram');
      return sendJson(res, 502, { error: `Telegram answered ${upstream.status} for the download, retry later` });
    }

    const declared = Number(upstream.headers.get('content-length') ?? NaN);
    const telegramType = essence(upstream.headers.get('content-type'));
    writeFileHeaders(res, {
      type: telegramType !== undefined && telegramType !== OCTET_STREAM ? telegramType : (contentTypeFromName(nameFromPath) ?? OCTET_STREAM),
      length: Number.isSafeInteger(declared) && declared >= 0 ? declared : lookup.fileSize,
      name: nameFromPath,
    });

    let bytes = 0;
    // Re-armed by every chunk: a body that stops moving is cut, one that moves slowly is not.
    const watchdog = new Transform({
      transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
        clearTimeout(timer);
        timer = setTimeout(stalled, timeoutMs);
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    const body = Readable.fromWeb(upstream.body as WebReadableStream<Uint8Array>);
    body.once('error', () => {
      brokenFirst ??= 'upstream';
    });
    try {
      await pipeline(body, watchdog, res);
      logger.info({ bytes, ms: Math.round(performance.now() - started) }, 'file streamed');
    } catch (error) {
      if (brokenFirst === 'caller') {
        logger.info({ bytes }, 'file download stopped: the caller went away');
      } else {
        // The status line is gone: cutting the connection short is how the caller learns (Content-Length does not add up).
        logger.warn({ bytes, problem: isTimeout(error, download.signal) ? 'timeout' : 'interrupted' }, 'file download from Telegram broke off');
        res.destroy();
      }
      download.abort();
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * The id from `/api/files/{id}`; Vercel also passes a dynamic segment as `?id=` (and a rewrite may
 * leave the literal `[id]` in the path).
 */
function fileIdOf(req: IncomingMessage): string | undefined {
  const url = new URL(req.url ?? '/', 'http://files.invalid');
  const segment = /\/files\/([^/]*)\/?$/.exec(url.pathname)?.[1];
  if (segment !== undefined && segment !== '[id]' && segment !== '%5Bid%5D') {
    try {
      return decodeURIComponent(segment);
    } catch {
      return undefined;
    }
  }
  return url.searchParams.get('id') ?? undefined;
}

function writeFileHeaders(res: ServerResponse, file: { readonly type: string; readonly length: number | undefined; readonly name: string }): void {
  res.statusCode = 200;
  res.setHeader('content-type', file.type);
  if (file.length !== undefined) res.setHeader('content-length', String(file.length));
  res.setHeader('content-disposition', attachmentDisposition(file.name));
  res.setHeader('cache-control', CACHE_CONTROL);
  // What people send is served from the bot's domain: never let a browser run it as a page.
  res.setHeader('x-content-type-options', 'nosniff');
}

function refuse(res: ServerResponse, lookup: Extract<TelegramFileLookup, { ok: false }>, logger: Logger): void {
  switch (lookup.problem) {
    case 'not_found':
      return sendJson(res, 404, { error: 'no such file for this bot' });
    case 'too_big':
      return sendJson(res, 413, { error: 'the file is larger than the 20 MB Telegram lets bots download; ask the person to send it another way' });
    case 'rate_limited': {
      const retryAfter = String(lookup.retryAfterSeconds ?? 1);
      logger.warn({ problem: lookup.problem, retry_after: retryAfter }, 'getFile rate limited by Telegram');
      return sendJson(res, 503, { error: 'Telegram asks to slow down, retry later' }, { 'retry-after': retryAfter });
    }
    case 'timeout':
      logger.warn({ problem: lookup.problem }, 'getFile: no answer from Telegram in time');
      return sendJson(res, 504, { error: 'Telegram did not answer in time, retry later' });
    case 'unreachable':
    case 'refused':
      // A 401/404 here means the bot token itself was refused: worth an error, not a warning.
      if (lookup.status === 401 || lookup.status === 404) logger.error({ status: lookup.status }, 'getFile: Telegram refused the bot token (TELEGRAM_BOT_TOKEN)');
      else logger.warn({ problem: lookup.problem, status: lookup.status }, 'getFile failed');
      return sendJson(res, 502, { error: 'Telegram could not be asked for the file, retry later' });
  }
}

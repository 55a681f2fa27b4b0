import type { ServerResponse } from 'node:http';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { contentTypeFromName, essence, OCTET_STREAM } from '../../files/content-type.js';
import { lookUpTelegramFile, telegramFileUrl } from '../../files/telegram-file.js';
import { attachmentDisposition } from '../../http/content-disposition.js';
import { timeoutReason } from '../../http/timeouts.js';
import { loadOwnedRequest } from '../../requests/owned-request.js';
import { failure, type AppAnswer, type AppCall, type MiniAppDeps } from '../deps.js';
import { fileOfRef } from '../request-view.js';

/**
 * `GET /api/app/files/:link`: a file of the person's request, streamed (a photo shown inline, any
 * other file downloaded). The link is signed for one person, request and file; the request is loaded
 * again with the chat's ownership check, and the file looked up where it is now. A person's file comes
 * from Telegram (the token never leaves the server), an agent's from its URL through the chat's fetcher
 * (allowed origins, public addresses, the API key only on the backend's own origin).
 */
export function createDownloadFile(deps: Pick<MiniAppDeps, 'services' | 'fileLinks' | 'telegramFiles' | 'fileTimeoutMs' | 'logger'>) {
  return async (call: Omit<AppCall, 'user' | 'initData'>): Promise<AppAnswer> => {
    const link = deps.fileLinks.verify(call.params[0] ?? '');
    if (link === undefined || typeof link.u !== 'number' || typeof link.r !== 'string' || typeof link.f !== 'string') {
      return failure(404, 'not_found', 'this file link is not valid or has expired: open the request again');
    }
    const owned = await loadOwnedRequest({ backend: deps.services.backend, log: call.log, handler: 'app-file' }, link.u, link.r);
    if (owned.kind === 'unavailable') return failure(503, 'backend_unavailable', 'the request cannot be loaded right now, retry later');
    const file = owned.kind === 'owned' ? fileOfRef(owned.details, link.f) : undefined;
    if (file === undefined) return failure(404, 'not_found', 'no such file');

    const caller = new AbortController();
    call.res.on('close', () => {
      if (!call.res.writableFinished) caller.abort();
    });
    const timeoutMs = deps.fileTimeoutMs;
    let upstream: Response;
    let name: string;
    if ('telegram_file_id' in file) {
      const lookup = await lookUpTelegramFile(deps.telegramFiles, file.telegram_file_id, AbortSignal.any([caller.signal, AbortSignal.timeout(timeoutMs)]));
      if (!lookup.ok) {
        call.log.warn({ problem: lookup.problem, status: lookup.status }, 'getFile for the app failed');
        return lookup.problem === 'not_found' ? failure(404, 'not_found', 'Telegram no longer has this file') : failure(502, 'telegram_unavailable', 'the file cannot be fetched right now, retry later');
      }
      const given = 'file_name' in file ? (file.file_name as string | undefined) : undefined;
      name = given ?? (lookup.filePath.slice(lookup.filePath.lastIndexOf('/') + 1) || 'file');
      try {
        upstream = await fetch(telegramFileUrl(deps.telegramFiles, lookup.filePath), { signal: AbortSignal.any([caller.signal, AbortSignal.timeout(timeoutMs)]) });
      } catch {
        return failure(502, 'telegram_unavailable', 'the file cannot be fetched right now, retry later');
      }
      if (upstream.status !== 200 || !upstream.body) {
        await upstream.body?.cancel().catch(() => undefined);
        return failure(502, 'telegram_unavailable', 'the file cannot be fetched right now, retry later');
      }
    } else {
      name = file.file_name;
      // The chat's fetcher: allowed origins only, public addresses checked at connect time, the key only for the backend.
      await deps.services.files.prepare();
      const opened = await deps.services.files.open(file.url, AbortSignal.any([caller.signal, AbortSignal.timeout(timeoutMs)]));
      if (!(opened instanceof Response)) {
        call.log.warn({ reason: opened.reason, status: opened.status }, 'an agent\'s file for the app could not be fetched');
        return failure(502, 'file_unavailable', 'the file cannot be fetched right now, retry later');
      }
      upstream = opened;
    }
    const declared = Number(upstream.headers.get('content-length') ?? NaN);
    const upstreamType = essence(upstream.headers.get('content-type'));
    const declaredType = 'mime_type' in file ? (file.mime_type as string | undefined) : undefined;
    const type = essence(declaredType) ?? (upstreamType !== OCTET_STREAM ? upstreamType : undefined) ?? contentTypeFromName(name) ?? OCTET_STREAM;
    writeHeaders(call.res, { type, length: Number.isSafeInteger(declared) && declared >= 0 ? declared : undefined, name });
    await stream(upstream, call.res, timeoutMs, caller, call.log);
    return { streamed: true };
  };
}

function writeHeaders(res: ServerResponse, file: { readonly type: string; readonly length: number | undefined; readonly name: string }): void {
  res.statusCode = 200;
  res.setHeader('content-type', file.type);
  if (file.length !== undefined) res.setHeader('content-length', String(file.length));
  res.setHeader('content-disposition', attachmentDisposition(file.name));
  // The link is the person's alone and lives an hour: no shared cache keeps it.
  res.setHeader('cache-control', 'private, max-age=3600');
  // What people and agents send is served from the app's own origin: never let it run as a page.
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('content-security-policy', "default-src 'none'; sandbox");
}

/** Pipes the body with backpressure; a body that stops moving for `timeoutMs` is cut, a slow one is not. */
async function stream(upstream: Response, res: ServerResponse, timeoutMs: number, caller: AbortController, log: AppCall['log']): Promise<void> {
  const stalled = new AbortController();
  let timer = setTimeout(() => stalled.abort(timeoutReason(`no bytes in ${timeoutMs} ms`)), timeoutMs);
  let bytes = 0;
  const watchdog = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      clearTimeout(timer);
      timer = setTimeout(() => stalled.abort(timeoutReason(`no bytes in ${timeoutMs} ms`)), timeoutMs);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  const body = Readable.fromWeb(upstream.body as WebReadableStream<Uint8Array>);
  const stop = () => body.destroy(new Error('stalled'));
  stalled.signal.addEventListener('abort', stop, { once: true });
  try {
    await pipeline(body, watchdog, res);
    log.info({ bytes }, 'file streamed to the app');
  } catch {
    if (!caller.signal.aborted) log.warn({ bytes, problem: stalled.signal.aborted ? 'timeout' : 'interrupted' }, 'file stream to the app broke off');
    res.destroy();
  } finally {
    clearTimeout(timer);
  }
}

import { essence, isPhotoType, OCTET_STREAM } from '../../files/content-type.js';
import { readRawBody } from '../../http/raw-body.js';
import { answer, failure, type AppAnswer, type AppCall, type MiniAppDeps } from '../deps.js';

/**
 * Vercel refuses a function request body over 4.5 MB before the function runs: a file the page sends
 * stays under it (the page shrinks large photos first and refuses bigger files with a clear word).
 */
export const MAX_APP_UPLOAD_BYTES = 4 * 1024 * 1024;
/** A picked file is attached within this time, or picked again. */
const UPLOAD_TOKEN_TTL_SECONDS = 86_400;

/**
 * `POST /api/app/uploads?name=…&type=…` with the file's bytes (application/octet-stream): the file is
 * put on Telegram through the person's own chat (sent silently, deleted at once), because the
 * backend contract's files are Telegram file ids the backend downloads through /api/files. The answer
 * is a token the person's comment or new request carries; only its uploader can use it.
 */
export function createUploadFile(deps: Pick<MiniAppDeps, 'botApi' | 'uploads'>) {
  return async (call: AppCall): Promise<AppAnswer> => {
    const name = cleanName(call.query.get('name') ?? '');
    const type = essence(call.query.get('type')) ?? OCTET_STREAM;
    const body = await readRawBody(call.req, MAX_APP_UPLOAD_BYTES);
    if (!body.ok) return failure(body.status, body.status === 413 ? 'too_large' : 'invalid_body', body.error, { max_bytes: MAX_APP_UPLOAD_BYTES });
    if (body.bytes.length === 0) return failure(400, 'invalid_body', 'the file is empty');
    const kind = isPhotoType(type) ? 'photo' : 'document';
    const stored = await deps.botApi.storeFile(call.user.id, { bytes: body.bytes, name, mimeType: type, kind });
    if (!stored.ok) {
      if (stored.problem === 'chat_unavailable') return failure(409, 'chat_unavailable', 'start the chat with the bot first, then add the file again');
      if (stored.problem === 'rejected') return failure(400, 'file_rejected', 'Telegram did not take this file');
      return failure(503, 'telegram_unavailable', 'the file could not be stored right now, add it again');
    }
    call.log.info({ kind, bytes: body.bytes.length }, 'file uploaded');
    const token = deps.uploads.sign({ u: call.user.id, id: stored.result.fileId, k: kind, n: name, m: type }, UPLOAD_TOKEN_TTL_SECONDS);
    return answer(201, { token, kind, name, mime_type: type, size: body.bytes.length });
  };
}

/** A file name as the backend will show it: no path, no control characters, not too long. */
function cleanName(raw: string): string {
  const base = raw.slice(Math.max(raw.lastIndexOf('/'), raw.lastIndexOf('\\')) + 1);
  const clean = [...base].filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f && c !== '"').join('').trim().slice(0, 200);
  return clean === '' || clean === '.' || clean === '..' ? 'file' : clean;
}

import * as v from 'valibot';
import type { CustomerFile } from '../backend/schemas.js';
import type { UploadPayload } from './deps.js';
import type { TokenSigner } from './signed-token.js';

/** The files a comment or a new request may carry: at most ten, as the backend contract allows. */
export const UploadTokensSchema = v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(2048))), v.maxLength(10, 'at most 10 files')));

/**
 * The files behind the tokens `POST /api/app/uploads` handed out, only those this person uploaded;
 * undefined when any token is not theirs, altered or expired.
 */
export function uploadedFiles(tokens: readonly string[] | undefined, userId: number, uploads: TokenSigner<UploadPayload>): CustomerFile[] | undefined {
  const files: CustomerFile[] = [];
  for (const token of tokens ?? []) {
    const payload = uploads.verify(token);
    if (payload === undefined || payload.u !== userId) return undefined;
    files.push({ telegram_file_id: payload.id, kind: payload.k, file_name: payload.n, mime_type: payload.m });
  }
  return files;
}

import * as v from 'valibot';
import { BackendError } from '../../backend/backend-error.js';
import type { NewComment } from '../../backend/schemas.js';
import { appCommentKey } from '../../requests/idempotency-keys.js';
import { MAX_COMMENT_LENGTH } from '../../requests/limits.js';
import { answer, failure, type AppAnswer, type AppCall, type MiniAppDeps } from '../deps.js';
import { requestView } from '../request-view.js';
import { UploadTokensSchema, uploadedFiles } from '../uploaded-files.js';
import { isAnswer, ownedOr } from './owned.js';

const CommentBody = v.object({
  /** One per comment the page composes, sent again on a retry: the comment is added once. */
  key: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,40}$/, 'key must be 8-40 characters of A-Z, a-z, 0-9, _ and -')),
  text: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(MAX_COMMENT_LENGTH, `text is at most ${MAX_COMMENT_LENGTH} characters`))),
  files: UploadTokensSchema,
});

/** `POST /api/app/requests/:id/comments`: text and files the person uploaded through the app, on their own open request. */
export function createAddComment(deps: Pick<MiniAppDeps, 'services' | 'fileLinks' | 'uploads'>) {
  return async (call: AppCall): Promise<AppAnswer> => {
    const parsed = v.safeParse(CommentBody, call.body ?? {});
    if (!parsed.success) return failure(400, 'invalid_body', parsed.issues.map((issue) => issue.message).join('; '));
    const { key } = parsed.output;
    const text = parsed.output.text === '' ? undefined : parsed.output.text;
    const files = uploadedFiles(parsed.output.files, call.user.id, deps.uploads);
    if (files === undefined) return failure(400, 'invalid_files', 'a file is not one you uploaded here, or its upload expired: add it again');
    if (text === undefined && files.length === 0) return failure(400, 'invalid_body', 'a comment needs text or files');
    const details = await ownedOr(deps, call, 'app-comment');
    if (isAnswer(details)) return details;
    const body: NewComment = { telegram_user_id: call.user.id, ...(text !== undefined && { text }), ...(files.length > 0 && { attachments: files }) };
    const { backend } = deps.services;
    try {
      const { created } = await backend.addComment(details.id, body, appCommentKey(call.user.id, key));
      call.log.info({ request_id: details.id, created, files: files.length }, 'comment added');
    } catch (error) {
      if (!(error instanceof BackendError)) throw error;
      if (error.status === 404) return failure(404, 'not_found', 'no such request');
      if (error.status === 409) return failure(409, 'closed', 'the request is closed and takes no more comments');
      call.log.error({ err: error, request_id: details.id }, 'adding a comment failed');
      return failure(503, 'backend_unavailable', 'the comment could not be added right now; send it again, it will not be added twice');
    }
    // The thread as it stands now, with the new comment in it.
    const now = await ownedOr(deps, call, 'app-comment');
    return answer(200, requestView(isAnswer(now) ? details : now, call.user.id, deps.fileLinks));
  };
}

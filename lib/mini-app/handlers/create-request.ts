import * as v from 'valibot';
import { BackendError } from '../../backend/backend-error.js';
import type { NewRequest } from '../../backend/schemas.js';
import { encodeCallback } from '../../bot/callback-data.js';
import { escapeHtml } from '../../bot/views/html.js';
import { decodeStartPayload } from '../../deep-link/start-payload.js';
import { messages } from '../../i18n/index.js';
import { submissionKey } from '../../requests/idempotency-keys.js';
import { DESCRIPTION_MAX, DESCRIPTION_MIN } from '../../requests/limits.js';
import { answer, failure, type AppAnswer, type AppCall, type MiniAppDeps } from '../deps.js';
import { UploadTokensSchema, uploadedFiles } from '../uploaded-files.js';

const Id = v.pipe(v.number(), v.integer(), v.minValue(1));
const NewRequestBody = v.object({
  /** Made by the page when the person starts a request and sent again with every retry of Confirm. */
  draft_id: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,40}$/, 'draft_id must be 8-40 characters of A-Z, a-z, 0-9, _ and -')),
  request_type_id: Id,
  side_id: Id,
  category_id: Id,
  description: v.pipe(v.string(), v.trim(), v.minLength(DESCRIPTION_MIN, `description is at least ${DESCRIPTION_MIN} characters`), v.maxLength(DESCRIPTION_MAX, `description is at most ${DESCRIPTION_MAX} characters`)),
  /** What `WebApp.requestContact` answered, signed by Telegram: the phone is taken from it only. */
  contact: v.optional(v.pipe(v.string(), v.maxLength(4096))),
  files: UploadTokensSchema,
});

/**
 * `POST /api/app/requests`: the chat's submission from the app. The same 5-an-hour limit, the same
 * Idempotency-Key scheme (the person and the page's draft id, so Confirm tapped twice or retried
 * after a lost answer creates one request), the location only from the signed `startapp` payload,
 * and the phone only from Telegram's signed contact. The chat is told, once.
 */
export function createCreateRequest(deps: Pick<MiniAppDeps, 'services' | 'uploads' | 'verifier' | 'botApi' | 'config'>) {
  return async (call: AppCall): Promise<AppAnswer> => {
    const parsed = v.safeParse(NewRequestBody, call.body ?? {});
    if (!parsed.success) return failure(400, 'invalid_body', parsed.issues.map((issue) => issue.message).join('; '));
    const body = parsed.output;
    const { user } = call;
    const { catalog, backend } = deps.services;
    const files = uploadedFiles(body.files, user.id, deps.uploads);
    if (files === undefined) return failure(400, 'invalid_files', 'a file is not one you uploaded here, or its upload expired: add it again');
    let phone: string | undefined;
    if (body.contact !== undefined) {
      const contact = deps.verifier.contact(body.contact);
      if (!contact.ok || contact.contact.userId !== user.id) return failure(400, 'invalid_contact', 'the phone number must be your own, shared through Telegram');
      phone = contact.contact.phoneNumber;
    }
    let service;
    try {
      service = await catalog.findCategory(body.request_type_id, body.side_id, body.category_id, call.lang);
    } catch (error) {
      if (!(error instanceof BackendError)) throw error;
      call.log.error({ err: error }, 'loading the catalogue failed');
      return failure(503, 'backend_unavailable', 'the catalogue cannot be loaded right now, retry later');
    }
    if (!service) return failure(400, 'unknown_service', 'that service is not in the catalogue any more: choose it again');
    const link = call.initData.startParam === undefined ? undefined : decodeStartPayload(call.initData.startParam);
    const location = link && link.typeId === body.request_type_id && link.sideId === body.side_id && link.categoryId === body.category_id ? link.location : undefined;

    if (!(await withinLimit(deps, call, body.draft_id))) {
      call.log.info({ handler: 'app-create' }, 'submission rate limited');
      return failure(429, 'rate_limited', 'several requests were sent recently; try again later');
    }
    const request: NewRequest = {
      request_type_id: body.request_type_id,
      side_id: body.side_id,
      category_id: body.category_id,
      description: body.description,
      ...(phone !== undefined && { contact_phone: phone }),
      ...(files.length > 0 && { attachments: files.map((file) => ({ telegram_file_id: file.telegram_file_id, kind: file.kind })) }),
      ...(location !== undefined && { location }),
      telegram: {
        user_id: user.id,
        chat_id: user.id,
        ...(user.username !== undefined && { username: user.username }),
        ...(user.languageCode !== undefined && { language_code: user.languageCode }),
      },
    };
    let created;
    try {
      created = await backend.createRequest(request, submissionKey(user.id, body.draft_id));
    } catch (error) {
      if (!(error instanceof BackendError)) throw error;
      call.log.error({ err: error }, 'request submission failed');
      return failure(503, 'backend_unavailable', 'the request could not be sent right now; Confirm again, it will not be created twice');
    }
    call.log.info({ request_id: created.request.id, number: created.request.number, created: created.created }, 'request submitted');
    // The chat hears of it once: a retried Confirm gets the same request back (200), and no second message.
    if (created.created) await tellChat(deps, call, created.request);
    return answer(created.created ? 201 : 200, { id: created.request.id, number: created.request.number, status: created.request.status });
  };
}

/** A draft is counted once: its first Confirm marks it, and a retry (a lost answer, a double tap) is not a new submission. */
const DRAFT_MARK_TTL_SECONDS = 86_400;

/**
 * The chat's 5-an-hour limit, counted once per draft, as the chat counts a draft once (its session
 * remembers a submitted draft; the app's draft is remembered in the store, one round trip).
 */
async function withinLimit(deps: Pick<MiniAppDeps, 'services'>, call: AppCall, draftId: string): Promise<boolean> {
  const { store, submissionLimiter } = deps.services;
  const key = `app-draft:${call.user.id}:${draftId}`;
  let first = true;
  try {
    [first] = await store.exec([{ op: 'set', key, value: '1', ttlSeconds: DRAFT_MARK_TTL_SECONDS, onlyIfAbsent: true }]);
  } catch (error) {
    // Without the store every Confirm counts, as a store outage must not stop a real request.
    call.log.warn({ err: error }, '[store] draft mark not written; this Confirm counts against the limit');
  }
  if (!first) return true;
  if ((await submissionLimiter.allow(call.user.id)).allowed) return true;
  // Refused: the draft may be confirmed again later, and must count then.
  await store.exec([{ op: 'del', key }]).catch(() => undefined);
  return false;
}

async function tellChat(deps: Pick<MiniAppDeps, 'botApi' | 'config'>, call: AppCall, request: { readonly id: string; readonly number: string }): Promise<void> {
  const { lang } = call;
  const t = messages(lang);
  const row: object[] = [{ text: t.buttonViewRequest(request.number), callback_data: encodeCallback({ kind: 'open-request', lang, requestId: request.id }) }];
  const appUrl = deps.config.miniApp.url;
  const keyboard = { inline_keyboard: [row, ...(appUrl ? [[{ text: t.buttonOpenInApp, web_app: { url: `${appUrl}?request=${encodeURIComponent(request.id)}` } }]] : [])] };
  const sent = await deps.botApi.sendMessage(call.user.id, t.createdInApp(escapeHtml(request.number)), keyboard);
  // The request exists either way; a chat that cannot be written to is the person's to open.
  if (!sent.ok) call.log.warn({ problem: sent.problem }, 'the chat was not told of a request made in the app');
}

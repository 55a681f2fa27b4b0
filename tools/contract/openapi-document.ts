import * as v from 'valibot';
import { backendRoutes, type BackendRoute } from '../../lib/backend/backend-client.js';
import { ErrorBodySchema } from '../../lib/backend/schemas.js';
import { contractJsonSchemas, type ContractJsonSchemas } from './json-schema.js';
import { NOTIFY_ANSWER_SCHEMAS, NotifyAnswerSchema, NotifyRefusedSchema, NotifyRejectedSchema, NotifyRetryLaterSchema } from './notify-answers.js';
import { EVENTS, ROUTES, type BodyDoc, type ErrorDoc, type Example, type ParameterDoc, type RouteDoc } from './routes.js';

/**
 * The backend contract as an OpenAPI 3.1 document: the calls the bot makes (`paths`, from
 * `backendRoutes` and the ROUTES table) and the calls the backend makes to the bot (`webhooks`:
 * one per notify event kind, and the file download). Schemas come from lib/backend/schemas.ts.
 */

type Json = Record<string, unknown>;

export const OPENAPI_FILE = 'docs/backend-openapi.json';

/** `/requests/:id` → `/requests/{id}`; the query part of a template is not part of the path. */
export function openApiPath(template: string): string {
  return (template.split('?')[0] ?? template).replace(/:([A-Za-z_]+)/g, '{$1}');
}

function pathParameterNames(template: string): string[] {
  return [...(template.split('?')[0] ?? '').matchAll(/:([A-Za-z_]+)/g)].map((match) => match[1] as string);
}

/** An error body whose `code` is one of `codes`: what a 409 of that route may say. */
export function errorBodyWithCodes(codes: readonly [string, ...string[]]) {
  return v.object({ error: v.object({ code: v.picklist(codes), message: v.string() }) });
}

const ERROR_MESSAGES: Readonly<Record<string, string>> = {
  not_found: 'No such request',
  invalid_request: 'Invalid request body: description',
  unknown_category: 'The category does not belong to that request type and side',
  invalid_status: 'The request is not in a status that allows this',
  reopen_limit: 'The request has been reopened as often as allowed; open a new one',
  already_rated: 'The request has been rated already',
  not_rated: 'The request has no rating to comment on yet',
  idempotency_conflict: 'This Idempotency-Key was used with a different body',
  request_closed: 'This request no longer takes comments',
};
const GENERIC_CODES: Readonly<Record<ErrorDoc['status'], string>> = { 400: 'invalid_request', 404: 'not_found', 409: 'conflict', 422: 'unknown_category' };

export const IdempotencyKeySchema = v.pipe(v.string(), v.minLength(1), v.maxLength(255));
const AcceptLanguageSchema = v.pipe(v.string(), v.nonEmpty());
const RetryAfterSchema = v.pipe(v.number(), v.integer(), v.minValue(0));
const TelegramFileIdSchema = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,255}$/));

export interface DocumentOptions {
  /** `info.version`: the package's version. */
  readonly version: string;
}

export function buildOpenApiDocument(options: DocumentOptions): Json {
  const schemas = contractJsonSchemas(NOTIFY_ANSWER_SCHEMAS);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Service desk bot: the backend contract',
      version: options.version,
      summary: 'What an organisation’s backend implements so the Telegram service desk bot can serve its people.',
      description: INTRO,
    },
    servers: [{ url: 'https://backend.example.com/v1', description: '`BACKEND_URL`: every path is relative to it (it may end in a path prefix).' }],
    security: [{ backendApiKey: [] }, {}],
    tags: [
      { name: 'catalogue', description: 'Request types, sides and service categories.' },
      { name: 'requests', description: 'Submitting, listing and reading requests; comments.' },
      { name: 'lifecycle', description: 'What the person does with a request: cancel, confirm, reopen, rate.' },
      { name: 'to the bot', description: 'Calls the backend makes to the bot.' },
    ],
    paths: paths(schemas),
    webhooks: webhooks(schemas),
    components: {
      schemas: schemas.components,
      securitySchemes: {
        backendApiKey: { type: 'http', scheme: 'bearer', description: '`Authorization: Bearer <BACKEND_API_KEY>`, sent on every call when `BACKEND_API_KEY` is set.' },
        notifySecret: { type: 'http', scheme: 'bearer', description: '`Authorization: Bearer <NOTIFY_SECRET>` on `POST <bot>/api/notify`.' },
        filesSecret: { type: 'http', scheme: 'bearer', description: '`Authorization: Bearer <FILES_SECRET>` (or `NOTIFY_SECRET` while `FILES_SECRET` is unset) on `GET <bot>/api/files/{telegram_file_id}`.' },
      },
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: true,
          description: 'The bot’s name for this action, the same on every retry of it. The same key with the same body answers 200 with what the first call did and does nothing twice; with another body, 409 `idempotency_conflict`.',
          schema: schemas.of(IdempotencyKeySchema),
          example: 'tg-123456789-cancel-3f6c1e2a-8b4d-4f7a-9c21-5d0e7b3a9f14',
        },
        AcceptLanguage: {
          name: 'Accept-Language',
          in: 'header',
          required: false,
          description: 'The person’s language (`en`, `ru`). A backend may answer names and texts in it; one that ignores it answers as always. Ids never depend on it.',
          schema: schemas.of(AcceptLanguageSchema),
          example: 'ru',
        },
      },
      headers: {
        RetryAfter: {
          description: 'Seconds to wait before trying again (or an HTTP date).',
          schema: schemas.of(RetryAfterSchema),
          example: 2,
        },
      },
      responses: {
        Unauthorized: errorResponse(schemas, 'Missing or wrong API key (when the backend requires one).', { $ref: '#/components/schemas/ErrorBody' }, [
          { summary: 'unauthorized', value: { error: { code: 'unauthorized', message: 'Missing or wrong API key' } } },
        ]),
        RetryLater: {
          ...errorResponse(
            schemas,
            'Busy or briefly unavailable. The bot retries GETs and keyed POSTs and PATCHes twice with backoff, honouring `Retry-After` up to 3 s; longer, it tells the person to try later.',
            { $ref: '#/components/schemas/ErrorBody' },
            [{ summary: 'unavailable', value: { error: { code: 'unavailable', message: 'Try again in a moment' } } }],
          ),
          headers: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } },
        },
        ServerError: errorResponse(schemas, 'The backend failed. The bot retries as for 503, then tells the person to try later (a submission keeps its draft).', { $ref: '#/components/schemas/ErrorBody' }, [
          { summary: 'internal', value: { error: { code: 'internal', message: 'Internal error' } } },
        ]),
      },
    },
  };
}

const INTRO = [
  'JSON over HTTP(S). Every answer is validated by the bot; a malformed one is an error the person hears as "try again later", never a crash.',
  'Errors are a 4xx/5xx status with `{"error": {"code", "message"}}`; the codes the bot acts on are listed with each call.',
  'Objects may carry more fields than described: the bot ignores them. `null` and a missing optional field mean the same.',
  'String lengths count the text after leading and trailing blanks are trimmed.',
  '',
  'The prose, with the reasons behind each rule: `docs/backend-contract.md`. Check a backend against it with `npm run contract:check -- --url <backend>`.',
].join('\n');

function paths(schemas: ContractJsonSchemas): Json {
  const result: Record<string, Json> = {};
  for (const [name, route] of Object.entries(backendRoutes) as [BackendRoute, (typeof backendRoutes)[BackendRoute]][]) {
    const path = openApiPath(route.template);
    const item = (result[path] ??= {});
    const method = route.method.toLowerCase();
    if (item[method] !== undefined) throw new Error(`Two routes are ${route.method} ${path}`);
    item[method] = operation(schemas, name, route.template, ROUTES[name]);
  }
  return result;
}

function operation(schemas: ContractJsonSchemas, name: BackendRoute, template: string, doc: RouteDoc | undefined): Json {
  if (doc === undefined) throw new Error(`Route ${name} has no entry in ROUTES (tools/contract/routes.ts)`);
  const parameters: Json[] = [];
  for (const parameterName of pathParameterNames(template)) {
    const parameterDoc = doc.path?.[parameterName];
    if (parameterDoc === undefined) throw new Error(`Route ${name}: describe the path parameter :${parameterName} in ROUTES`);
    parameters.push(parameter(schemas, parameterName, 'path', parameterDoc));
  }
  for (const [parameterName, parameterDoc] of Object.entries(doc.query ?? {})) parameters.push(parameter(schemas, parameterName, 'query', parameterDoc));
  if (doc.idempotencyKey !== undefined) parameters.push({ $ref: '#/components/parameters/IdempotencyKey' });
  if (doc.localized === true) parameters.push({ $ref: '#/components/parameters/AcceptLanguage' });

  const responses: Json = {};
  for (const status of [201, 200] as const) {
    const answer = doc.answers[status];
    if (answer !== undefined) responses[String(status)] = jsonContent(schemas, answer);
  }
  const statuses = new Set<number>();
  for (const error of doc.errors) {
    if (statuses.has(error.status)) throw new Error(`Route ${name}: one entry per error status (${error.status} twice)`);
    statuses.add(error.status);
    responses[String(error.status)] = routeError(schemas, error);
  }
  responses['401'] = { $ref: '#/components/responses/Unauthorized' };
  responses['429'] = { $ref: '#/components/responses/RetryLater' };
  responses['503'] = { $ref: '#/components/responses/RetryLater' };
  responses['5XX'] = { $ref: '#/components/responses/ServerError' };

  const keyNote = doc.idempotencyKey === undefined ? '' : `\n\nIdempotency-Key: ${doc.idempotencyKey}`;
  return {
    operationId: name,
    tags: [doc.tag],
    summary: doc.summary,
    description: doc.description + keyNote,
    ...(parameters.length > 0 && { parameters }),
    ...(doc.body !== undefined && { requestBody: { required: true, ...jsonContent(schemas, doc.body) } }),
    responses,
  };
}

function parameter(schemas: ContractJsonSchemas, name: string, where: 'path' | 'query', doc: ParameterDoc): Json {
  return { name, in: where, required: where === 'path' || doc.required, description: doc.description, schema: schemas.of(doc.schema), example: doc.example };
}

function jsonContent(schemas: ContractJsonSchemas, doc: BodyDoc): Json {
  return { description: doc.description, content: { 'application/json': { schema: schemas.of(doc.schema), examples: examples(doc.examples) } } };
}

function examples(list: readonly Example[]): Json {
  return Object.fromEntries(list.map((example) => [slug(example.summary), { summary: example.summary, value: example.value }]));
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function errorResponse(_schemas: ContractJsonSchemas, description: string, schema: unknown, list: readonly Example[]): Json {
  return { description, content: { 'application/json': { schema, examples: examples(list) } } };
}

function routeError(schemas: ContractJsonSchemas, error: ErrorDoc): Json {
  const codes = error.codes !== undefined && error.codes.length > 0 ? (error.codes as [string, ...string[]]) : undefined;
  const shown = codes ?? [GENERIC_CODES[error.status]];
  const schema = codes === undefined ? schemas.of(ErrorBodySchema) : schemas.of(errorBodyWithCodes(codes));
  const described = codes === undefined ? error.description : `${error.description} \`error.code\`: ${codes.map((code) => `\`${code}\``).join(', ')}.`;
  return errorResponse(
    schemas,
    described,
    schema,
    shown.map((code) => ({ summary: code, value: { error: { code, message: ERROR_MESSAGES[code] ?? 'Refused' } } })),
  );
}

function webhooks(schemas: ContractJsonSchemas): Json {
  const result: Json = {};
  for (const [kind, event] of Object.entries(EVENTS)) {
    result[kind] = {
      post: {
        operationId: `notify${kind.charAt(0).toUpperCase()}${kind.slice(1).replace(/_(.)/g, (_all, letter: string) => letter.toUpperCase())}`,
        tags: ['to the bot'],
        summary: `${event.summary}: POST <bot>/api/notify`,
        description: `${event.description}\n\n${NOTIFY_RULES}`,
        security: [{ notifySecret: [] }],
        requestBody: { required: true, ...jsonContent(schemas, event.body) },
        responses: notifyResponses(schemas),
      },
    };
  }
  result.files = { get: fileDownload(schemas) };
  return result;
}

const NOTIFY_RULES = [
  'Sent to `POST <bot deployment>/api/notify`, body at most 16 KB.',
  '`event_id` (1-128 of `A-Z a-z 0-9 _ . : -`) is the backend’s id of the event, **the same on every retry of it**: the bot then sends an event at most once in 24 hours and answers a copy `duplicate: true`. Without it every POST sends a message.',
  'Retry 429 and 503 no sooner than `Retry-After`; do not retry 200, 400, 401 or 422.',
].join('\n\n');

function notifyResponses(schemas: ContractJsonSchemas): Json {
  const retryLater = (description: string, summary: string, seconds: number): Json => ({
    description,
    headers: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } },
    content: {
      'application/json': {
        schema: schemas.of(NotifyRetryLaterSchema),
        examples: examples([{ summary, value: { error: `${summary}: retry after the Retry-After seconds`, retry_after: seconds } }]),
      },
    },
  });
  const refused = (description: string, value: unknown): Json => ({
    description,
    content: { 'application/json': { schema: schemas.of(NotifyRefusedSchema), examples: examples([{ summary: description, value }]) } },
  });
  return {
    '200': {
      description: 'Told, told before (the same `event_id`), or the person blocked the bot: stop.',
      content: {
        'application/json': {
          schema: schemas.of(NotifyAnswerSchema),
          examples: examples([
            { summary: 'Told', value: { delivered: true, messageId: 4711 } },
            { summary: 'Told before', value: { delivered: true, messageId: 4711, duplicate: true } },
            { summary: 'Blocked', value: { delivered: false, reason: 'blocked' } },
          ]),
        },
      },
    },
    '400': refused('Not a valid event: `fields` names what is wrong. Fix the event; do not retry it.', { error: 'invalid notification', fields: ['telegram_user_id'] }),
    '401': refused('Missing or wrong secret. Fix the configuration.', { error: 'unauthorized' }),
    '413': refused('Body over 16 KB.', { error: 'body is larger than 16384 bytes' }),
    '422': {
      description:
        'Telegram refused the message the bot built for this event (a 400 other than "chat not found" or "user is deactivated"): the bot’s own error, logged on its side. The event is not marked sent. Alert someone; retrying the same event fails the same way until the bot is fixed.',
      content: {
        'application/json': {
          schema: schemas.of(NotifyRejectedSchema),
          examples: examples([
            {
              summary: 'Telegram refused the message',
              value: {
                delivered: false,
                reason: 'rejected',
                telegram: { code: 400, description: "Bad Request: can't parse entities" },
                error: 'Telegram refused the message the bot built for this event',
              },
            },
          ]),
        },
      },
    },
    '429': retryLater('Telegram’s flood control, or this bot instance is at its send pace. Retry after `Retry-After`.', 'Telegram rate limit', 7),
    '503': retryLater(
      'Telegram failed or is unreachable (about 3 s), the store cannot say whether the event was sent (3 s), or the same event is being sent right now (1 s). Retry after `Retry-After`. Without `Retry-After`: the bot could not start, or `NOTIFY_SECRET` is not set.',
      'Telegram failed or is unreachable',
      3,
    ),
  };
}

function fileDownload(schemas: ContractJsonSchemas): Json {
  const refused = (description: string): Json => ({ description });
  return {
    operationId: 'downloadFile',
    tags: ['to the bot'],
    summary: 'Fetch a file a person sent: GET <bot>/api/files/{telegram_file_id}',
    description:
      'Attachments carry Telegram’s `telegram_file_id`; the backend fetches the bytes from the bot, never from Telegram (that would need the bot token). The answer streams the file. `HEAD` answers the same headers without the body.',
    security: [{ filesSecret: [] }],
    parameters: [{ name: 'telegram_file_id', in: 'path', required: true, description: 'The `telegram_file_id` of an attachment.', schema: schemas.of(TelegramFileIdSchema), example: 'AgACAgIAAxkBAAIBQ2Xq' }],
    responses: {
      '200': {
        description: 'The file.',
        headers: {
          'Content-Type': { description: 'Telegram’s, else from the file’s extension, else `application/octet-stream`.', schema: { type: 'string' } },
          'Content-Length': { description: 'The size in bytes.', schema: { type: 'integer' } },
          'Content-Disposition': { description: '`attachment; filename="…"`.', schema: { type: 'string' } },
          'Cache-Control': { description: '`private, max-age=86400, immutable`: a file id always names the same bytes.', schema: { type: 'string' } },
        },
        content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } },
      },
      '400': refused('Not 1-255 of `A-Za-z0-9_-`.'),
      '401': refused('Missing or wrong secret.'),
      '404': refused('Telegram does not know the id.'),
      '413': refused('Over the 20 MB Telegram lets bots download.'),
      '502': refused('Telegram failed.'),
      '503': { description: 'Telegram rate-limits (with `Retry-After`), or neither secret is set.', headers: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } } },
      '504': refused('Telegram did not answer in 10 s.'),
    },
  };
}

/** The file's text: stable key order (the tables' order), two-space indents, a final newline. */
export function renderOpenApiDocument(document: Json): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

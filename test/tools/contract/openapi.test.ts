// docs/backend-openapi.json: written from the contract's valibot schemas, never by hand. It must
// be what the schemas give, name every call of backendRoutes and every notify event kind, be valid
// OpenAPI 3.1, agree with valibot on every example, and turn into types a common generator emits.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { validate } from '@readme/openapi-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backendRoutes } from '../../../lib/backend/backend-client.js';
import { NotificationEventSchema, NewCommentSchema, ReopenRequestSchema, CommentNotificationSchema } from '../../../lib/backend/schemas.js';
import { OPENAPI_FILE, buildOpenApiDocument, openApiPath } from '../../../tools/contract/openapi-document.js';
import { generatedOpenApiText } from '../../../tools/contract/openapi.js';
import { EVENTS, ROUTES } from '../../../tools/contract/routes.js';
import { contractJsonSchemas } from '../../../tools/contract/json-schema.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const run = promisify(execFile);
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- walking a JSON document

const committed = readFileSync(join(root, OPENAPI_FILE), 'utf8');
const document = JSON.parse(committed) as Json;

/** The kind each variant of the notify event schema carries (`status` is optional there). */
function eventKinds(): string[] {
  return NotificationEventSchema.options.map((option) => {
    let kind: v.GenericSchema = option.entries.kind;
    while ('wrapped' in kind) kind = (kind as unknown as { wrapped: v.GenericSchema }).wrapped;
    return String((kind as unknown as { literal: unknown }).literal);
  });
}

describe('one source, no drift', () => {
  test('the committed file is what the schemas give (npm run contract:openapi writes it)', () => {
    expect(committed, `${OPENAPI_FILE} is stale: run npm run contract:openapi`).toBe(generatedOpenApiText());
  });

  test('every route of backendRoutes is a path with its method and operationId', () => {
    const routes = Object.entries(backendRoutes);
    expect(routes.length).toBeGreaterThanOrEqual(11);
    const missing = routes
      .filter(([name, route]) => document.paths?.[openApiPath(route.template)]?.[route.method.toLowerCase()]?.operationId !== name)
      .map(([name, route]) => `${name} (${route.method} ${route.template})`);
    expect(missing).toEqual([]);
    // And nothing in the document that the bot does not call.
    const operations = Object.values(document.paths as Json).flatMap((item: Json) => Object.values(item).map((op: Json) => op.operationId as string));
    expect(operations.sort()).toEqual(Object.keys(backendRoutes).sort());
  });

  test('every notify event kind is a webhook whose body is that kind’s schema', () => {
    const kinds = eventKinds();
    expect(kinds).toEqual(expect.arrayContaining(['status', 'comment']));
    for (const kind of kinds) {
      const body = document.webhooks?.[kind]?.post?.requestBody?.content?.['application/json']?.schema;
      expect(body, `webhook ${kind}`).toBeDefined();
      expect(Object.keys(EVENTS)).toContain(kind);
    }
    const refs = kinds.map((kind) => document.webhooks[kind].post.requestBody.content['application/json'].schema.$ref as string);
    expect(new Set(refs).size).toBe(kinds.length);
  });

  test('a route missing from the table stops the generator with its name', () => {
    const table = ROUTES as Record<string, unknown>;
    const saved = table.rateRequest;
    delete table.rateRequest;
    try {
      expect(() => buildOpenApiDocument({ version: '0' })).toThrow(/rateRequest has no entry in ROUTES/);
    } finally {
      table.rateRequest = saved;
    }
  });

  test('headers, status codes and error bodies are in it, not only shapes', () => {
    const cancel = document.paths['/requests/{id}/cancel'].post as Json;
    const headerNames = (cancel.parameters as Json[]).map((p) => (p.$ref as string | undefined) ?? p.name);
    expect(headerNames).toContain('#/components/parameters/IdempotencyKey');
    expect(document.components.parameters.IdempotencyKey).toMatchObject({ name: 'Idempotency-Key', in: 'header', required: true });
    expect(document.components.parameters.AcceptLanguage).toMatchObject({ name: 'Accept-Language', in: 'header', required: false });
    expect(document.components.securitySchemes.backendApiKey).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    expect(Object.keys(cancel.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '404', '409', '429', '503', '5XX']));
    const codesOf = (path: string, method = 'post') =>
      document.paths[path][method].responses['409'].content['application/json'].schema.properties.error.properties.code.enum as string[];
    expect(codesOf('/requests/{id}/reopen')).toEqual(['invalid_status', 'reopen_limit', 'idempotency_conflict']);
    expect(codesOf('/requests/{id}/rating')).toEqual(['already_rated', 'invalid_status', 'idempotency_conflict']);
    expect(codesOf('/requests')).toEqual(['idempotency_conflict']);
    expect(document.components.schemas.ErrorBody).toMatchObject({ required: ['error'], properties: { error: { required: ['code', 'message'] } } });
    expect(Object.keys(document.paths['/requests'].post.responses)).toEqual(expect.arrayContaining(['200', '201', '409']));
    const notify = document.webhooks.status.post.responses as Json;
    expect(notify['429'].headers['Retry-After']).toBeDefined();
    expect(notify['503'].headers['Retry-After']).toBeDefined();
    expect(document.webhooks.files.get.operationId).toBe('downloadFile');
  });
});

describe('valid and consistent', () => {
  test('valid OpenAPI 3.1 (@readme/openapi-parser), and a broken copy is not', async () => {
    const result = await validate(structuredClone(document) as never);
    expect(result).toMatchObject({ valid: true, specification: 'OpenAPI' });
    const broken = structuredClone(document);
    broken.paths['/requests'].post.responses['201'].content = 'not a content map';
    const refused = await validate(broken as never);
    expect(refused.valid).toBe(false);
  });

  test('every example agrees with its JSON Schema (ajv, 2020-12) and with the valibot schema', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema(document, 'doc');
    const pointer = (path: string[]) => `doc#/${path.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
    let checked = 0;
    const failures: string[] = [];
    // Walks every media type and parameter with examples.
    const visit = (node: unknown, path: string[]) => {
      if (typeof node !== 'object' || node === null) return;
      const object = node as Json;
      if (object.schema !== undefined && (object.examples !== undefined || object.example !== undefined)) {
        const check = ajv.compile({ $ref: pointer([...path, 'schema']) });
        const values = object.examples !== undefined ? Object.values(object.examples as Json).map((example: Json) => example.value) : [object.example];
        for (const value of values) {
          checked += 1;
          if (!check(value)) failures.push(`${path.join('/')}: ${ajv.errorsText(check.errors)}`);
        }
      }
      for (const [key, child] of Object.entries(object)) if (key !== 'examples' && key !== 'schema') visit(child, [...path, key]);
    };
    visit(document.paths, ['paths']);
    visit(document.webhooks, ['webhooks']);
    visit(document.components.parameters, ['components', 'parameters']);
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(40);

    // valibot agrees on every example of the table: the shapes the bot validates with.
    const bodies = [
      ...Object.values(ROUTES).flatMap((route) => [route.body, route.answers[200], route.answers[201]]),
      ...Object.values(EVENTS).map((event) => event.body),
    ].filter((doc) => doc !== undefined);
    const refused = bodies.flatMap((doc) => doc.examples.filter((example) => !v.safeParse(doc.schema, example.value).success).map((example) => example.summary));
    expect(refused).toEqual([]);
  });

  test('the rules valibot checks with a function are in the JSON Schema too: both refuse the same bodies', () => {
    const ajv = new Ajv2020({ strict: false });
    addFormats.default(ajv);
    ajv.addSchema(document, 'doc');
    const json = (name: string) => ajv.compile({ $ref: `doc#/components/schemas/${name}` });
    const cases: [string, v.GenericSchema, unknown, boolean][] = [
      ['NewComment', NewCommentSchema, { telegram_user_id: 1 }, false],
      ['NewComment', NewCommentSchema, { telegram_user_id: 1, text: '   ' }, false],
      ['NewComment', NewCommentSchema, { telegram_user_id: 1, attachments: [] }, false],
      ['NewComment', NewCommentSchema, { telegram_user_id: 1, text: 'Thanks' }, true],
      ['NewComment', NewCommentSchema, { telegram_user_id: 1, attachments: [{ telegram_file_id: 'f', kind: 'photo' }] }, true],
      ['ReopenRequest', ReopenRequestSchema, { telegram_user_id: 1 }, false],
      ['ReopenRequest', ReopenRequestSchema, { telegram_user_id: 1, attachments: [] }, false],
      ['ReopenRequest', ReopenRequestSchema, { telegram_user_id: 1, reason: 'Still dripping' }, true],
      ['CommentNotification', CommentNotificationSchema, { kind: 'comment', request_id: 'r', number: 'SR-1', telegram_user_id: 1, comment: { text: ' ' } }, false],
      ['CommentNotification', CommentNotificationSchema, { kind: 'comment', request_id: 'r', number: 'SR-1', telegram_user_id: 1, comment: { text: 'Hi' } }, true],
    ];
    const disagreements = cases.flatMap(([name, schema, value, expected]) => {
      const valibot = v.safeParse(schema, value).success;
      const jsonSchema = json(name)(value);
      return valibot === expected && jsonSchema === expected ? [] : [`${name} ${JSON.stringify(value)}: valibot ${valibot}, JSON Schema ${jsonSchema}`];
    });
    expect(disagreements).toEqual([]);
  });

  test('a check the generator has no rule for stops it, naming the check', () => {
    const schema = v.pipe(v.object({ a: v.optional(v.string()) }), v.check(() => true, 'an unheard-of rule'));
    expect(() => contractJsonSchemas({ Odd: schema })).toThrow(/an unheard-of rule.*CHECKS/);
  });

  test('the prose names every call and every 409 code of the document', () => {
    const prose = readFileSync(join(root, 'docs/backend-contract.md'), 'utf8');
    const calls = Object.values(backendRoutes).map((route) => `${route.method} ${openApiPath(route.template)}`);
    expect(calls.filter((call) => !prose.includes(call))).toEqual([]);
    const codes = new Set(Object.values(ROUTES).flatMap((route) => route.errors.flatMap((error) => error.codes ?? [])));
    expect([...codes].filter((code) => !prose.includes(`\`${code}\``))).toEqual([]);
    expect(prose).toContain('backend-openapi.json');
  });
});

describe('a common generator: openapi-typescript, then tsc', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'contract-types-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the command of docs/backend-contract.md writes types that type-check a server stub', async () => {
    const bin = (name: string) => join(root, 'node_modules/.bin', name);
    const types = join(dir, 'backend-contract.ts');
    await run(bin('openapi-typescript'), [join(root, OPENAPI_FILE), '--default-non-nullable', 'false', '-o', types], { cwd: root });
    // A stub of a backend, typed by the generated file: a wrong status must not compile.
    writeFileSync(
      join(dir, 'stub.ts'),
      [
        "import type { components, operations, webhooks } from './backend-contract.js';",
        "type NewRequest = operations['createRequest']['requestBody']['content']['application/json'];",
        "type Created = operations['createRequest']['responses'][201]['content']['application/json'];",
        "type Conflict = operations['reopenRequest']['responses'][409]['content']['application/json'];",
        "type Page = operations['listRequests']['responses'][200]['content']['application/json'];",
        "type StatusEvent = NonNullable<webhooks['status']['post']>['requestBody'];",
        'export function create(body: NewRequest): Created {',
        "  return { id: 'r1', number: `SR-${body.category_id}`, status: 'new', created_at: new Date().toISOString() };",
        '}',
        "export const limit: Conflict = { error: { code: 'reopen_limit', message: 'no more' } };",
        "export const page: Page = { items: [], next_cursor: null };",
        "export const event: StatusEvent = { content: { 'application/json': { request_id: 'r1', number: 'SR-1', status: 'resolved', telegram_user_id: 1 } } };",
        "export const history: components['schemas']['StatusHistoryEntry'] = { status: 'closed', at: '2025-01-01T00:00:00Z', comment: null };",
        "// @ts-expect-error: 'open' is not a status of the contract",
        "export const wrong: Created = { id: 'r1', number: 'SR-1', status: 'open', created_at: '' };",
        "// @ts-expect-error: a comment needs text or attachments",
        "export const empty: components['schemas']['NewComment'] = { telegram_user_id: 1 };",
        '',
      ].join('\n'),
    );
    const tsc = run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--module', 'nodenext', '--target', 'es2022', '--skipLibCheck', join(dir, 'stub.ts')], { cwd: dir });
    await expect(tsc).resolves.toBeDefined();
  }, 60_000);
});

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Finding, RuleId } from '../../../tools/analyzer/findings.js';
import { checkProject, checkSource, runStaticChecks } from '../../../tools/analyzer/static-checks.js';

function rulesIn(file: string, text: string): string[] {
  return checkSource(file, text).findings.map((f) => `${f.rule}@${f.line}`);
}

function only(file: string, text: string, rule: RuleId): Finding[] {
  return checkSource(file, text).findings.filter((f) => f.rule === rule);
}

describe('client-per-request', () => {
  test('flags clients, agents and pools built inside the default export of an api/ file', () => {
    const text = [
      "import { Agent } from 'undici';",
      "import { Telegraf } from 'telegraf';",
      "import ky from 'ky';",
      'export default async function handler(req: Request) {',
      '  const agent = new Agent({ connections: 50 });', // 5
      "  const bot = new Telegraf('token');", // 6
      "  const api = ky.create({ prefixUrl: 'x' });", // 7
      '  const backend = createBackendClient({});', // 8
      '  const app = await createApp({});', // 9
      '  const tls = new https.Agent({ keepAlive: true });', // 10
      '  const redis = new Redis({ url, token });', // 11
      '  const limiter = new Ratelimit({ redis });', // 12
      '  const pool = new Pool(origin);', // 13
      "  const child = api.extend({ headers: {} });", // 14: not ky itself
      '  return [agent, bot, api, backend, app, tls, redis, limiter, pool, child];',
      '}',
    ].join('\n');
    const found = only('api/telegram.ts', text, 'client-per-request');
    expect(found.map((f) => f.line)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13]);
    for (const finding of found) {
      expect(finding.severity).toBe('error');
      expect(finding.message).toMatch(/per-request code \(handler: default export of an api\/ file\)/);
      expect(finding.message).toMatch(/handshake/);
      expect(finding.fix).toMatch(/module scope|memoized factory/);
    }
    expect(found[0]?.message).toMatch(/^new Agent\(\.\.\.\)/);
    expect(found[1]?.column).toBe(15);
  });

  test('a client built at module scope, or in a memoized factory, is fine', () => {
    const text = [
      "import { Agent } from 'undici';",
      'const agent = new Agent({ connections: 50 });',
      'let bot: Telegraf | undefined;',
      'let redis: Redis | undefined;',
      'const agents = new Map<string, Agent>();',
      "const getBackend = once(() => createBackendClient({ agent }));",
      'function getBot() { return (bot ??= new Telegraf(token)); }',
      'function getRedis() { if (!redis) { redis = new Redis({ url, token }); } return redis; }',
      'function agentFor(origin: string) { if (!agents.has(origin)) agents.set(origin, new Agent()); return agents.get(origin); }',
      'export default async function handler() {',
      '  return [getBot(), getRedis(), getBackend(), agentFor("x"), agent];',
      '}',
    ].join('\n');
    expect(rulesIn('api/telegram.ts', text)).toEqual([]);
  });

  test('an unguarded assignment to a module variable is still one client per request', () => {
    const text = ['let bot;', 'export default async function handler() {', "  bot = new Telegraf('t');", '}'].join('\n');
    const found = checkSource('api/x.ts', text).findings.map((f) => f.rule);
    expect(found).toContain('client-per-request');
    expect(found).toContain('module-state');
  });

  test('library code that is not per-request (a factory called once) is not flagged', () => {
    const text = [
      'export function createBackendClient(options: Options) {',
      '  const agent = new Agent({ connections: options.maxConnections });',
      '  return ky.create({ prefixUrl: options.baseUrl });',
      '}',
    ].join('\n');
    expect(rulesIn('lib/backend/backend-client.ts', text)).toEqual([]);
  });

  test('handlers: handle*/on* functions, lib/bot/handlers and bot callbacks are per-request', () => {
    expect(rulesIn('lib/x.ts', 'export async function handleUpdate() { const a = new Agent(); }')).toEqual(['client-per-request@1']);
    expect(rulesIn('lib/x.ts', 'export const onText = async () => { const a = new Agent(); };')).toEqual(['client-per-request@1']);
    expect(rulesIn('lib/bot/handlers/start.ts', 'export async function start(ctx) { const r = new Redis({}); }')).toEqual([
      'client-per-request@1',
    ]);
    expect(rulesIn('lib/bot/create.ts', "export function createBot(bot) { bot.on('text', async (ctx) => { new Redis({}); }); }")).toEqual([
      'client-per-request@1',
    ]);
    // `once` and `online` are not handler names.
    expect(rulesIn('lib/x.ts', 'export function online() { return new Agent(); }')).toEqual([]);
  });
});

describe('await-in-loop', () => {
  test('flags awaited calls in for, for-of, for-in, while and do-while bodies, once per loop', () => {
    const text = [
      'export default async function handler(ids: number[]) {',
      '  for (const id of ids) {', // 2
      '    await backend.getRequest(id);', // 3
      '    await store.exec([]);',
      '  }',
      '  for (let i = 0; i < ids.length; i++) await save(ids[i]);', // 6
      '  for (const key in ids) { await save(key); }', // 7
      '  let n = 0;',
      '  while (n < 3) { await save(n); n++; }', // 9
      '  do { await save(1); } while (ids.length > 10);', // 10
      '}',
    ].join('\n');
    const found = only('api/x.ts', text, 'await-in-loop');
    expect(found.map((f) => f.line)).toEqual([3, 6, 7, 10]);
    expect(found[0]?.message).toMatch(/^2 awaited calls \(first: backend\.getRequest\(\.\.\.\)\) inside the body of the for\.\.\.of loop on line 2/);
    expect(found[0]?.severity).toBe('warn');
    expect(found[0]?.fix).toMatch(/Promise\.all/);
    expect(found[0]?.anchorLines).toEqual([2]);
  });

  test('a loop whose condition depends on the body (pagination, counters) is sequential by design', () => {
    // `while (n < 3) { ...; n++ }` above is such a loop too: n is assigned in the body.
    const text = [
      'export default async function handler() {',
      "  let cursor: string | undefined = 'start';",
      '  while (cursor) { const page = await fetchPage(cursor); cursor = page.next; }',
      '  for (let c = first(); c; c = next) { const page = await fetchPage(c); next = page.next; }',
      '}',
    ].join('\n');
    expect(only('api/x.ts', text, 'await-in-loop')).toEqual([]);
  });

  test('near misses: retry loops, polling, Promise.all batches, sleeps, awaits in callbacks, header awaits', () => {
    const text = [
      'export default async function handler(items: string[], chunks: string[][]) {',
      '  for (let attempt = 0; attempt < 3; attempt++) {',
      '    try { return await fetch(url); } catch { await sleep(100 * 2 ** attempt); }',
      '  }',
      '  while (true) { const s = await poll(); if (s.done) break; }',
      '  for (const chunk of chunks) await Promise.all(chunk.map((c) => save(c)));',
      '  for (const item of items) { await delay(10); }',
      '  for (const item of items) { void (async () => { await save(item); })(); }',
      '  await Promise.all(items.map(async (item) => { await save(item); }));',
      '  for (const x of await list()) { console.log(x); }',
      '  for (const x of items) { await x; }', // awaiting a value, not a call
      '}',
    ].join('\n');
    expect(only('api/x.ts', text, 'await-in-loop')).toEqual([]);
  });

  test('outside per-request code it is only info; a nested loop reports on the inner loop', () => {
    const text = [
      'export async function warmUp(keys: string[][]) {',
      '  for (const group of keys) {',
      '    for (const key of group) {',
      '      await cache.get(key);', // 4
      '    }',
      '  }',
      '}',
    ].join('\n');
    const found = only('lib/cache/warm.ts', text, 'await-in-loop');
    expect(found.map((f) => [f.line, f.severity])).toEqual([[4, 'info']]);
    expect(found[0]?.message).toMatch(/loop on line 3/);
  });
});

describe('sync-io', () => {
  test('flags blocking file, process, crypto and zlib calls in per-request code', () => {
    const text = [
      "import { readFileSync, existsSync } from 'node:fs';",
      "import * as zlib from 'node:zlib';",
      'export default function handler() {',
      "  if (existsSync('x')) readFileSync('x');", // 4: two
      "  fs.writeFileSync('y', 'z');", // 5
      "  execSync('ls');", // 6
      "  crypto.pbkdf2Sync('p', 's', 1e5, 64, 'sha512');", // 7
      "  crypto.scryptSync('p', 's', 64);", // 8
      "  zlib.gzipSync(buf); zlib.brotliCompressSync(buf); zlib.deflateSync(buf);", // 9: three
      '  crypto.randomFillSync(Buffer.alloc(1 << 20));', // 10
      '}',
    ].join('\n');
    const found = only('api/x.ts', text, 'sync-io');
    expect(found.map((f) => f.line)).toEqual([4, 4, 5, 6, 7, 8, 9, 9, 9, 10]);
    expect(found[0]?.message).toMatch(/event loop/);
    expect(found[0]?.fix).toMatch(/fs\/promises/);
  });

  test('sync I/O at module scope (cold start) or in tools is fine', () => {
    const text = [
      "import { readFileSync } from 'node:fs';",
      "const template = readFileSync(new URL('./t.html', import.meta.url), 'utf8');",
      'export default function handler() { return template; }',
    ].join('\n');
    expect(rulesIn('api/x.ts', text)).toEqual([]);
    expect(rulesIn('lib/config-loader.ts', "export function load() { return readFileSync('x'); }")).toEqual([]);
  });
});

describe('cache-bypass', () => {
  const text = [
    "import { listSides } from '../backend/catalogue-calls.js';",
    'export async function showTypes(ctx: Ctx, backend: BackendClient) {',
    '  const types = await ctx.deps.backend.listRequestTypes();', // 3
    '  const sides = await listSides(1);', // 4
    '  const cats = await backend.listServiceCategories(1, 10);', // 5
    '  const cached = await ctx.deps.catalog.listRequestTypes();', // 6: through the cache
    '  const other = await things.listSides(1);', // 7: unknown receiver
    '  return [types, sides, cats, cached, other];',
    '}',
  ].join('\n');

  test('flags backend catalogue calls outside lib/catalog/', () => {
    const found = only('lib/bot/handlers/new-request.ts', text, 'cache-bypass');
    expect(found.map((f) => f.line)).toEqual([3, 4, 5]);
    expect(found[0]?.message).toMatch(/ctx\.deps\.backend\.listRequestTypes\(\) calls the backend directly in per-request code/);
    expect(found[0]?.fix).toMatch(/lib\/catalog\//);
  });

  test('the cached catalogue module itself may call the backend', () => {
    expect(only('lib/catalog/catalog.ts', text, 'cache-bypass')).toEqual([]);
  });

  test('the backend client module (and its lazy wrapper) may call itself', () => {
    expect(only('lib/backend/lazy-backend-client.ts', text, 'cache-bypass')).toEqual([]);
  });

  test('a variable bound to createBackendClient() counts as the backend', () => {
    const source = ['const svc = createBackendClient({});', 'export async function x() { return svc.listSides(1); }'].join('\n');
    expect(rulesIn('lib/x.ts', source)).toEqual(['cache-bypass@2']);
  });
});

describe('module-state', () => {
  test('flags module lets and containers written by per-request code, at the declaration', () => {
    const text = [
      'let currentChat: number | undefined;', // 1
      'const sessions = new Map<number, unknown>();', // 2
      'const recent: number[] = [];', // 3
      'const counters = {} as Record<string, number>;', // 4
      'const seen = new Set<number>();', // 5
      'export default async function handler(update: Update) {',
      '  currentChat = update.chat.id;',
      '  sessions.set(update.chat.id, {});',
      '  recent.push(update.update_id);',
      '  counters[update.type] = (counters[update.type] ?? 0) + 1;',
      '  seen.add(update.update_id);',
      '}',
    ].join('\n');
    const found = only('api/telegram.ts', text, 'module-state');
    expect(found.map((f) => f.line)).toEqual([1, 2, 3, 4, 5]);
    expect(found[0]?.message).toMatch(/module-scope let currentChat is written by per-request code at line 7 \(handler: default export/);
    expect(found[1]?.message).toMatch(/a shared container/);
    expect(found[0]?.message).toMatch(/concurrent updates/);
  });

  test('near misses: reads, lazy init, flags, locals that shadow, writes outside per-request code', () => {
    const text = [
      'let bot: Bot | undefined;',
      'let coldStart = true;',
      'const cache = new Map<string, string>();',
      'let config: Config | undefined;',
      'const names = new Set<string>();',
      "names.add('x');", // module scope: runs once
      'export function configure(c: Config) { config = c; cache.clear(); }', // not per-request
      'export default async function handler(update: Update) {',
      '  bot ??= createBot();',
      '  const cold = coldStart;',
      '  coldStart = false;',
      '  const cache = new Map();', // shadows
      "  cache.set('a', 'b');",
      '  const sessions: unknown[] = [];',
      '  sessions.push(update);',
      '  return [cold, config, names.has("x")];',
      '}',
    ].join('\n');
    // In lib/, `handler` is per-request by its name and `configure` is not.
    expect(only('lib/webhook/telegram.ts', text, 'module-state')).toEqual([]);
  });

  test('analyzer-ignore module-state on the line above allow-lists a deliberate instance cache', () => {
    const text = [
      '// analyzer-ignore module-state: bounded L1 cache, shared by design across updates of this instance',
      'const l1 = new Map<string, string>();',
      'export default async function handler() {',
      "  l1.set('k', 'v');",
      '}',
    ].join('\n');
    const result = checkSource('api/x.ts', text);
    expect(result.findings).toEqual([]);
    expect(result.suppressed).toHaveLength(1);
    expect(result.suppressed[0]?.reason).toBe('bounded L1 cache, shared by design across updates of this instance');
    expect(result.suppressed[0]?.finding.rule).toBe('module-state');
  });
});

describe('json-in-loop', () => {
  test('flags JSON.parse/stringify in a per-request loop as info', () => {
    const text = [
      'export default async function handler(rows: string[]) {',
      '  const out = [];',
      '  for (const row of rows) out.push(JSON.parse(row));',
      '}',
    ].join('\n');
    const found = only('api/x.ts', text, 'json-in-loop');
    expect(found.map((f) => [f.line, f.severity])).toEqual([[3, 'info']]);
    expect(rulesIn('lib/x.ts', 'export function parseAll(rows: string[]) { for (const r of rows) JSON.parse(r); }')).toEqual([]);
  });
});

describe('analyzer-ignore', () => {
  test('works for any rule, above the finding or trailing it, and above the loop for await-in-loop', () => {
    const text = [
      'export default async function handler(ids: number[]) {',
      "  // analyzer-ignore sync-io: tiny file, read once per cron run",
      "  const a = readFileSync('x');",
      "  const b = readFileSync('y'); // analyzer-ignore sync-io: same",
      '  // analyzer-ignore await-in-loop: Telegram rate limit, one message per second',
      '  for (const id of ids) {',
      '    await send(id);',
      '  }',
      '}',
    ].join('\n');
    const result = checkSource('api/x.ts', text);
    expect(result.findings).toEqual([]);
    expect(result.suppressed.map((s) => s.finding.rule)).toEqual(['sync-io', 'sync-io', 'await-in-loop']);
  });

  test('a suppression without a reason or with an unknown rule does not silence, and is reported', () => {
    const text = [
      'export default function handler() {',
      '  // analyzer-ignore sync-io',
      "  readFileSync('x');",
      '  // analyzer-ignore sync-oi: typo',
      "  readFileSync('y');",
      '}',
    ].join('\n');
    const found = checkSource('api/x.ts', text).findings.map((f) => `${f.rule}@${f.line}:${f.severity}`);
    expect(found.sort()).toEqual(['analyzer-ignore@2:warn', 'analyzer-ignore@4:warn', 'sync-io@3:warn', 'sync-io@5:warn']);
  });
});

describe('entry points across files', () => {
  test('the handler returned by a factory that an api/ file default-exports is per-request', () => {
    const result = checkProject([
      {
        file: 'api/telegram.ts',
        text: "import { createWebhook } from '../lib/webhook/webhook.js';\nexport default createWebhook({});",
      },
      {
        file: 'lib/webhook/webhook.ts',
        text: [
          "import { Agent } from 'undici';",
          'export function createWebhook(deps: Deps) {',
          '  const shared = new Agent();', // 3: once per instance
          '  return async (req: Req, res: Res) => {',
          '    const agent = new Agent();', // 5: per request
          "    readFileSync('x');", // 6
          '  };',
          '}',
        ].join('\n'),
      },
    ]);
    expect(result.findings.map((f) => `${f.rule}@${f.file}:${f.line}`)).toEqual([
      'client-per-request@lib/webhook/webhook.ts:5',
      'sync-io@lib/webhook/webhook.ts:6',
    ]);
    expect(result.findings[0]?.message).toMatch(/returned by createWebhook\(\), the default export of api\/telegram\.ts/);
    expect(result.perRequestFunctions).toBe(1);
  });

  test('middleware registered with bot.use(factory()) and handlers passed by name are per-request', () => {
    const result = checkProject([
      {
        file: 'lib/bot/create-bot.ts',
        text: [
          "import { observe } from './middleware/observe.js';",
          "import { showMenu } from './views/menu.js';",
          'export function createBot(bot: Bot) {',
          '  bot.use(observe({}));',
          "  bot.command('menu', named('menu', showMenu));",
          '}',
          'function named(name: string, fn: Fn) { return (ctx: Ctx) => fn(ctx); }',
        ].join('\n'),
      },
      {
        file: 'lib/bot/middleware/observe.ts',
        text: [
          'export function observe(options: Options) {',
          '  let cold = true;',
          '  const handler = async (ctx: Ctx, next: Next) => { const p = new Pool(origin); await next(); };',
          '  return handler;',
          '}',
        ].join('\n'),
      },
      {
        file: 'lib/bot/views/menu.ts',
        text: "export async function showMenu(ctx: Ctx) { return readFileSync('menu.txt'); }",
      },
    ]);
    expect(result.findings.map((f) => `${f.rule}@${f.file}:${f.line}`)).toEqual([
      'client-per-request@lib/bot/middleware/observe.ts:3',
      'sync-io@lib/bot/views/menu.ts:1',
    ]);
  });
});

describe('runStaticChecks', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'analyzer-static-'));
    const files: Record<string, string> = {
      'api/telegram.ts': "export default async function handler() { const a = new Agent(); }",
      'lib/ok.ts': 'export const x = 1;',
      'lib/ok.test.ts': "export default async function handler() { readFileSync('x'); }",
      'lib/types.d.ts': 'declare const x: number;',
      'tools/analyzer/tool.ts': "export async function handleX() { readFileSync('x'); }",
      'tools/bench/run.ts': "export async function handleX() { readFileSync('x'); }",
      'tools/cli/x.ts': "export async function handleX() { readFileSync('x'); }",
      'tools/sandbox/x.ts': "export async function handleX() { readFileSync('x'); }",
      'tools/demo-backend/x.ts': "export async function handleX() { readFileSync('x'); }",
      'test/x.ts': "export async function handleX() { readFileSync('x'); }",
    };
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(root, file)), { recursive: true });
      await writeFile(path.join(root, file), text);
    }
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  test('checks api/ and lib/ but not tools, tests or declaration files', async () => {
    const result = await runStaticChecks(root);
    expect(result.filesChecked).toBe(2);
    expect(result.findings.map((f) => `${f.rule}@${f.file}:${f.line}`)).toEqual(['client-per-request@api/telegram.ts:1']);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  test('an empty root has nothing to check', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'analyzer-empty-'));
    try {
      const result = await runStaticChecks(empty);
      expect(result.filesChecked).toBe(0);
      expect(result.findings).toEqual([]);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

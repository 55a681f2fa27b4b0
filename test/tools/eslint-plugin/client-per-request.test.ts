import rule from '../../../tools/eslint-plugin/rules/client-per-request.js';
import { lines, run } from './rule-tester.js';

run('client-per-request', rule, {
  valid: [
    {
      name: 'a client built at module scope, or in a memoized factory, is fine',
      filename: 'api/telegram.ts',
      code: lines(
        "import { Agent } from 'undici';",
        'const agent = new Agent({ connections: 50 });',
        'let bot: Telegraf | undefined;',
        'let redis: Redis | undefined;',
        'const agents = new Map<string, Agent>();',
        'const getBackend = once(() => createBackendClient({ agent }));',
        'function getBot() { return (bot ??= new Telegraf(token)); }',
        'function getRedis() { if (!redis) { redis = new Redis({ url, token }); } return redis; }',
        'function agentFor(origin: string) { if (!agents.has(origin)) agents.set(origin, new Agent()); return agents.get(origin); }',
        'export default async function handler() {',
        '  return [getBot(), getRedis(), getBackend(), agentFor("x"), agent];',
        '}',
      ),
    },
    {
      name: 'library code that is not per-request (a factory called once) is not flagged',
      filename: 'lib/backend/backend-client.ts',
      code: lines(
        'export function createBackendClient(options: Options) {',
        '  const agent = new Agent({ connections: options.maxConnections });',
        '  return ky.create({ prefixUrl: options.baseUrl });',
        '}',
      ),
    },
    {
      name: '`once` and `online` are not handler names',
      filename: 'lib/x.ts',
      code: 'export function online() { return new Agent(); }',
    },
    {
      name: 'a local that shadows the module variable is not memoization, but the factory is not per-request either',
      filename: 'lib/x.ts',
      code: 'let bot; export function build(bot) { return (bot ??= new Telegraf(t)); }',
    },
    {
      name: 'the factory that returns a request handler runs once; only what it returns is per-request',
      filename: 'lib/webhook/webhook.ts',
      code: lines(
        "import { Agent } from 'undici';",
        'export function createWebhook(deps: Deps) {',
        '  const shared = new Agent();',
        '  return async (req: Req, res: Res) => res.end(String(shared));',
        '}',
      ),
    },
  ],
  invalid: [
    {
      name: 'clients, agents and pools built inside the default export of an api/ file',
      filename: 'api/telegram.ts',
      code: lines(
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
        '  const child = api.extend({ headers: {} });', // 14: not ky itself
        '  return [agent, bot, api, backend, app, tls, redis, limiter, pool, child];',
        '}',
      ),
      errors: [
        {
          line: 5,
          message:
            'new Agent(...) runs in per-request code (handler: default export of an api/ file): every update then pays a new TCP/TLS handshake (tens of ms) and a fresh client set-up, and the pool is never reused.',
        },
        { line: 6, column: 15, messageId: 'perRequest', data: { what: 'new Telegraf(...)', where: 'handler: default export of an api/ file' } },
        { line: 7, messageId: 'perRequest', data: { what: 'ky.create(...)', where: 'handler: default export of an api/ file' } },
        { line: 8, messageId: 'perRequest' },
        { line: 9, messageId: 'perRequest' },
        { line: 10, messageId: 'perRequest', data: { what: 'new https.Agent(...)', where: 'handler: default export of an api/ file' } },
        { line: 11, messageId: 'perRequest' },
        { line: 12, messageId: 'perRequest' },
        { line: 13, messageId: 'perRequest' },
      ],
    },
    {
      name: 'an unguarded assignment to a module variable is still one client per request',
      filename: 'api/x.ts',
      code: lines('let bot;', 'export default async function handler() {', "  bot = new Telegraf('t');", '}'),
      errors: [{ line: 3, messageId: 'perRequest' }],
    },
    {
      name: 'handle*/on* functions are per-request',
      filename: 'lib/x.ts',
      code: 'export async function handleUpdate() { const a = new Agent(); }',
      errors: [{ messageId: 'perRequest', data: { what: 'new Agent(...)', where: 'handleUpdate: named like a handler (handleUpdate)' } }],
    },
    {
      name: 'an onX arrow is per-request',
      filename: 'lib/x.ts',
      code: 'export const onText = async () => { const a = new Agent(); };',
      errors: [{ line: 1, messageId: 'perRequest' }],
    },
    {
      name: 'a function in lib/bot/handlers/ is per-request',
      filename: 'lib/bot/handlers/start.ts',
      code: 'export async function start(ctx) { const r = new Redis({}); }',
      errors: [{ messageId: 'perRequest', data: { what: 'new Redis(...)', where: 'start: takes the update context (ctx)' } }],
    },
    {
      name: 'a callback registered with the bot is per-request',
      filename: 'lib/bot/create.ts',
      code: "export function createBot(bot) { bot.on('text', async (ctx) => { new Redis({}); }); }",
      errors: [{ messageId: 'perRequest', data: { what: 'new Redis(...)', where: 'update callback registered with .on()' } }],
    },
    {
      name: 'the request handler a factory returns is per-request (it takes the request)',
      filename: 'lib/webhook/webhook.ts',
      code: lines(
        "import { Agent } from 'undici';",
        'export function createWebhook(deps: Deps) {',
        '  const shared = new Agent();', // 3: once per instance
        '  return async (req: Req, res: Res) => {',
        '    const agent = new Agent();', // 5: per request
        '  };',
        '}',
      ),
      errors: [{ line: 5, messageId: 'perRequest', data: { what: 'new Agent(...)', where: 'takes the HTTP request (req)' } }],
    },
    {
      name: 'middleware a factory returns under a handler name is per-request',
      filename: 'lib/bot/middleware/observe.ts',
      code: lines(
        'export function observe(options: Options) {',
        '  let cold = true;',
        '  const handler = async (context: Ctx, next: Next) => { const p = new Pool(origin); await next(); };',
        '  return handler;',
        '}',
      ),
      errors: [{ line: 3, messageId: 'perRequest', data: { what: 'new Pool(...)', where: 'handler: named like a handler (handler)' } }],
    },
    {
      name: 'a client per key on a local map is per request',
      filename: 'api/x.ts',
      code: 'export default function handler() { const agents = new Map(); agents.set("k", new Agent()); }',
      errors: [{ messageId: 'perRequest' }],
    },
  ],
});

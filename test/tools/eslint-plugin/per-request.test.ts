import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { Linter, type Rule } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, test } from 'vitest';
import { isHandlerName, isSetupName, perRequestCode } from '../../../tools/eslint-plugin/per-request.js';
import { lines } from './rule-tester.js';

/** Reports every function with its classification, so a test sees what the rules see. */
const census: TSESLint.RuleModule<'fn'> = {
  defaultOptions: [],
  meta: { type: 'suggestion', schema: [], messages: { fn: '{{text}}' } },
  create(context) {
    const code = perRequestCode(context);
    const report = (node: TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression): void => {
      const { perRequest, reason, name } = code.classify(node);
      const outer = node.parent && code.at(node.parent);
      const key = name !== undefined && name !== outer?.name ? name : `anon@${node.loc.start.line}`;
      context.report({ node, messageId: 'fn', data: { text: `${key}=${perRequest ? `yes: ${reason}` : 'no'}` } });
    };
    return { FunctionDeclaration: report, FunctionExpression: report, ArrowFunctionExpression: report };
  },
};

const linter = new Linter();

/** Every function in the file with its classification, by name (or `anon@line`). */
function classify(filename: string, code: string): Record<string, string> {
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser },
        plugins: { test: { rules: { census: census as unknown as Rule.RuleModule } } },
        rules: { 'test/census': 'error' },
      },
    ],
    { filename },
  );
  expect(messages.filter((m) => m.ruleId !== 'test/census')).toEqual([]);
  return Object.fromEntries(messages.map((m) => m.message.split(/=(.*)/s).slice(0, 2) as [string, string]));
}

describe('names', () => {
  test('handler names', () => {
    for (const name of ['handle', 'handler', 'handleUpdate', 'handle_x', 'onText', 'onCallbackQuery']) expect(isHandlerName(name)).toBe(true);
    for (const name of ['once', 'online', 'handled', 'handlers', 'on', 'start', undefined]) expect(isHandlerName(name)).toBe(false);
  });

  test('set-up names', () => {
    for (const name of ['register', 'registerHandlers', 'createBot', 'setupMenus', 'init', 'configureBot']) expect(isSetupName(name)).toBe(true);
    for (const name of ['created', 'showMenu', 'registry', undefined]) expect(isSetupName(name)).toBe(false);
  });
});

describe('perRequestCode', () => {
  test('api/: the default export and every function the file defines; memoized factories are not', () => {
    const result = classify(
      'api/x.ts',
      lines('const getBot = once(() => new Telegraf(t));', 'function helper() {}', 'export default async function handler(req) { const inner = () => 1; }'),
    );
    expect(result).toEqual({
      'anon@1': 'no',
      helper: 'yes: function defined in an api/ file',
      handler: 'yes: default export of an api/ file',
      inner: 'yes: function defined in an api/ file',
    });
  });

  test('api/: an arrow default export, also wrapped, and `export default name`', () => {
    expect(classify('api/a.ts', 'export default async (req, res) => {};')).toEqual({ 'anon@1': 'yes: default export of an api/ file' });
    expect(classify('api/b.ts', 'export default withErrors(async (req) => {});')).toEqual({ 'anon@1': 'yes: default export of an api/ file' });
    expect(classify('api/c.ts', 'const h = async () => {};\nexport default h;')).toEqual({ h: 'yes: default export of an api/ file' });
  });

  test('lib/bot/handlers/: top-level functions except set-up; callbacks they register are; module-scope callbacks are not', () => {
    const result = classify(
      'lib/bot/handlers/menu.ts',
      lines(
        'export async function showMenu(ctx) {}',
        'export function menuText(lang: string) { return lang; }',
        "export function registerMenu(bot) { const label = (x) => x; bot.action('menu', async (c) => {}); }",
        "const WORDS = new Set(LANGS.map((lang) => lang.toLowerCase()));", // runs once, at module load
      ),
    );
    expect(result).toEqual({
      showMenu: 'yes: takes the update context (ctx)',
      menuText: 'yes: function in lib/bot/handlers/',
      registerMenu: 'no',
      label: 'no',
      'anon@3': 'yes: update callback registered with .action()',
      'anon@4': 'no',
    });
  });

  test('elsewhere: handler names, bot callbacks, methods; process.on is not a bot', () => {
    const result = classify(
      'lib/x.ts',
      lines(
        'export class Router { async handleUpdate(u) {} private helper() {} onError = (e) => {}; }',
        "process.on('exit', () => {});",
        'bot.hears(/hi/, async (c) => {});',
        'export const api = { async onText(c) {}, build() {} };',
      ),
    );
    expect(result).toEqual({
      handleUpdate: 'yes: named like a handler (handleUpdate)',
      helper: 'no',
      onError: 'yes: named like a handler (onError)',
      'anon@2': 'no',
      'anon@3': 'yes: update callback registered with .hears()',
      onText: 'yes: named like a handler (onText)',
      build: 'no',
    });
  });

  test('the first parameter: the update context or the HTTP request, by name or by type', () => {
    const result = classify(
      'lib/x.ts',
      lines(
        'export function show(ctx, screen) {}',
        'export function reply(c: BotContext) {}',
        'export function header(req, name) {}',
        'export function body(r: IncomingMessage) {}',
        'export function vercel(r: VercelRequest) {}',
        'export function summary(update: Update, request: ServiceRequest) {}',
        'export function later(name: string, ctx: BotContext) {}',
      ),
    );
    expect(result).toEqual({
      show: 'yes: takes the update context (ctx)',
      reply: 'yes: takes the update context (c)',
      header: 'yes: takes the HTTP request (req)',
      body: 'yes: takes the HTTP request (r)',
      vercel: 'yes: takes the HTTP request (r)',
      summary: 'no',
      later: 'no',
    });
  });

  test('factories run once; what they return runs per request (it takes the request, or a bot registers it)', () => {
    const result = classify(
      'lib/e.ts',
      lines(
        'export function createEndpoint(deps) {',
        '  const setup = () => 1;',
        '  return async (req, res) => { const nested = () => 2; };',
        '}',
        'export function createOther(deps) {',
        '  const handler = async (r) => {};',
        '  return handler;',
        '}',
        'export const middleware = (options) => async (ctx, next) => {};',
      ),
    );
    expect(result).toEqual({
      createEndpoint: 'no',
      setup: 'no',
      'anon@3': 'yes: takes the HTTP request (req)',
      nested: 'yes: takes the HTTP request (req)',
      createOther: 'no',
      handler: 'yes: named like a handler (handler)',
      middleware: 'no',
      'anon@9': 'yes: takes the update context (ctx)',
    });
  });

  test('registered by name, or returned by a local factory a bot registers (scope analysis)', () => {
    const result = classify(
      'lib/bot.ts',
      lines(
        'export function createBot(bot) {',
        '  bot.use(observe({}));',
        "  bot.command('start', as('start', start));",
        "  process.on('exit', cleanup);",
        '}',
        'function as(name, fn) { return (c) => fn(c); }',
        'function observe(o) { const mw = async (c, next) => next(); return mw; }',
        'async function start(c) {}',
        'function cleanup() {}',
        'function unused(c) { return (d) => d; }',
      ),
    );
    expect(result).toEqual({
      createBot: 'no',
      as: 'no',
      'anon@6': 'yes: returned by as(), registered with .command()',
      observe: 'no',
      mw: 'yes: returned by observe(), registered with .use()',
      start: 'yes: registered by name with .command()',
      cleanup: 'no',
      unused: 'no',
      'anon@10': 'no',
    });
  });

  test('a local that shadows a registered name is not that function', () => {
    const result = classify('lib/bot.ts', lines('function start(c) {}', 'export function createBot(bot, start) {', "  bot.command('start', start);", '}'));
    expect(result).toEqual({ start: 'no', createBot: 'no' });
  });
});

import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { isFunctionNode, parseSource } from '../../../tools/analyzer/ast.js';
import {
  classifyFunction,
  collectEntryPoints,
  defaultExportNames,
  fileKindOf,
  isHandlerName,
  isSetupName,
  resolveImport,
  type EntryPoints,
  type FunctionContext,
} from '../../../tools/analyzer/per-request.js';

/** Every function in the file with its classification, by name (or `anon@line`). */
function classify(file: string, text: string, entries?: EntryPoints): Record<string, string> {
  const sourceFile = parseSource(file, text);
  const scope = { kind: fileKindOf(file), defaultExports: defaultExportNames(sourceFile), entries: entries?.get(file) };
  const out: Record<string, string> = {};
  const visit = (node: ts.Node, parent: FunctionContext | undefined): void => {
    if (isFunctionNode(node)) {
      const context = classifyFunction(node, parent, scope);
      const line = sourceFile.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      out[context.name && context.name !== parent?.name ? context.name : `anon@${line}`] = context.perRequest ? `yes: ${context.reason}` : 'no';
      ts.forEachChild(node, (child) => visit(child, context));
      return;
    }
    ts.forEachChild(node, (child) => visit(child, parent));
  };
  visit(sourceFile, undefined);
  return out;
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

  test('file kinds', () => {
    expect(fileKindOf('api/telegram.ts')).toEqual({ api: true, handlers: false });
    expect(fileKindOf('lib/bot/handlers/start.ts')).toEqual({ api: false, handlers: true });
    expect(fileKindOf('lib/bot/create-bot.ts')).toEqual({ api: false, handlers: false });
  });
});

describe('classifyFunction', () => {
  test('api/: the default export and every function the file defines; memoized factories are not', () => {
    const result = classify(
      'api/x.ts',
      [
        'const getBot = once(() => new Telegraf(t));',
        'function helper() {}',
        'export default async function handler(req) { const inner = () => 1; }',
      ].join('\n'),
    );
    expect(result['anon@1']).toBe('no');
    expect(result['helper']).toBe('yes: function defined in an api/ file');
    expect(result['handler']).toBe('yes: default export of an api/ file');
    expect(result['inner']).toMatch(/^yes/);
  });

  test('api/: an arrow default export, also wrapped, and `export default name`', () => {
    expect(classify('api/a.ts', 'export default async (req, res) => {};')['anon@1']).toBe('yes: default export of an api/ file');
    expect(classify('api/b.ts', 'export default withErrors(async (req) => {});')['anon@1']).toBe('yes: default export of an api/ file');
    expect(classify('api/c.ts', 'const h = async () => {};\nexport default h;')['h']).toBe('yes: default export of an api/ file');
  });

  test('lib/bot/handlers/: every function except top-level set-up functions; their registered callbacks are', () => {
    const result = classify(
      'lib/bot/handlers/menu.ts',
      [
        'export async function showMenu(ctx) {}',
        "export function registerMenu(bot) { const label = (x) => x; bot.action('menu', async (ctx) => {}); }",
      ].join('\n'),
    );
    expect(result['showMenu']).toBe('yes: function in lib/bot/handlers/');
    expect(result['registerMenu']).toBe('no');
    expect(result['label']).toBe('no');
    expect(result['anon@2']).toBe('yes: update callback registered with .action()');
  });

  test('elsewhere: handler names, bot callbacks, methods; process.on is not a bot', () => {
    const result = classify(
      'lib/x.ts',
      [
        'export class Router { async handleUpdate(u) {} private helper() {} onError = (e) => {}; }',
        "process.on('exit', () => {});",
        "bot.hears(/hi/, async (ctx) => {});",
        'export const api = { async onText(ctx) {}, build() {} };',
      ].join('\n'),
    );
    expect(result['handleUpdate']).toBe('yes: named like a handler (handleUpdate)');
    expect(result['helper']).toBe('no');
    expect(result['onError']).toMatch(/^yes/);
    expect(result['anon@2']).toBe('no');
    expect(result['anon@3']).toBe('yes: update callback registered with .hears()');
    expect(result['onText']).toMatch(/^yes/);
    expect(result['build']).toBe('no');
  });

  test('entry points: a factory runs once, what it returns runs per request', () => {
    const text = [
      'export function createEndpoint(deps) {',
      '  const setup = () => 1;',
      '  return async (req, res) => { const nested = () => 2; };',
      '}',
      'export function createOther(deps) {',
      '  const handler = async (req) => {};',
      '  return handler;',
      '}',
      'export const middleware = (options) => async (ctx, next) => {};',
    ].join('\n');
    const entries: EntryPoints = new Map([
      [
        'lib/e.ts',
        new Map([
          ['createEndpoint', { kind: 'returned', reason: 'the default export of api/e.ts' }],
          ['createOther', { kind: 'returned', reason: 'the default export of api/o.ts' }],
          ['middleware', { kind: 'returned', reason: 'registered with .use()' }],
        ]),
      ],
    ]) as EntryPoints;
    const result = classify('lib/e.ts', text, entries);
    expect(result['createEndpoint']).toBe('no');
    expect(result['setup']).toBe('no');
    expect(result['anon@3']).toBe('yes: returned by createEndpoint(), the default export of api/e.ts');
    expect(result['nested']).toMatch(/^yes: returned by createEndpoint/);
    expect(result['handler']).toBe('yes: returned by createOther(), the default export of api/o.ts');
    expect(result['anon@9']).toBe('yes: returned by middleware(), registered with .use()');
  });
});

describe('collectEntryPoints', () => {
  test('finds default exports of api/ files and bot registrations across files', () => {
    const files = new Map(
      Object.entries({
        'api/telegram.ts': "import { createWebhook } from '../lib/webhook.js';\nexport default createWebhook(deps);",
        'api/health.ts': "import health from '../lib/health.js';\nexport default health;",
        'api/notify.ts': "export { handleNotify as default } from '../lib/notify/index.js';",
        'lib/webhook.ts': 'export function createWebhook(deps) { return async () => {}; }',
        'lib/health.ts': 'export default async function health() {}',
        'lib/notify/index.ts': 'export async function handleNotify() {}',
        'lib/bot.ts': [
          "import { observe } from './mw.js';",
          "import { start } from './handlers/start.js';",
          'export function createBot(bot) {',
          '  bot.use(observe({}));',
          "  bot.command('start', as('start', start));",
          "  process.on('exit', cleanup);",
          '}',
          'function as(name, fn) { return (ctx) => fn(ctx); }',
          'function cleanup() {}',
        ].join('\n'),
        'lib/mw.ts': 'export const observe = (o) => async (ctx, next) => {};',
        'lib/handlers/start.ts': 'export async function start(ctx) {}',
      }).map(([file, text]) => [file, parseSource(file, text)]),
    );
    const entries = collectEntryPoints(files);
    const flat = [...entries].flatMap(([file, names]) => [...names].map(([name, entry]) => `${file}#${name}=${entry.kind}`)).sort();
    expect(flat).toEqual([
      'lib/bot.ts#as=returned',
      'lib/handlers/start.ts#start=itself',
      'lib/health.ts#default=itself',
      'lib/mw.ts#observe=returned',
      'lib/notify/index.ts#handleNotify=itself',
      'lib/webhook.ts#createWebhook=returned',
    ]);
    expect(entries.get('lib/webhook.ts')?.get('createWebhook')?.reason).toBe('the default export of api/telegram.ts');
    expect(entries.get('lib/mw.ts')?.get('observe')?.reason).toBe('registered with .use() in lib/bot.ts');
  });

  test('resolveImport maps .js specifiers to the analyzed .ts files', () => {
    const files = new Set(['lib/a.ts', 'lib/b/index.ts', 'api/x.ts']);
    expect(resolveImport('api/x.ts', '../lib/a.js', files)).toBe('lib/a.ts');
    expect(resolveImport('lib/a.ts', './b', files)).toBe('lib/b/index.ts');
    expect(resolveImport('lib/a.ts', './missing.js', files)).toBeUndefined();
    expect(resolveImport('lib/a.ts', 'telegraf', files)).toBeUndefined();
  });
});

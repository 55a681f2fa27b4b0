import ts from 'typescript';
import path from 'node:path';
import {
  calleeName,
  enclosingFunction,
  functionName,
  isFunctionNode,
  receiverOf,
  rootIdentifier,
  unwrap,
  type FunctionNode,
} from './ast.js';

/**
 * "Per-request code": code that runs once for every update or HTTP request, as opposed to code
 * that runs once per instance (module scope, cold start). Rules such as `client-per-request`,
 * `sync-io` and `module-state` only look at per-request code.
 *
 * A function is per-request when the first of these applies (checked in this order):
 *  1. it is passed to a memoizing wrapper (`once(() => ...)`, `memo*`, `lazy*`, `singleton*`):
 *     NOT per-request - the wrapper runs it once per instance (a memoized factory);
 *  2. it is defined in a file under `api/` (the default export - the Vercel function - and every
 *     function such a file defines, since `api/` files are thin wiring called per request);
 *  3. it is an entry point found across files (see `collectEntryPoints`): a top-level function that
 *     an `api/` file exports as its default (`import { h } ...; export default h`), or that is
 *     registered with a bot (`bot.use(h)`, `bot.command('x', h)`, `bot.on('x', wrap('n', h))`);
 *     for a factory whose result is the default export or is registered
 *     (`export default createWebhook(deps)`, `bot.use(observeUpdate(opts))`), the factory itself
 *     runs once per instance and the functions it returns are per-request;
 *  4. it is a callback registered with a bot for updates: a function argument of `x.on(...)`,
 *     `x.command(...)`, `x.action(...)`, `x.hears(...)`, `x.use(...)`, `x.start(...)`, `x.help(...)`,
 *     `x.settings(...)`, `x.inlineQuery(...)`, `x.enter(...)`, `x.leave(...)` (receiver `process` excluded);
 *  5. it is named like a handler: `handle`, `handler`, `handleX`, `onX` (a function, a variable
 *     or property holding one, or a method);
 *  6. it is a top-level function in `lib/bot/handlers/**`, except set-up functions named
 *     `register*`, `create*`, `build*`, `make*`, `setup*`, `install*`, `init*`, `configure*`
 *     (they run once per instance; callbacks they register are still caught by rule 4);
 *  7. it is nested in a per-request function (it inherits);
 *  8. otherwise it is not per-request.
 * Module-scope statements are never per-request.
 */
export interface FileKind {
  /** Under `api/`: a Vercel function. */
  readonly api: boolean;
  /** Under `lib/bot/handlers/`. */
  readonly handlers: boolean;
}

export interface FunctionContext {
  readonly perRequest: boolean;
  /** Why it is (or is not) per-request, for messages. */
  readonly reason: string;
  /** The function's name when it has one, for messages. */
  readonly name: string | undefined;
  /** A factory whose returned functions are per-request (rule 3). */
  readonly returnsPerRequest?: boolean;
  readonly node?: FunctionNode;
}

/** How an entry point is reached per request: it is the handler itself, or it returns the handler. */
export type EntryKind = 'itself' | 'returned';

export interface EntryPoint {
  readonly kind: EntryKind;
  readonly reason: string;
}

/** Per file (relative path): top-level name (or `default`) -> how it is reached per request. */
export type EntryPoints = Map<string, Map<string, EntryPoint>>;

/** What `classifyFunction` needs to know about the file. */
export interface FileScope {
  readonly kind: FileKind;
  /** Names exported as default in the file (for the reason text). */
  readonly defaultExports?: ReadonlySet<string>;
  /** This file's entry points (from `collectEntryPoints`). */
  readonly entries?: ReadonlyMap<string, EntryPoint>;
}

export function fileKindOf(relPath: string): FileKind {
  const normalized = relPath.replaceAll('\\', '/');
  return { api: normalized.startsWith('api/'), handlers: normalized.startsWith('lib/bot/handlers/') };
}

const MEMO_WRAPPER = /^(once|memo\w*|lazy\w*|singleton\w*)$/i;
const REGISTRATION_METHODS = new Set([
  'on',
  'command',
  'action',
  'hears',
  'use',
  'start',
  'help',
  'settings',
  'inlineQuery',
  'enter',
  'leave',
]);
const NON_BOT_RECEIVERS = new Set(['process']);
const HANDLER_NAME = /^(handle|handler|handle[A-Z_]\w*|on[A-Z_]\w*)$/;
const SETUP_NAME = /^(register|create|build|make|setup|install|init|configure)([A-Z_]\w*)?$/;

export function isHandlerName(name: string | undefined): boolean {
  return name !== undefined && HANDLER_NAME.test(name);
}

export function isSetupName(name: string | undefined): boolean {
  return name !== undefined && SETUP_NAME.test(name);
}

/** Classifies a function given its file and the context it is nested in (`undefined` = module scope). */
export function classifyFunction(node: FunctionNode, parent: FunctionContext | undefined, scope: FileScope): FunctionContext {
  const file = scope.kind;
  const name = functionName(node);
  const call = callTakingFunction(node);
  if (call && MEMO_WRAPPER.test(calleeName(call) ?? '')) {
    return { perRequest: false, reason: `memoized factory passed to ${calleeName(call)}()`, name, node };
  }
  if (file.api) {
    const isDefault = isDefaultExport(node) || (name !== undefined && (scope.defaultExports?.has(name) ?? false));
    return {
      perRequest: true,
      reason: isDefault ? 'default export of an api/ file' : 'function defined in an api/ file',
      name,
      node,
    };
  }
  if (parent === undefined && scope.entries) {
    const entry =
      (name !== undefined ? scope.entries.get(name) : undefined) ??
      (isDefaultExport(node) ? scope.entries.get('default') : undefined);
    if (entry?.kind === 'itself') return { perRequest: true, reason: entry.reason, name, node };
    if (entry?.kind === 'returned') {
      return { perRequest: false, returnsPerRequest: true, reason: `factory: ${entry.reason}`, name, node };
    }
  }
  if (parent?.returnsPerRequest && parent.node && isReturnedFrom(node, parent.node)) {
    return {
      perRequest: true,
      reason: `returned by ${parent.name ?? 'a factory'}(), ${parent.reason.replace(/^factory: /, '')}`,
      name,
      node,
    };
  }
  if (call && isRegistrationCall(call, node)) {
    return { perRequest: true, reason: `update callback registered with .${calleeName(call)}()`, name, node };
  }
  if (isHandlerName(name)) return { perRequest: true, reason: `named like a handler (${name})`, name, node };
  if (file.handlers && parent === undefined) {
    if (isSetupName(name)) return { perRequest: false, reason: `set-up function ${name} in lib/bot/handlers/`, name, node };
    return { perRequest: true, reason: 'function in lib/bot/handlers/', name, node };
  }
  if (parent?.perRequest) return { perRequest: true, reason: parent.reason, name: name ?? parent.name, node };
  return { perRequest: false, reason: parent && !parent.returnsPerRequest ? parent.reason : 'not reached per request', name, node };
}

/**
 * True when `fn` is what `factory` returns: `return fn`, `return wrap(fn)`, an arrow's expression
 * body, or a local `const handler = fn` that is returned by name.
 */
function isReturnedFrom(fn: FunctionNode, factory: FunctionNode): boolean {
  let current: ts.Node = fn;
  for (;;) {
    const parent = current.parent;
    if (
      ts.isParenthesizedExpression(parent) ||
      ts.isAsExpression(parent) ||
      ts.isSatisfiesExpression(parent) ||
      (ts.isCallExpression(parent) && parent.arguments.some((argument) => argument === current))
    ) {
      current = parent;
      continue;
    }
    if (ts.isReturnStatement(parent)) return enclosingFunction(parent) === factory;
    if (ts.isArrowFunction(parent) && parent.body === current) return parent === factory;
    if (ts.isVariableDeclaration(parent) && parent.initializer === current && ts.isIdentifier(parent.name)) {
      return enclosingFunction(parent) === factory && returnedNames(factory).has(parent.name.text);
    }
    return false;
  }
}

function returnedNames(factory: FunctionNode): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (isFunctionNode(node)) return;
    if (ts.isReturnStatement(node) && node.expression) {
      const expression = unwrap(node.expression);
      if (ts.isIdentifier(expression)) names.add(expression.text);
    }
    ts.forEachChild(node, visit);
  };
  if (factory.body) {
    if (ts.isBlock(factory.body)) ts.forEachChild(factory.body, visit);
    else {
      const expression = unwrap(factory.body);
      if (ts.isIdentifier(expression)) names.add(expression.text);
    }
  }
  return names;
}

/** The call the function is an argument of (`f(() => ...)`), else undefined. */
function callTakingFunction(node: FunctionNode): ts.CallExpression | undefined {
  let current: ts.Node = node;
  while (ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent)) current = current.parent;
  const parent = current.parent;
  if (ts.isCallExpression(parent) && parent.arguments.some((argument) => argument === current)) return parent;
  return undefined;
}

function isRegistrationCall(call: ts.CallExpression, fn: FunctionNode): boolean {
  return isBotRegistration(call) && call.arguments.some((argument) => unwrap(argument) === fn);
}

function isDefaultExport(node: FunctionNode): boolean {
  if (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node)) {
    const modifiers = ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined;
    if (modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) return true;
  }
  for (let current: ts.Node = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (ts.isExportAssignment(current)) return !current.isExportEquals;
    if (!ts.isCallExpression(current) && !ts.isParenthesizedExpression(current) && !ts.isAsExpression(current)) {
      return false;
    }
  }
  return false;
}

/** Names exported as default: `export default handler;` and `export { handler as default }`. */
export function defaultExportNames(sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of sourceFile.statements) {
    if (ts.isExportAssignment(statement) && !statement.isExportEquals) {
      const expression = unwrap(statement.expression);
      if (ts.isIdentifier(expression)) names.add(expression.text);
    }
    if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) {
        if (element.name.text === 'default') names.add((element.propertyName ?? element.name).text);
      }
    }
  }
  return names;
}

/** Resolves a relative import (`../lib/x.js`) to one of `files` (`lib/x.ts`), else undefined. */
export function resolveImport(fromFile: string, specifier: string, files: ReadonlySet<string>): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const joined = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), specifier));
  const stem = joined.replace(/\.(m|c)?js$/, '');
  const candidates = [joined, `${stem}.ts`, `${stem}.mts`, `${stem}.cts`, `${stem}/index.ts`];
  return candidates.find((candidate) => files.has(candidate));
}

/**
 * Finds, across files, the top-level functions that are reached per request although nothing in
 * their own file says so (rule 3 above): default exports of `api/` files and functions registered
 * with a bot, directly or as the result of a factory call.
 */
export function collectEntryPoints(files: ReadonlyMap<string, ts.SourceFile>): EntryPoints {
  const known = new Set(files.keys());
  const entries: EntryPoints = new Map();
  const mark = (target: { file: string; name: string } | undefined, kind: EntryKind, reason: string): void => {
    if (!target) return;
    let forFile = entries.get(target.file);
    if (!forFile) {
      forFile = new Map();
      entries.set(target.file, forFile);
    }
    const existing = forFile.get(target.name);
    // Being the handler itself wins over being a factory of one (the body then runs per request too).
    if (!existing || (existing.kind === 'returned' && kind === 'itself')) forFile.set(target.name, { kind, reason });
  };
  for (const [file, sourceFile] of files) {
    const imports = importedNames(file, sourceFile, known);
    const locals = topLevelFunctionNames(sourceFile);
    const target = (identifier: ts.Identifier): { file: string; name: string } | undefined =>
      imports.get(identifier.text) ?? (locals.has(identifier.text) ? { file, name: identifier.text } : undefined);
    const markExpression = (expression: ts.Expression, reason: string, depth: number): void => {
      const node = unwrap(expression);
      if (ts.isIdentifier(node)) {
        mark(target(node), 'itself', reason);
      } else if (ts.isCallExpression(node) && depth > 0) {
        const callee = unwrap(node.expression);
        if (ts.isIdentifier(callee)) mark(target(callee), 'returned', reason);
        for (const argument of node.arguments) markExpression(argument, reason, depth - 1);
      }
    };
    if (file.startsWith('api/')) {
      for (const statement of sourceFile.statements) {
        if (ts.isExportAssignment(statement) && !statement.isExportEquals) {
          markExpression(statement.expression, `the default export of ${file}`, 2);
        }
        if (
          ts.isExportDeclaration(statement) &&
          statement.moduleSpecifier &&
          ts.isStringLiteral(statement.moduleSpecifier) &&
          statement.exportClause &&
          ts.isNamedExports(statement.exportClause)
        ) {
          const resolved = resolveImport(file, statement.moduleSpecifier.text, known);
          for (const element of statement.exportClause.elements) {
            if (element.name.text === 'default' && resolved) {
              mark({ file: resolved, name: (element.propertyName ?? element.name).text }, 'itself', `the default export of ${file}`);
            }
          }
        }
      }
    }
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && isBotRegistration(node)) {
        const reason = `registered with .${calleeName(node)}() in ${file}`;
        for (const argument of node.arguments) markExpression(argument, reason, 2);
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return entries;
}

function isBotRegistration(call: ts.CallExpression): boolean {
  const method = calleeName(call);
  if (method === undefined || !REGISTRATION_METHODS.has(method)) return false;
  const receiver = receiverOf(call);
  if (!receiver) return false;
  const root = rootIdentifier(receiver);
  return !(root && NON_BOT_RECEIVERS.has(root.text));
}

function importedNames(file: string, sourceFile: ts.SourceFile, known: ReadonlySet<string>): Map<string, { file: string; name: string }> {
  const names = new Map<string, { file: string; name: string }>();
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || !statement.importClause) continue;
    const resolved = resolveImport(file, statement.moduleSpecifier.text, known);
    if (!resolved) continue;
    const clause = statement.importClause;
    if (clause.name) names.set(clause.name.text, { file: resolved, name: 'default' });
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) {
        names.set(element.name.text, { file: resolved, name: (element.propertyName ?? element.name).text });
      }
    }
  }
  return names;
}

function topLevelFunctionNames(sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name) names.add(statement.name.text);
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const initializer = declaration.initializer ? unwrap(declaration.initializer) : undefined;
        if (ts.isIdentifier(declaration.name) && initializer && isFunctionNode(initializer)) names.add(declaration.name.text);
      }
    }
  }
  return names;
}

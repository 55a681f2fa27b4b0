// @ts-check
import path from 'node:path';
import { calleeName, enclosingFunction, functionName, outermost, receiverOf, rootIdentifier, unwrap, walk } from './syntax.js';
/** @import { TSESLint, TSESTree } from '@typescript-eslint/utils' */
/** @import { FunctionNode } from './syntax.js' */

/**
 * "Per-request code": code that runs for every update or HTTP request, as opposed to code that
 * runs once per instance (module scope, factories at cold start). ESLint sees one file at a time,
 * so this is decided from the file itself and ESLint's scope analysis.
 */
export const PER_REQUEST_DEFINITION =
  'Per-request code = every function in an api/ file; a function a bot registers (bot.on/command/action/use/..., ' +
  'directly, by name, or as what a local factory returns: bot.use(middleware(...))); a function whose first ' +
  'parameter is the update context or the HTTP request (ctx, req, or typed *Context, IncomingMessage, VercelRequest, ' +
  'Request); a function named handle*/on*; a top-level function in lib/bot/handlers/ (except register*/create*/' +
  'setup* set-up); nested functions inherit. Functions passed to once()/memo*()/lazy*() are memoized factories, ' +
  'not per-request. Definition: tools/eslint-plugin/per-request.js.';

/**
 * @typedef {object} Classification
 * @property {boolean} perRequest
 * @property {string} reason Why it is (or is not) per-request, for messages.
 * @property {string | undefined} name The function's name (or that of the function it is nested in).
 */

/**
 * @typedef {object} PerRequestCode
 * @property {string} file The linted file, relative to ESLint's working directory, with forward slashes.
 * @property {(fn: FunctionNode) => Classification} classify
 * @property {(node: TSESTree.Node) => Classification | undefined} at The innermost function around `node`; undefined at module scope.
 */

const MEMO_WRAPPER = /^(once|memo\w*|lazy\w*|singleton\w*)$/i;
const REGISTRATION_METHODS = new Set(['on', 'command', 'action', 'hears', 'use', 'start', 'help', 'settings', 'inlineQuery', 'enter', 'leave']);
const NON_BOT_RECEIVERS = new Set(['process']);
const HANDLER_NAME = /^(handle|handler|handle[A-Z_]\w*|on[A-Z_]\w*)$/;
const SETUP_NAME = /^(register|create|build|make|setup|install|init|configure)([A-Z_]\w*)?$/;
const CONTEXT_PARAMETER = { names: new Set(['ctx']), type: /Context$/ };
const REQUEST_PARAMETER = { names: new Set(['req']), types: new Set(['IncomingMessage', 'VercelRequest', 'Request']) };

/** @param {string | undefined} name */
export function isHandlerName(name) {
  return name !== undefined && HANDLER_NAME.test(name);
}

/** @param {string | undefined} name */
export function isSetupName(name) {
  return name !== undefined && SETUP_NAME.test(name);
}

/**
 * The linted file relative to ESLint's working directory (the project root), with forward slashes.
 * @param {Readonly<TSESLint.RuleContext<string, readonly unknown[]>>} context
 */
export function projectPath(context) {
  const filename = context.physicalFilename || context.filename;
  const relative = path.isAbsolute(filename) ? path.relative(context.cwd, filename) : filename;
  return relative.split(path.sep).join('/');
}

/**
 * Classifies the functions of the file being linted (memoized per function).
 * @param {Readonly<TSESLint.RuleContext<string, readonly unknown[]>>} context
 * @returns {PerRequestCode}
 */
export function perRequestCode(context) {
  const { sourceCode } = context;
  const file = projectPath(context);
  const inApi = file.startsWith('api/');
  const inHandlers = file.startsWith('lib/bot/handlers/');
  /** @type {WeakMap<FunctionNode, Classification>} */
  const cache = new WeakMap();
  /** @type {Set<string> | undefined} */
  let defaultExports;

  /** @param {FunctionNode} fn @returns {Classification} */
  function classify(fn) {
    let found = cache.get(fn);
    if (!found) {
      found = decide(fn);
      cache.set(fn, found);
    }
    return found;
  }

  /** @param {FunctionNode} fn @returns {Classification} */
  function decide(fn) {
    const name = functionName(fn);
    const yes = (/** @type {string} */ reason) => ({ perRequest: true, reason, name });
    const wrapper = callTaking(fn);
    if (wrapper && MEMO_WRAPPER.test(calleeName(wrapper) ?? '')) {
      return { perRequest: false, reason: `memoized factory passed to ${calleeName(wrapper)}()`, name };
    }
    if (inApi) return yes(isDefaultExport(fn, name) ? 'default export of an api/ file' : 'function defined in an api/ file');
    const registration = registrationOf(outermost(fn));
    if (registration) return yes(`update callback registered with .${calleeName(registration)}()`);
    for (const reference of referencesTo(fn)) {
      const byName = registrationOf(outermost(reference.identifier));
      if (byName) return yes(`registered by name with .${calleeName(byName)}()`);
    }
    const factory = factoryReturning(fn);
    if (factory) {
      for (const reference of referencesTo(factory)) {
        const call = outermost(reference.identifier).parent;
        if (call?.type !== 'CallExpression' || outermost(call.callee) !== outermost(reference.identifier)) continue;
        const registered = registrationOf(outermost(call));
        if (registered) return yes(`returned by ${functionName(factory) ?? 'a factory'}(), registered with .${calleeName(registered)}()`);
      }
    }
    if (isHandlerName(name)) return yes(`named like a handler (${name})`);
    const parameter = firstParameterKind(fn);
    if (parameter) return yes(parameter);
    if (inHandlers && isTopLevel(fn)) {
      if (isSetupName(name)) return { perRequest: false, reason: `set-up function ${name} in lib/bot/handlers/`, name };
      return yes('function in lib/bot/handlers/');
    }
    const parent = enclosingFunction(fn);
    if (parent) {
      const outer = classify(parent);
      if (outer.perRequest) return { perRequest: true, reason: outer.reason, name: name ?? outer.name };
    }
    return { perRequest: false, reason: 'not reached per request', name };
  }

  /** @param {FunctionNode} fn @param {string | undefined} name */
  function isDefaultExport(fn, name) {
    for (let current = outermost(fn); current.parent; current = outermost(current.parent)) {
      if (current.parent.type === 'ExportDefaultDeclaration') return true;
      if (current.parent.type !== 'CallExpression') break;
    }
    if (name === undefined) return false;
    defaultExports ??= defaultExportNames(sourceCode.ast);
    return defaultExports.has(name);
  }

  /**
   * The references to the variable that holds `fn` (`function f` or `const f = () => ...`).
   * @param {FunctionNode} fn
   */
  function referencesTo(fn) {
    /** @type {TSESTree.Node | undefined} */
    let declaring;
    const holder = outermost(fn).parent;
    if (fn.type === 'FunctionDeclaration') declaring = fn;
    else if (holder?.type === 'VariableDeclarator' && holder.init === outermost(fn)) declaring = holder;
    const name = fn.type === 'FunctionDeclaration' ? fn.id?.name : holder?.type === 'VariableDeclarator' && holder.id.type === 'Identifier' ? holder.id.name : undefined;
    if (!declaring || name === undefined) return [];
    // A function declares its parameters too: only the variable that holds the function counts.
    return sourceCode
      .getDeclaredVariables(declaring)
      .filter((variable) => variable.name === name && variable.defs.some((definition) => definition.node === declaring))
      .flatMap((variable) => variable.references);
  }

  /**
   * The function that returns `fn`: `return fn`, `return wrap(fn)`, an arrow's expression body,
   * or a local `const handler = fn` returned by name.
   * @param {FunctionNode} fn
   * @returns {FunctionNode | undefined}
   */
  function factoryReturning(fn) {
    let current = outermost(fn);
    for (;;) {
      const parent = current.parent;
      if (!parent) return undefined;
      if (parent.type === 'CallExpression' && parent.arguments.some((argument) => argument === current)) {
        current = outermost(parent);
        continue;
      }
      if (parent.type === 'ReturnStatement') return enclosingFunction(parent);
      if (parent.type === 'ArrowFunctionExpression' && parent.body === current) return parent;
      if (parent.type === 'VariableDeclarator' && parent.init === current && parent.id.type === 'Identifier') {
        const factory = enclosingFunction(parent);
        return factory && returnsName(factory, parent.id.name) ? factory : undefined;
      }
      return undefined;
    }
  }

  /** @param {FunctionNode} factory @param {string} name */
  function returnsName(factory, name) {
    if (factory.body.type !== 'BlockStatement') {
      const body = unwrap(factory.body);
      return body.type === 'Identifier' && body.name === name;
    }
    let found = false;
    walk(
      factory.body,
      sourceCode.visitorKeys,
      (node) => {
        if (node.type !== 'ReturnStatement' || !node.argument) return;
        const argument = unwrap(node.argument);
        if (argument.type === 'Identifier' && argument.name === name) found = true;
      },
      { skipFunctions: true },
    );
    return found;
  }

  return {
    file,
    classify,
    at(node) {
      const fn = enclosingFunction(node);
      return fn ? classify(fn) : undefined;
    },
  };
}

/**
 * `name: reason`, for messages.
 * @param {Classification | undefined} classification
 */
export function describe(classification) {
  if (!classification) return 'module scope';
  return classification.name ? `${classification.name}: ${classification.reason}` : classification.reason;
}

/**
 * The call `node` is a direct argument of (`f(() => ...)`), else undefined.
 * @param {TSESTree.Node} node
 * @returns {TSESTree.CallExpression | undefined}
 */
function callTaking(node) {
  const current = outermost(node);
  const parent = current.parent;
  if (parent?.type === 'CallExpression' && parent.arguments.some((argument) => argument === current)) return parent;
  return undefined;
}

/**
 * The bot registration `node` is passed to, directly or inside wrapper calls
 * (`bot.command('x', named('x', node))`), else undefined.
 * @param {TSESTree.Node} node
 * @returns {TSESTree.CallExpression | undefined}
 */
function registrationOf(node) {
  for (let call = callTaking(node); call; call = callTaking(call)) {
    if (isBotRegistration(call)) return call;
  }
  return undefined;
}

/** @param {TSESTree.CallExpression} call */
function isBotRegistration(call) {
  const method = calleeName(call);
  if (method === undefined || !REGISTRATION_METHODS.has(method)) return false;
  const receiver = receiverOf(call);
  if (!receiver) return false;
  const root = rootIdentifier(receiver);
  return !(root && NON_BOT_RECEIVERS.has(root.name));
}

/**
 * Why the first parameter makes the function per-request, or undefined.
 * @param {FunctionNode} fn
 * @returns {string | undefined}
 */
function firstParameterKind(fn) {
  let parameter = fn.params[0];
  if (parameter?.type === 'AssignmentPattern') parameter = parameter.left;
  if (parameter?.type !== 'Identifier') return undefined;
  const type = typeName(parameter.typeAnnotation?.typeAnnotation);
  if (CONTEXT_PARAMETER.names.has(parameter.name) || (type !== undefined && CONTEXT_PARAMETER.type.test(type))) {
    return `takes the update context (${parameter.name})`;
  }
  if (REQUEST_PARAMETER.names.has(parameter.name) || (type !== undefined && REQUEST_PARAMETER.types.has(type))) {
    return `takes the HTTP request (${parameter.name})`;
  }
  return undefined;
}

/**
 * `BotContext` for `BotContext` and `ns.BotContext`; undefined for other types.
 * @param {TSESTree.TypeNode | undefined} type
 */
function typeName(type) {
  if (type?.type !== 'TSTypeReference') return undefined;
  const name = type.typeName;
  if (name.type === 'Identifier') return name.name;
  if (name.type === 'TSQualifiedName') return name.right.name;
  return undefined;
}

/**
 * A function declared at the top of the file (`function f`, `export const f = () => ...`).
 * @param {FunctionNode} fn
 */
function isTopLevel(fn) {
  /** @type {TSESTree.Node | undefined} */
  let statement = fn.type === 'FunctionDeclaration' ? fn : undefined;
  const holder = outermost(fn).parent;
  if (!statement && holder?.type === 'VariableDeclarator' && holder.init === outermost(fn)) statement = holder.parent;
  if (!statement) return false;
  const parent = statement.parent;
  if (parent?.type === 'Program') return true;
  return (parent?.type === 'ExportNamedDeclaration' || parent?.type === 'ExportDefaultDeclaration') && parent.parent?.type === 'Program';
}

/**
 * Names exported as default: `export default handler;` and `export { handler as default }`.
 * @param {TSESTree.Program} program
 */
function defaultExportNames(program) {
  const names = new Set();
  for (const statement of program.body) {
    if (statement.type === 'ExportDefaultDeclaration' && statement.declaration.type === 'Identifier') names.add(statement.declaration.name);
    if (statement.type === 'ExportNamedDeclaration' && !statement.source) {
      for (const specifier of statement.specifiers) {
        const exported = specifier.exported.type === 'Identifier' ? specifier.exported.name : specifier.exported.value;
        if (exported === 'default' && specifier.local.type === 'Identifier') names.add(specifier.local.name);
      }
    }
  }
  return names;
}

// @ts-check
/** @import { TSESLint, TSESTree } from '@typescript-eslint/utils' */

/**
 * Small helpers over the typescript-eslint AST that the rules share. Names are read as written
 * (no type checker); which binding a name refers to comes from ESLint's scope analysis.
 */

/** @typedef {TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression} FunctionNode */
/** @typedef {TSESTree.ForStatement | TSESTree.ForInStatement | TSESTree.ForOfStatement | TSESTree.WhileStatement | TSESTree.DoWhileStatement} LoopNode */

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);
const LOOP_TYPES = new Set(['ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'DoWhileStatement']);
/** Wrappers that change nothing at run time. */
const TRANSPARENT_TYPES = new Set(['TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion', 'ChainExpression']);

/** The selector every loop matches, for `'<selector>:exit'` listeners. */
export const LOOP_SELECTOR = [...LOOP_TYPES].join(', ');

/**
 * @param {TSESTree.Node | null | undefined} node
 * @returns {node is FunctionNode}
 */
export function isFunction(node) {
  return node != null && FUNCTION_TYPES.has(node.type);
}

/**
 * @param {TSESTree.Node | null | undefined} node
 * @returns {node is LoopNode}
 */
export function isLoop(node) {
  return node != null && LOOP_TYPES.has(node.type);
}

/**
 * Strips `as`, `satisfies`, `!`, `<T>x` and optional-chain wrappers.
 * @param {TSESTree.Node} node
 * @returns {TSESTree.Node}
 */
export function unwrap(node) {
  let current = node;
  while (TRANSPARENT_TYPES.has(current.type)) current = /** @type {{ expression: TSESTree.Node }} */ (/** @type {unknown} */ (current)).expression;
  return current;
}

/**
 * The outermost wrapper around `node` (see `unwrap`): the node whose parent gives it meaning.
 * @param {TSESTree.Node} node
 * @returns {TSESTree.Node}
 */
export function outermost(node) {
  let current = node;
  while (current.parent && TRANSPARENT_TYPES.has(current.parent.type)) current = current.parent;
  return current;
}

/**
 * `f` for `f(...)`, `m` for `a.b.m(...)` and `a['m'](...)`; undefined for computed callees.
 * @param {TSESTree.CallExpression | TSESTree.NewExpression} call
 * @returns {string | undefined}
 */
export function calleeName(call) {
  const callee = unwrap(call.callee);
  if (callee.type === 'Identifier') return callee.name;
  if (callee.type === 'MemberExpression') return propertyName(callee);
  return undefined;
}

/**
 * `b` for `a.b` and `a['b']`.
 * @param {TSESTree.MemberExpression} member
 * @returns {string | undefined}
 */
export function propertyName(member) {
  if (!member.computed && member.property.type === 'Identifier') return member.property.name;
  if (member.property.type === 'Literal' && typeof member.property.value === 'string') return member.property.value;
  return undefined;
}

/**
 * The object a method is called on: `a.b` for `a.b.m()`; undefined for plain calls.
 * @param {TSESTree.CallExpression | TSESTree.NewExpression} call
 * @returns {TSESTree.Expression | undefined}
 */
export function receiverOf(call) {
  const callee = unwrap(call.callee);
  return callee.type === 'MemberExpression' ? callee.object : undefined;
}

/**
 * `x` for `x`, `x.a.b`, `x[k].c`, `x!.a`; undefined when the chain does not start at a name.
 * @param {TSESTree.Node} node
 * @returns {TSESTree.Identifier | undefined}
 */
export function rootIdentifier(node) {
  let current = unwrap(node);
  while (current.type === 'MemberExpression') current = unwrap(current.object);
  return current.type === 'Identifier' ? current : undefined;
}

/**
 * The innermost function around `node`, or undefined at module scope.
 * @param {TSESTree.Node} node
 * @returns {FunctionNode | undefined}
 */
export function enclosingFunction(node) {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunction(current)) return current;
  }
  return undefined;
}

/**
 * The loop whose body holds `node` in the same function (a loop's header belongs to the loop
 * around it), or undefined.
 * @param {TSESTree.Node} node
 * @returns {LoopNode | undefined}
 */
export function loopAround(node) {
  for (let current = node; current.parent; current = current.parent) {
    const parent = current.parent;
    if (isFunction(parent)) return undefined;
    if (isLoop(parent) && parent.body === current) return parent;
  }
  return undefined;
}

/**
 * How the loop is written, for messages.
 * @param {LoopNode} loop
 */
export function loopKind(loop) {
  if (loop.type === 'ForOfStatement') return loop.await ? 'for await...of' : 'for...of';
  if (loop.type === 'ForInStatement') return 'for...in';
  if (loop.type === 'WhileStatement') return 'while';
  if (loop.type === 'DoWhileStatement') return 'do...while';
  return 'for';
}

/**
 * The name a function is known by: its own, or that of the variable, property or method holding it.
 * @param {FunctionNode} fn
 * @returns {string | undefined}
 */
export function functionName(fn) {
  if (fn.id) return fn.id.name;
  const parent = fn.parent;
  if (parent.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name;
  if ((parent.type === 'Property' || parent.type === 'MethodDefinition' || parent.type === 'PropertyDefinition') && parent.value === fn) {
    return keyName(parent.key);
  }
  if (parent.type === 'AssignmentExpression' && parent.right === fn) {
    const left = unwrap(parent.left);
    if (left.type === 'Identifier') return left.name;
    if (left.type === 'MemberExpression') return propertyName(left);
  }
  return undefined;
}

/**
 * @param {TSESTree.Node} key
 * @returns {string | undefined}
 */
function keyName(key) {
  if (key.type === 'Identifier' || key.type === 'PrivateIdentifier') return key.name;
  if (key.type === 'Literal') return String(key.value);
  return undefined;
}

/**
 * Calls `visit` on `node` and every node below it, except inside nested functions when
 * `skipFunctions` is set. `visit` returning false skips that node's children.
 * @param {TSESTree.Node | null | undefined} node
 * @param {Readonly<Record<string, readonly string[] | undefined>>} keys ESLint's visitor keys (`sourceCode.visitorKeys`)
 * @param {(node: TSESTree.Node) => boolean | void} visit
 * @param {{ skipFunctions?: boolean }} [options]
 */
export function walk(node, keys, visit, options = {}) {
  if (!node) return;
  if (visit(node) === false) return;
  for (const key of keys[node.type] ?? []) {
    const child = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (node))[key];
    for (const item of Array.isArray(child) ? child : [child]) {
      if (!isNode(item)) continue;
      if (options.skipFunctions && isFunction(item)) continue;
      walk(item, keys, visit, options);
    }
  }
}

/**
 * @param {unknown} value
 * @returns {value is TSESTree.Node}
 */
function isNode(value) {
  return typeof value === 'object' && value !== null && typeof (/** @type {{ type?: unknown }} */ (value)).type === 'string';
}

/**
 * Names read anywhere inside `node` (a property name after a dot is not a read).
 * @param {TSESTree.Node | null | undefined} node
 * @param {Readonly<Record<string, readonly string[] | undefined>>} keys
 * @returns {Set<string>}
 */
export function identifiersIn(node, keys) {
  const names = new Set();
  walk(node, keys, (current) => {
    if (current.type !== 'Identifier') return;
    const parent = current.parent;
    if (parent?.type === 'MemberExpression' && parent.property === current && !parent.computed) return;
    names.add(current.name);
  });
  return names;
}

/**
 * True when `node` sits in the branch of an `if`, `?:`, `||`, `??` or `&&` (in the same function)
 * whose condition reads `name`: the guard of a lazy initialization.
 * @param {TSESTree.Node} node
 * @param {string} name
 * @param {Readonly<Record<string, readonly string[] | undefined>>} keys
 * @returns {boolean}
 */
export function isGuardedBy(node, name, keys) {
  for (let current = node; current.parent && !isFunction(current); current = current.parent) {
    const parent = current.parent;
    if (parent.type === 'IfStatement' && parent.consequent === current && identifiersIn(parent.test, keys).has(name)) return true;
    if (parent.type === 'ConditionalExpression' && parent.test !== current && identifiersIn(parent.test, keys).has(name)) return true;
    if (parent.type === 'LogicalExpression' && parent.right === current && identifiersIn(parent.left, keys).has(name)) return true;
  }
  return false;
}

/**
 * True when `identifier` refers to a variable declared at the top of the module.
 * @param {Readonly<TSESLint.SourceCode>} sourceCode
 * @param {TSESTree.Identifier} identifier
 */
export function isModuleVariable(sourceCode, identifier) {
  for (let scope = /** @type {TSESLint.Scope.Scope | null} */ (sourceCode.getScope(identifier)); scope; scope = scope.upper) {
    const variable = scope.set.get(identifier.name);
    if (variable) return scope.type === 'module' || scope.type === 'global';
  }
  return false;
}

// @ts-check
import { createRule } from '../create-rule.js';
import { describe, perRequestCode } from '../per-request.js';
import { calleeName, isGuardedBy, outermost, propertyName, receiverOf, unwrap } from '../syntax.js';
import { isClientConstruction } from './client-per-request.js';
/** @import { TSESLint, TSESTree } from '@typescript-eslint/utils' */

const MUTATING_METHODS = new Set(['set', 'add', 'delete', 'clear', 'push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin']);
const WHY =
  "one warm instance serves many updates at once (Fluid compute), so module-scope variables are shared by concurrent updates: one chat can see or overwrite another chat's data, and the state vanishes on the next cold start";

export default createRule({
  name: 'module-state',
  meta: {
    type: 'problem',
    docs: {
      description: 'Per-request code must not write module-scope variables or containers.',
      why: `Module scope lives as long as the instance, not the update: ${WHY}.`,
      fix: 'keep per-update data in local variables, the update context or the Redis-backed session; if the module-scope state is deliberate (an instance-wide cache), say why with `// eslint-disable-next-line serverless/module-state -- <reason>` above the declaration',
    },
    schema: [],
    messages: { shared: `{{what}} is written by per-request code at {{sites}}: ${WHY}.` },
  },
  defaultOptions: [],
  create(context) {
    const perRequest = perRequestCode(context);
    const { sourceCode } = context;
    const keys = sourceCode.visitorKeys;

    /** @param {TSESLint.Scope.Variable} variable */
    function check(variable) {
      const definition = variable.defs[0];
      if (definition?.type !== 'Variable' || definition.node.id.type !== 'Identifier' || definition.parent.declare) return;
      const { kind } = definition.parent;
      const init = definition.node.init ? unwrap(definition.node.init) : undefined;
      const container = init !== undefined && isContainer(init);
      const flag = init?.type === 'Literal' && typeof init.value === 'boolean';
      if (kind !== 'let' && kind !== 'var' && !container) return;
      /** @type {string[]} */
      const sites = [];
      for (const reference of variable.references) {
        if (reference.init) continue;
        const where = perRequest.at(reference.identifier);
        if (!where?.perRequest) continue;
        if (reference.isWrite()) {
          const assignment = outermost(reference.identifier).parent;
          if (assignment?.type === 'AssignmentExpression') {
            if (isLazyInit(assignment, variable.name)) continue;
            if (flag && isBooleanLiteral(assignment.right)) continue;
          }
        } else if (!container || reference.identifier.type !== 'Identifier' || !mutates(reference.identifier)) {
          continue;
        }
        sites.push(`line ${reference.identifier.loc.start.line} (${describe(where)})`);
      }
      if (sites.length === 0) return;
      const more = sites.length > 3 ? ` and ${sites.length - 3} more` : '';
      context.report({
        node: definition.node,
        messageId: 'shared',
        data: {
          what: `module-scope ${kind} ${variable.name}${container ? ' (a shared container)' : ''}`,
          sites: `${sites.slice(0, 3).join(', ')}${more}`,
        },
      });
    }

    /** `x ??= v`, `x ||= v`, or `x = v` under `if (!x)`: a lazy initialization. @param {TSESTree.AssignmentExpression} assignment @param {string} name */
    function isLazyInit(assignment, name) {
      if (assignment.operator === '??=' || assignment.operator === '||=') return true;
      return assignment.operator === '=' && isGuardedBy(assignment, name, keys);
    }

    return {
      'Program:exit'(program) {
        const global = sourceCode.getScope(program);
        const moduleScope = global.childScopes.find((scope) => scope.type === 'module') ?? global;
        for (const variable of moduleScope.variables) check(variable);
      },
    };
  },
});

/**
 * True when the module container `identifier` names is written through it: `x.a = 1`, `x[k]++`,
 * `delete x[k]`, `x.set(...)`, `x.push(...)`, `Object.assign(x, ...)`. `x.set(key, new Client())`
 * is a memoized client per key, not state.
 * @param {TSESTree.Identifier} identifier
 */
function mutates(identifier) {
  const start = outermost(identifier);
  let top = start;
  while (top.parent?.type === 'MemberExpression' && top.parent.object === top) top = outermost(top.parent);
  const parent = top.parent;
  if (!parent) return false;
  if (top !== start && top.type === 'MemberExpression') {
    if (parent.type === 'AssignmentExpression' && parent.left === top) return true;
    if (parent.type === 'UpdateExpression') return true;
    if (parent.type === 'UnaryExpression' && parent.operator === 'delete') return true;
    if (parent.type === 'CallExpression' && parent.callee === top && MUTATING_METHODS.has(propertyName(top) ?? '')) {
      const value = parent.arguments[1];
      return !(propertyName(top) === 'set' && value && isClientConstruction(unwrap(value)));
    }
  }
  return parent.type === 'CallExpression' && parent.arguments[0] === top && isObjectCall(parent, 'assign');
}

/** `new Map()`, `new Set()`, `new Array()`, `[]`, `{}`, `Object.create(...)`: contents that can change. @param {TSESTree.Node} node */
function isContainer(node) {
  if (node.type === 'ArrayExpression' || node.type === 'ObjectExpression') return true;
  if (node.type === 'NewExpression') return ['Map', 'Set', 'Array'].includes(calleeName(node) ?? '');
  return node.type === 'CallExpression' && isObjectCall(node, 'create');
}

/** `Object.<method>(...)`. @param {TSESTree.CallExpression} call @param {string} method */
function isObjectCall(call, method) {
  const receiver = receiverOf(call);
  return calleeName(call) === method && receiver?.type === 'Identifier' && receiver.name === 'Object';
}

/** @param {TSESTree.Node} node */
function isBooleanLiteral(node) {
  const value = unwrap(node);
  return value.type === 'Literal' && typeof value.value === 'boolean';
}

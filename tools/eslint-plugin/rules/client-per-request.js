// @ts-check
import { createRule } from '../create-rule.js';
import { describe, perRequestCode } from '../per-request.js';
import { calleeName, isGuardedBy, isModuleVariable, outermost, receiverOf, rootIdentifier, unwrap } from '../syntax.js';
/** @import { TSESTree } from '@typescript-eslint/utils' */

/** `new X(...)` that builds a client, agent or pool (matched on the last name: `https.Agent` too). */
const CLIENT_CONSTRUCTORS = new Set(['Agent', 'Pool', 'BalancedPool', 'ProxyAgent', 'Redis', 'Telegraf', 'Ratelimit', 'LRUCache']);
/** Plain or member calls that build a client. */
const CLIENT_FACTORIES = new Set(['createBackendClient', 'createApp', 'createLogger', 'pino']);
/** `receiver.method(...)` calls that build a client, when the receiver is the library itself. */
const CLIENT_MEMBER_FACTORIES = new Set(['ky.create', 'ky.extend', 'Redis.fromEnv']);
const WHY =
  'every update then pays a new TCP/TLS handshake (tens of ms) and a fresh client set-up, and the pool is never reused';

/**
 * True for `new Agent(...)`, `ky.create(...)`, `createBackendClient(...)` and the like.
 * @param {TSESTree.Node} node
 * @returns {node is TSESTree.NewExpression | TSESTree.CallExpression}
 */
export function isClientConstruction(node) {
  if (node.type === 'NewExpression') return CLIENT_CONSTRUCTORS.has(calleeName(node) ?? '');
  if (node.type !== 'CallExpression') return false;
  const name = calleeName(node);
  if (name === undefined) return false;
  if (CLIENT_FACTORIES.has(name)) return true;
  const receiver = receiverOf(node);
  const library = receiver ? unwrap(receiver) : undefined;
  return library?.type === 'Identifier' && CLIENT_MEMBER_FACTORIES.has(`${library.name}.${name}`);
}

export default createRule({
  name: 'client-per-request',
  meta: {
    type: 'problem',
    docs: {
      description: 'Build HTTP agents, connection pools and clients once per instance, not in per-request code.',
      why: `On Vercel one warm instance serves many updates: ${WHY}.`,
      fix: 'build it at module scope or in a memoized factory (`let x; export const getX = () => (x ??= new X(...))`) and pass it in',
    },
    schema: [],
    messages: { perRequest: `{{what}} runs in per-request code ({{where}}): ${WHY}.` },
  },
  defaultOptions: [],
  create(context) {
    const perRequest = perRequestCode(context);
    const { sourceCode } = context;

    /**
     * The memoized shapes: `x ??= new X()`, `x ||= ...`, `if (!x) x = ...` with `x` in module
     * scope, and `cache.set(key, new X())` on a module-scope map.
     * @param {TSESTree.Node} node
     */
    function isMemoized(node) {
      let current = outermost(node);
      while (current.parent?.type === 'AwaitExpression') current = outermost(current.parent);
      const parent = current.parent;
      if (parent?.type === 'AssignmentExpression' && parent.right === current) {
        const root = rootIdentifier(parent.left);
        if (!root || !isModuleVariable(sourceCode, root)) return false;
        if (parent.operator === '??=' || parent.operator === '||=') return true;
        return parent.operator === '=' && isGuardedBy(parent, root.name, sourceCode.visitorKeys);
      }
      if (parent?.type === 'CallExpression' && calleeName(parent) === 'set' && parent.arguments[1] === current) {
        const receiver = receiverOf(parent);
        const root = receiver ? rootIdentifier(receiver) : undefined;
        return root !== undefined && isModuleVariable(sourceCode, root);
      }
      return false;
    }

    /** @param {TSESTree.NewExpression | TSESTree.CallExpression} node */
    function check(node) {
      if (!isClientConstruction(node)) return;
      const where = perRequest.at(node);
      if (!where?.perRequest || isMemoized(node)) return;
      const what = `${node.type === 'NewExpression' ? 'new ' : ''}${sourceCode.getText(node.callee)}(...)`;
      context.report({ node, messageId: 'perRequest', data: { what, where: describe(where) } });
    }

    return { NewExpression: check, CallExpression: check };
  },
});


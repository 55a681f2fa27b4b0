// @ts-check
import { createRule } from '../create-rule.js';
import { describe, perRequestCode } from '../per-request.js';
import { calleeName, identifiersIn, loopAround, loopKind, LOOP_SELECTOR, receiverOf, unwrap, walk } from '../syntax.js';
/** @import { TSESTree } from '@typescript-eslint/utils' */
/** @import { LoopNode } from '../syntax.js' */

/** Awaits that are already the fix (batching) or deliberate waits (back-off, polling). */
const PROMISE_COMBINATORS = new Set(['all', 'allSettled', 'race', 'any']);
const DELIBERATE_WAITS = new Set(['sleep', 'delay', 'wait', 'pause', 'backoff', 'setTimeout']);
const WHY = 'the iterations run one after another, so the update pays the sum of the round trips instead of the longest one';

export default createRule({
  name: 'await-in-loop',
  meta: {
    type: 'suggestion',
    docs: {
      description: 'Start independent awaited calls together instead of one per loop iteration in per-request code.',
      why: `A webhook answer waits for the whole update: ${WHY}.`,
      fix: 'start the calls together (`await Promise.all(items.map(...))`, in chunks if there are many), or batch them into one request (a Redis pipeline, a bulk backend call)',
    },
    schema: [],
    messages: {
      inLoop: `{{count}} (first: {{first}}) inside the body of the {{kind}} loop on line {{line}} in per-request code ({{where}}): ${WHY}.`,
    },
  },
  defaultOptions: [],
  create(context) {
    const perRequest = perRequestCode(context);
    const { sourceCode } = context;
    const keys = sourceCode.visitorKeys;
    /** @type {Map<LoopNode, { node: TSESTree.AwaitExpression, call: TSESTree.CallExpression }[]>} */
    const awaitedCalls = new Map();

    /**
     * Loops whose iterations must run one after another: they leave early (`return` in the body:
     * a retry or search loop), they poll (`while (true)` with a `break`), or their condition depends
     * on what the body computes (`while (cursor) { ...; cursor = page.next }`: pagination).
     * @param {LoopNode} loop
     */
    function isSequentialByDesign(loop) {
      if (contains(loop.body, 'ReturnStatement')) return true;
      if (loop.type === 'ForOfStatement' || loop.type === 'ForInStatement') return false;
      const condition = loop.test ?? undefined;
      const constantTrue = condition === undefined || (condition.type === 'Literal' && condition.value === true);
      if (constantTrue && contains(loop.body, 'BreakStatement')) return true;
      const controlling = identifiersIn(condition, keys);
      if (loop.type === 'ForStatement') for (const name of identifiersIn(loop.update, keys)) controlling.add(name);
      return [...assignedNames(loop.body)].some((name) => controlling.has(name));
    }

    /** @param {TSESTree.Node} node @param {string} type */
    function contains(node, type) {
      let found = false;
      walk(node, keys, (current) => {
        if (current.type === type) found = true;
        return !found;
      }, { skipFunctions: true });
      return found;
    }

    /** Names assigned or incremented in `node`, not counting nested functions. @param {TSESTree.Node} node */
    function assignedNames(node) {
      const names = new Set();
      walk(node, keys, (current) => {
        const target = current.type === 'AssignmentExpression' ? current.left : current.type === 'UpdateExpression' ? current.argument : undefined;
        const unwrapped = target ? unwrap(target) : undefined;
        if (unwrapped?.type === 'Identifier') names.add(unwrapped.name);
      }, { skipFunctions: true });
      return names;
    }

    return {
      AwaitExpression(node) {
        const call = unwrap(node.argument);
        if (call.type !== 'CallExpression' || !isParallelizable(call)) return;
        const loop = loopAround(node);
        if (!loop) return;
        const calls = awaitedCalls.get(loop) ?? [];
        calls.push({ node, call });
        awaitedCalls.set(loop, calls);
      },
      /** @param {LoopNode} loop */
      [`${LOOP_SELECTOR}:exit`](loop) {
        const calls = awaitedCalls.get(loop);
        const first = calls?.[0];
        if (!calls || !first) return;
        const where = perRequest.at(loop);
        if (!where?.perRequest || isSequentialByDesign(loop)) return;
        context.report({
          node: first.node,
          messageId: 'inLoop',
          data: {
            count: calls.length === 1 ? 'an awaited call' : `${calls.length} awaited calls`,
            first: `${sourceCode.getText(first.call.callee)}(...)`,
            kind: loopKind(loop),
            line: loop.loc.start.line,
            where: describe(where),
          },
        });
      },
    };
  },
});

/**
 * An awaited call that could run in parallel: not `Promise.all(...)` (already batched) nor `sleep(...)`.
 * @param {TSESTree.CallExpression} call
 */
function isParallelizable(call) {
  const name = calleeName(call) ?? '';
  const receiver = receiverOf(call);
  const promise = receiver ? unwrap(receiver) : undefined;
  if (promise?.type === 'Identifier' && promise.name === 'Promise' && PROMISE_COMBINATORS.has(name)) return false;
  return !DELIBERATE_WAITS.has(name);
}

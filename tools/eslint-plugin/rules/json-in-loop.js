// @ts-check
import { createRule } from '../create-rule.js';
import { describe, perRequestCode } from '../per-request.js';
import { loopAround, loopKind, LOOP_SELECTOR, unwrap } from '../syntax.js';
/** @import { TSESTree } from '@typescript-eslint/utils' */
/** @import { LoopNode } from '../syntax.js' */

const WHY = 'serializing inside a loop is CPU the update pays per item, and often a sign of one storage round trip per item';

export default createRule({
  name: 'json-in-loop',
  meta: {
    type: 'suggestion',
    docs: {
      description: 'Serialize once outside the loop instead of JSON.parse/JSON.stringify per item in per-request code.',
      why: `CPU time is billed and shared by every update an instance serves at once: ${WHY}.`,
      fix: 'serialize once outside the loop (one document, one pipeline), or use structuredClone for deep copies',
    },
    schema: [],
    messages: { inLoop: `{{call}}() inside the {{kind}} loop on line {{line}} in per-request code ({{where}}): ${WHY}.` },
  },
  defaultOptions: [],
  create(context) {
    const perRequest = perRequestCode(context);
    /** @type {Map<LoopNode, TSESTree.CallExpression>} */
    const firstCall = new Map();
    return {
      CallExpression(node) {
        const callee = unwrap(node.callee);
        if (callee.type !== 'MemberExpression' || callee.computed) return;
        if (callee.object.type !== 'Identifier' || callee.object.name !== 'JSON') return;
        if (callee.property.type !== 'Identifier' || !['parse', 'stringify'].includes(callee.property.name)) return;
        const loop = loopAround(node);
        if (loop && !firstCall.has(loop)) firstCall.set(loop, node);
      },
      /** @param {LoopNode} loop */
      [`${LOOP_SELECTOR}:exit`](loop) {
        const call = firstCall.get(loop);
        const where = perRequest.at(loop);
        if (!call || !where?.perRequest) return;
        context.report({
          node: call,
          messageId: 'inLoop',
          data: { call: context.sourceCode.getText(call.callee), kind: loopKind(loop), line: loop.loc.start.line, where: describe(where) },
        });
      },
    };
  },
});

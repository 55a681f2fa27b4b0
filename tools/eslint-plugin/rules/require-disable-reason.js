// @ts-check
import { createRule, PLUGIN_PREFIX } from '../create-rule.js';
/** @import { TSESTree } from '@typescript-eslint/utils' */

/**
 * @typedef {object} DisableDirective What ESLint 9's `sourceCode.getDisableDirectives()` returns per comment.
 * @property {'disable' | 'enable' | 'disable-line' | 'disable-next-line'} type
 * @property {TSESTree.Comment} node
 * @property {string} value The rule list ('' = every rule).
 * @property {string} justification The words after `--`.
 */

export default createRule({
  name: 'require-disable-reason',
  meta: {
    type: 'suggestion',
    docs: {
      description: `A comment that turns off a ${PLUGIN_PREFIX}/ rule says why after \`--\`.`,
      why: 'A suppression without a reason hides a cost on every update without telling the next reader why it is fine.',
      fix: `write \`// eslint-disable-next-line ${PLUGIN_PREFIX}/<rule> -- <reason>\` above the finding, or remove the comment`,
    },
    schema: [],
    messages: { noReason: 'eslint-{{type}} turns off {{rules}} without a reason: add `-- <why the code is fine>`.' },
  },
  defaultOptions: [],
  create(context) {
    return {
      Program() {
        const sourceCode = /** @type {{ getDisableDirectives(): { directives: DisableDirective[] } }} */ (/** @type {unknown} */ (context.sourceCode));
        for (const directive of sourceCode.getDisableDirectives().directives) {
          if (directive.type === 'enable' || directive.justification.trim() !== '') continue;
          const rules = directive.value.split(',').map((rule) => rule.trim()).filter(Boolean);
          if (rules.length > 0 && !rules.some((rule) => rule.startsWith(`${PLUGIN_PREFIX}/`))) continue;
          context.report({
            loc: directive.node.loc,
            messageId: 'noReason',
            data: { type: directive.type, rules: rules.length > 0 ? rules.join(', ') : 'every rule' },
          });
        }
      },
    };
  },
});

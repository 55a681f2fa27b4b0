// @ts-check
import { createRule } from '../create-rule.js';
import { describe, perRequestCode } from '../per-request.js';
import { calleeName, receiverOf, rootIdentifier, unwrap } from '../syntax.js';
/** @import { TSESLint, TSESTree } from '@typescript-eslint/utils' */

const CATALOG_METHODS = new Set(['listRequestTypes', 'listSides', 'listServiceCategories']);
const BACKEND_FACTORIES = new Set(['createBackendClient', 'getBackendClient', 'getBackend']);
/** The catalogue module is the cache in front of the backend; lib/backend/ is the client itself. */
const ALLOWED_FILES = /^lib\/(catalog|backend)(\/|\.[cm]?ts$)/;
const WHY = 'catalogue data changes rarely; calling the backend directly costs a backend round trip on every update';

export default createRule({
  name: 'cache-bypass',
  meta: {
    type: 'suggestion',
    docs: {
      description: 'Read the catalogue (request types, sides, categories) through lib/catalog/, not from the backend client.',
      why: `Instances are many and short-lived, so only the shared cache keeps the catalogue warm: ${WHY}.`,
      fix: 'read the catalogue through lib/catalog/ (the L1 + Redis cache, CATALOG_TTL_S) instead of the backend client',
    },
    schema: [],
    messages: { direct: `{{call}}() calls the backend directly{{where}}: ${WHY}.` },
  },
  defaultOptions: [],
  create(context) {
    const perRequest = perRequestCode(context);
    if (ALLOWED_FILES.test(perRequest.file)) return {};
    const { sourceCode } = context;

    /** @param {TSESTree.CallExpression} node @param {string} call */
    function report(node, call) {
      const where = perRequest.at(node);
      context.report({ node, messageId: 'direct', data: { call, where: where?.perRequest ? ` in per-request code (${describe(where)})` : '' } });
    }

    return {
      CallExpression(node) {
        const name = calleeName(node);
        if (name === undefined || !CATALOG_METHODS.has(name)) return;
        const receiver = receiverOf(node);
        if (!receiver) {
          const callee = unwrap(node.callee);
          if (callee.type === 'Identifier' && isBackendBinding(sourceCode, callee)) report(node, `${name}`);
          return;
        }
        const text = sourceCode.getText(receiver);
        if (/catalog|cache/i.test(text)) return;
        const root = rootIdentifier(receiver);
        const segments = text.split(/[.?!\s[\]()]+/).filter(Boolean);
        const looksLikeBackend =
          /backend|client/i.test(text) ||
          segments.some((segment) => segment.toLowerCase() === 'api') ||
          (root !== undefined && isBackendBinding(sourceCode, root));
        if (looksLikeBackend) report(node, `${text}.${name}`);
      },
    };
  },
});

/**
 * True when `identifier` is bound to the backend client: imported from a `*backend*` module,
 * typed `BackendClient`, or initialized with `createBackendClient()` (awaited or not).
 * @param {Readonly<TSESLint.SourceCode>} sourceCode
 * @param {TSESTree.Identifier} identifier
 */
function isBackendBinding(sourceCode, identifier) {
  for (let scope = /** @type {TSESLint.Scope.Scope | null} */ (sourceCode.getScope(identifier)); scope; scope = scope.upper) {
    const variable = scope.set.get(identifier.name);
    if (!variable) continue;
    return variable.defs.some((definition) => {
      if (definition.type === 'ImportBinding') {
        const declaration = definition.parent;
        return declaration.type === 'ImportDeclaration' && /backend/i.test(declaration.source.value);
      }
      const name = /** @type {TSESTree.Identifier} */ (definition.name);
      if (/\bBackendClient\b/.test(typeText(sourceCode, name.typeAnnotation))) return true;
      if (definition.type !== 'Variable' || !definition.node.init) return false;
      let init = unwrap(definition.node.init);
      if (init.type === 'AwaitExpression') init = unwrap(init.argument);
      return init.type === 'CallExpression' && BACKEND_FACTORIES.has(calleeName(init) ?? '');
    });
  }
  return false;
}

/** @param {Readonly<TSESLint.SourceCode>} sourceCode @param {TSESTree.TSTypeAnnotation | undefined} annotation */
function typeText(sourceCode, annotation) {
  return annotation ? sourceCode.getText(annotation.typeAnnotation) : '';
}

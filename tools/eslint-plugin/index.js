// @ts-check
import { PLUGIN_PREFIX } from './create-rule.js';
import awaitInLoop from './rules/await-in-loop.js';
import cacheBypass from './rules/cache-bypass.js';
import clientPerRequest from './rules/client-per-request.js';
import jsonInLoop from './rules/json-in-loop.js';
import moduleState from './rules/module-state.js';
import requireDisableReason from './rules/require-disable-reason.js';
import syncIo from './rules/sync-io.js';
/** @import { ESLint, Linter } from 'eslint' */

/**
 * The project's own ESLint plugin: serverless performance and correctness rules for the code that
 * runs inside Vercel functions. Plain JavaScript with JSDoc types, so ESLint loads it without a
 * build step; `npm run typecheck` checks it (`// @ts-check`).
 */
export const rules = {
  'client-per-request': clientPerRequest,
  'await-in-loop': awaitInLoop,
  'sync-io': syncIo,
  'cache-bypass': cacheBypass,
  'module-state': moduleState,
  'json-in-loop': jsonInLoop,
  'require-disable-reason': requireDisableReason,
};

/** @typedef {keyof typeof rules} RuleName */

/** What deploys: the Vercel functions and the product they load (not tests, not declarations). */
export const PRODUCT_FILES = ['api/**/*.{ts,mts,cts}', 'lib/**/*.{ts,mts,cts}'];
export const NOT_PRODUCT_FILES = ['**/*.test.*', '**/*.spec.*', '**/*.d.ts', '**/*.d.mts', '**/*.d.cts'];

/** @satisfies {ESLint.Plugin} */
const plugin = {
  meta: { name: 'eslint-plugin-serverless (local)', version: '1.0.0' },
  // typescript-eslint and ESLint describe the same rule objects with two type packages.
  rules: /** @type {NonNullable<ESLint.Plugin['rules']>} */ (/** @type {unknown} */ (rules)),
};

/**
 * Every rule on, at error level, for the product's files. Needs a TypeScript parser (typescript-eslint).
 * @satisfies {Linter.Config}
 */
export const recommended = {
  name: `${PLUGIN_PREFIX}/recommended`,
  files: PRODUCT_FILES,
  ignores: NOT_PRODUCT_FILES,
  plugins: { [PLUGIN_PREFIX]: plugin },
  rules: Object.fromEntries(Object.keys(rules).map((name) => [`${PLUGIN_PREFIX}/${name}`, /** @type {const} */ ('error')])),
};

export default { ...plugin, configs: { recommended } };

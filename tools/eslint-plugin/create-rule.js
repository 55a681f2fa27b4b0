// @ts-check
import { URL } from 'node:url';
import { ESLintUtils } from '@typescript-eslint/utils';

/**
 * @typedef {object} ServerlessDocs
 * @property {string} why Why it matters on Vercel functions, in one sentence.
 * @property {string} fix How to fix it.
 */

/** The name the plugin is registered under in eslint.config.js: rules are `serverless/<rule>`. */
export const PLUGIN_PREFIX = 'serverless';

/**
 * Every rule of the plugin is made by this, so each carries `why` and `fix` next to its
 * description (the analyzer's report prints them) and links to its section of the README.
 * @type {ReturnType<typeof ESLintUtils.RuleCreator<ServerlessDocs>>}
 */
export const createRule = ESLintUtils.RuleCreator((name) => new URL(`README.md#${name}`, import.meta.url).href);

import path from 'node:path';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { ESLint, type Linter, type Rule } from 'eslint';
import tseslint from 'typescript-eslint';
import { NOT_PRODUCT_FILES, PRODUCT_FILES, recommended, rules, type RuleName } from '../eslint-plugin/index.js';
import { perRequestCode } from '../eslint-plugin/per-request.js';
import { compareFindings, type Finding, type RuleId, type SuppressedFinding } from './findings.js';

/**
 * The static part of the report: the `serverless/*` lint rules (tools/eslint-plugin), run through
 * ESLint's Node API over `api/` and `lib/` of the root, with the plugin's own config (the same
 * files and rules `eslint.config.js` uses), so any project root can be analyzed.
 */
export interface StaticCheckResult {
  readonly root: string;
  readonly filesChecked: number;
  /** Functions the rules treat as per-request code (tools/eslint-plugin/per-request.js). */
  readonly perRequestFunctions: number;
  readonly findings: Finding[];
  readonly suppressed: SuppressedFinding[];
  readonly durationMs: number;
}

const PREFIX = 'serverless/';
const CENSUS = 'analyzer/per-request-function';

/** Reports every per-request function, so the report can say how much code the rules looked at. */
const perRequestFunctions: TSESLint.RuleModule<'function'> = {
  defaultOptions: [],
  meta: { type: 'suggestion', schema: [], messages: { function: 'per-request function' } },
  create(context) {
    const code = perRequestCode(context);
    const count = (node: TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression): void => {
      if (code.classify(node).perRequest) context.report({ node, messageId: 'function' });
    };
    return { FunctionDeclaration: count, FunctionExpression: count, ArrowFunctionExpression: count };
  },
};

export async function runStaticChecks(root: string): Promise<StaticCheckResult> {
  const started = performance.now();
  const eslint = new ESLint({
    cwd: root,
    // Not the root's eslint.config.js: only the plugin's rules, so the report is about them alone.
    overrideConfigFile: true,
    overrideConfig: [
      {
        ...recommended,
        languageOptions: { parser: tseslint.parser },
        // Comments for rules that are not loaded here are not "unused"; `npm run lint` reports those.
        linterOptions: { reportUnusedDisableDirectives: 'off' },
      },
      {
        files: PRODUCT_FILES,
        ignores: NOT_PRODUCT_FILES,
        plugins: { analyzer: { rules: { 'per-request-function': perRequestFunctions as unknown as Rule.RuleModule } } },
        rules: { [CENSUS]: 'error' },
      },
    ],
    errorOnUnmatchedPattern: false,
  });
  const results = await eslint.lintFiles(['api', 'lib']);
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  let census = 0;
  for (const result of results) {
    const file = path.relative(root, result.filePath).split(path.sep).join('/');
    for (const message of result.messages) {
      if (message.ruleId === CENSUS) census += 1;
      else if (isOurs(message)) findings.push(toFinding(file, message));
    }
    for (const message of result.suppressedMessages) {
      if (message.ruleId === CENSUS) census += 1;
      else if (isOurs(message)) {
        suppressed.push({ finding: toFinding(file, message), reason: message.suppressions.map((s) => s.justification).join('; ') });
      }
    }
  }
  findings.sort(compareFindings);
  return { root, filesChecked: results.length, perRequestFunctions: census, findings, suppressed, durationMs: performance.now() - started };
}

/**
 * The plugin's findings, files ESLint could not parse, and comments naming a `serverless/` rule that
 * does not exist. Problems ESLint reports about other plugins' rules are `npm run lint`'s business.
 */
function isOurs(message: Linter.LintMessage): boolean {
  return message.fatal === true || (message.ruleId?.startsWith(PREFIX) ?? false);
}

function toFinding(file: string, message: Linter.LintMessage): Finding {
  const name = message.ruleId?.slice(PREFIX.length);
  const rule: RuleId = name !== undefined && Object.hasOwn(rules, name) ? (name as RuleName) : 'eslint';
  return {
    rule,
    severity: message.severity === 2 ? 'error' : 'warn',
    file,
    line: message.line,
    column: message.column,
    message: message.message,
    fix: rule === 'eslint' ? 'fix what ESLint names (the syntax, or the rule name in the comment)' : (rules[rule].meta.docs?.fix ?? ''),
  };
}

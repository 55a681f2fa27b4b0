import type { TSESLint } from '@typescript-eslint/utils';
import { RuleTester, type Rule } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';

// ESLint's own RuleTester, reporting through vitest: one vitest test per case.
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } });

/**
 * Runs `rule` over the cases with the typescript-eslint parser. A case's `filename` (e.g.
 * `api/telegram.ts`) is relative to the working directory, as in `npm run lint`.
 */
export function run(
  name: string,
  rule: TSESLint.RuleModule<string, readonly unknown[]>,
  tests: { valid: RuleTester.ValidTestCase[]; invalid: RuleTester.InvalidTestCase[] },
): void {
  // typescript-eslint's rule type and ESLint's describe the same object from two type packages.
  tester.run(name, rule as unknown as Rule.RuleModule, tests);
}

/** Source lines joined into one file (keeps the line numbers readable in the cases). */
export function lines(...text: string[]): string {
  return text.join('\n');
}

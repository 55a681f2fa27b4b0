import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, test } from 'vitest';
import plugin, { rules } from '../../../tools/eslint-plugin/index.js';
import { lines } from './rule-tester.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** The repository's own eslint.config.js, as `npm run lint` uses it. */
const eslint = new ESLint({ cwd: root });

async function lint(filePath: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  if (!result) throw new Error('no lint result');
  const show = (m: { ruleId: string | null; line: number; severity: number }) => `${m.ruleId ?? 'eslint'}@${m.line}:${m.severity === 2 ? 'error' : 'warn'}`;
  return { messages: result.messages.map(show), suppressed: result.suppressedMessages.map((m) => `${show(m)} -- ${m.suppressions[0]?.justification ?? ''}`) };
}

describe('the plugin', () => {
  test('every rule says what, why and how to fix, and links to its section of the README', () => {
    const readme = readFileSync(path.join(root, 'tools/eslint-plugin/README.md'), 'utf8');
    expect(Object.keys(rules).sort()).toEqual(
      ['await-in-loop', 'cache-bypass', 'client-per-request', 'json-in-loop', 'module-state', 'require-disable-reason', 'sync-io'].sort(),
    );
    for (const [name, rule] of Object.entries(rules)) {
      const docs = rule.meta.docs;
      if (!docs) throw new Error(`${name} has no docs`);
      expect(docs.description.length, name).toBeGreaterThan(20);
      expect(docs.why.length, name).toBeGreaterThan(20);
      expect(docs.fix.length, name).toBeGreaterThan(20);
      expect(docs.url, name).toMatch(new RegExp(`tools/eslint-plugin/README\\.md#${name}$`));
      expect(readme, name).toContain(`### ${name}\n`);
    }
    expect(Object.keys(plugin.configs.recommended.rules)).toEqual(Object.keys(rules).map((name) => `serverless/${name}`));
  });

  test('eslint.config.js turns every rule on for api/ and lib/, not for tools/, tests or declarations', async () => {
    const on = async (file: string) => {
      const config = (await eslint.calculateConfigForFile(path.join(root, file))) as { rules?: Record<string, unknown> } | undefined;
      return Object.entries(config?.rules ?? {})
        .filter(([id]) => id.startsWith('serverless/'))
        .map(([id, level]) => `${id}=${JSON.stringify(level)}`);
    };
    const everyRule = Object.keys(rules).map((name) => `serverless/${name}=[2]`);
    expect(await on('api/telegram.ts')).toEqual(everyRule);
    expect(await on('lib/bot/handlers/start.ts')).toEqual(everyRule);
    for (const file of ['tools/sandbox/main.ts', 'test/app.test.ts', 'lib/x.test.ts', 'lib/types.d.ts']) expect(await on(file), file).toEqual([]);
  });
});

describe('suppressions are ESLint comments', () => {
  const handler = (...body: string[]) => lines('export default function handler() {', ...body, '}');

  test('eslint-disable-next-line above the finding, or eslint-disable-line on it, with a reason after --', async () => {
    const result = await lint(
      'api/x.ts',
      handler(
        '  // eslint-disable-next-line serverless/sync-io -- tiny file, read once per cron run',
        "  readFileSync('x');",
        "  readFileSync('y'); // eslint-disable-line serverless/sync-io -- same",
      ),
    );
    expect(result).toEqual({
      messages: [],
      suppressed: ['serverless/sync-io@3:error -- tiny file, read once per cron run', 'serverless/sync-io@4:error -- same'],
    });
  });

  test('await-in-loop is reported at the first awaited call, so the comment goes above it (not above the loop)', async () => {
    const above = (where: 'loop' | 'await') =>
      lines(
        'export default async function handler(ids: number[]) {',
        ...(where === 'loop' ? ['  // eslint-disable-next-line serverless/await-in-loop -- one message per second'] : []),
        '  for (const id of ids) {',
        ...(where === 'await' ? ['    // eslint-disable-next-line serverless/await-in-loop -- one message per second'] : []),
        '    await send(id);',
        '  }',
        '}',
      );
    expect((await lint('api/x.ts', above('await'))).messages).toEqual([]);
    expect((await lint('api/x.ts', above('loop'))).messages).toEqual(['eslint@2:warn', 'serverless/await-in-loop@4:error']);
  });

  test('module-state is reported at the declaration, so the comment goes above it', async () => {
    const result = await lint(
      'api/x.ts',
      lines(
        '// eslint-disable-next-line serverless/module-state -- bounded L1 cache, shared by design across updates of this instance',
        'const l1 = new Map<string, string>();',
        "export default async function handler() { l1.set('k', 'v'); }",
      ),
    );
    expect(result.messages).toEqual([]);
    expect(result.suppressed).toEqual(['serverless/module-state@2:error -- bounded L1 cache, shared by design across updates of this instance']);
  });

  test('a suppression without a reason still silences, but require-disable-reason fails the lint', async () => {
    const result = await lint('api/x.ts', handler('  // eslint-disable-next-line serverless/sync-io', "  readFileSync('x');"));
    expect(result.messages).toEqual(['serverless/require-disable-reason@2:error']);
  });

  test('a rule-less eslint-disable turns off these rules too and needs a reason; other rules do not', async () => {
    const result = await lint(
      'lib/x.ts',
      lines('// eslint-disable-next-line', 'export const a = 1;', '// eslint-disable-next-line no-console', "console.log('x');", '/* eslint-disable serverless/sync-io */'),
    );
    expect(result.messages).toEqual(['serverless/require-disable-reason@1:error', 'eslint@1:warn', 'serverless/require-disable-reason@5:error', 'eslint@5:warn']);
  });

  test('an unknown rule name is an error; a suppression that silences nothing is a warning', async () => {
    const result = await lint(
      'api/x.ts',
      handler('  // eslint-disable-next-line serverless/sync-oi -- typo', "  readFileSync('y');", '  // eslint-disable-next-line serverless/sync-io -- stale', '  return 1;'),
    );
    expect(result.messages).toEqual(['serverless/sync-oi@2:error', 'serverless/sync-io@3:error', 'eslint@4:warn']);
  });

  test('a suppression only silences the rule it names', async () => {
    const result = await lint('api/x.ts', handler('  // eslint-disable-next-line serverless/module-state -- wrong rule', "  readFileSync('x');"));
    expect(result.messages).toEqual(['eslint@2:warn', 'serverless/sync-io@3:error']);
  });
});

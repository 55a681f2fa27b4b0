import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runStaticChecks } from '../../../tools/analyzer/static-checks.js';

async function project(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'analyzer-static-'));
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  }
  return root;
}

describe('runStaticChecks: the serverless lint rules through ESLint', () => {
  let root: string;
  beforeAll(async () => {
    root = await project({
      'api/telegram.ts': 'export default async function handler() { const a = new Agent(); }',
      'lib/ok.ts': 'export const x = 1;',
      'lib/cache.ts': [
        '// eslint-disable-next-line serverless/module-state -- bounded L1 cache, shared by design',
        'const l1 = new Map<string, string>();',
        "export function handleGet(key: string) { l1.set(key, 'v'); }",
      ].join('\n'),
      'lib/comments.ts': [
        'export function handleRead() {',
        '  // eslint-disable-next-line serverless/sync-oi -- a typo in the rule name',
        "  readFileSync('x');",
        '  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a plugin the analyzer does not load',
        '  return 1 as any;',
        '}',
      ].join('\n'),
      'lib/broken.ts': 'export function (',
      'lib/ok.test.ts': "export default async function handler() { readFileSync('x'); }",
      'lib/types.d.ts': 'declare const x: number;',
      'tools/cli/x.ts': "export async function handleX() { readFileSync('x'); }",
      'test/x.ts': "export async function handleX() { readFileSync('x'); }",
      // The root's own lint config is not used: only the plugin's rules run.
      'eslint.config.js': "throw new Error('the analyzer must not load the project config');",
    });
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  test('checks api/ and lib/ but not tools, tests or declaration files', async () => {
    const result = await runStaticChecks(root);
    expect(result.filesChecked).toBe(5);
    expect(result.findings.map((f) => `${f.rule}@${f.file}:${f.line}:${f.column}`)).toEqual([
      'client-per-request@api/telegram.ts:1:53',
      'eslint@lib/broken.ts:1:16',
      'eslint@lib/comments.ts:2:3',
      'sync-io@lib/comments.ts:3:3',
    ]);
    const [client, parse, unknown] = result.findings;
    expect(client?.severity).toBe('error');
    expect(client?.message).toMatch(/^new Agent\(\.\.\.\) runs in per-request code \(handler: default export of an api\/ file\): every update/);
    expect(client?.fix).toMatch(/module scope or in a memoized factory/);
    expect(parse?.message).toMatch(/^Parsing error/);
    expect(unknown?.message).toBe("Definition for rule 'serverless/sync-oi' was not found.");
    expect(result.durationMs).toBeGreaterThan(0);
  });

  test('suppressed findings keep the reason of their comment; per-request functions are counted', async () => {
    const result = await runStaticChecks(root);
    expect(result.suppressed.map((s) => `${s.finding.rule}@${s.finding.file}:${s.finding.line} -- ${s.reason}`)).toEqual([
      'module-state@lib/cache.ts:2 -- bounded L1 cache, shared by design',
    ]);
    // handler (api/), handleGet and handleRead (named like handlers); the broken file has none.
    expect(result.perRequestFunctions).toBe(3);
  });

  test('an empty root has nothing to check', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'analyzer-empty-'));
    try {
      const result = await runStaticChecks(empty);
      expect(result.filesChecked).toBe(0);
      expect(result.findings).toEqual([]);
      expect(result.perRequestFunctions).toBe(0);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

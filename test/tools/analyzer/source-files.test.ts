import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { isAnalyzedPath, listSourceFiles } from '../../../tools/analyzer/source-files.js';

describe('isAnalyzedPath', () => {
  test('api/ and lib/ TypeScript, not tools, tests, declarations or other folders', () => {
    for (const file of ['api/telegram.ts', 'api/cron/report.ts', 'lib/app.ts', 'lib/bot/handlers/start.ts', 'lib/x.mts']) {
      expect(isAnalyzedPath(file), file).toBe(true);
    }
    for (const file of [
      'tools/analyzer/main.ts',
      'tools/bench/run.ts',
      'tools/sandbox/server.ts',
      'tools/cli/dev.ts',
      'tools/demo-backend/server.ts',
      'lib/app.test.ts',
      'lib/app.spec.ts',
      'lib/types.d.ts',
      'lib/x.js',
      'test/analyzer/x.ts',
      'scripts/sandbox.ts',
      'lib/node_modules/x/index.ts',
      'lib/analyzers.ts.bak',
    ]) {
      expect(isAnalyzedPath(file), file).toBe(false);
    }
    expect(isAnalyzedPath('lib/analyzers/x.ts')).toBe(true);
  });
});

describe('listSourceFiles', () => {
  test('walks api/ and lib/ and returns sorted relative paths', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'analyzer-files-'));
    try {
      for (const file of ['lib/b.ts', 'lib/a/c.ts', 'api/x.ts', 'tools/cli/y.ts', 'lib/a/c.test.ts', 'other/z.ts']) {
        await mkdir(path.dirname(path.join(root, file)), { recursive: true });
        await writeFile(path.join(root, file), '');
      }
      expect(await listSourceFiles(root)).toEqual(['api/x.ts', 'lib/a/c.ts', 'lib/b.ts']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  test('missing folders are fine', async () => {
    expect(await listSourceFiles(path.join(tmpdir(), 'analyzer-does-not-exist'))).toEqual([]);
  });
});

import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  analyzeDependencies,
  dependencyClosure,
  DependencyError,
  directorySize,
  measureImportCost,
} from '../../../tools/analyzer/dependencies.js';

let root: string;
const written = new Map<string, number>();

async function put(file: string, text: string): Promise<void> {
  const full = path.join(root, file);
  await mkdir(path.dirname(full), { recursive: true });
  await writeFile(full, text);
  written.set(file, Buffer.byteLength(text));
}

function bytesUnder(prefix: string, exclude?: string): number {
  let total = 0;
  for (const [file, size] of written) {
    if (file.startsWith(prefix) && !(exclude && file.startsWith(exclude))) total += size;
  }
  return total;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'analyzer-deps-'));
  await put(
    'package.json',
    JSON.stringify({
      name: 'fixture',
      dependencies: { tiny: '^1.0.0', 'no-entry': '1.0.0', 'not-installed': '2.0.0', '@scope/pkg': '*' },
      devDependencies: { 'dev-only': '1.0.0' },
    }),
  );
  await put(
    'node_modules/tiny/package.json',
    JSON.stringify({ name: 'tiny', version: '1.2.3', type: 'module', exports: './index.js', dependencies: { helper: '*', nested: '*' } }),
  );
  await put('node_modules/tiny/index.js', "import './lib/more.js';\nexport const answer = 42;\n");
  await put('node_modules/tiny/lib/more.js', `export const more = true;\n${'// padding\n'.repeat(20)}`);
  await put('node_modules/tiny/node_modules/nested/package.json', JSON.stringify({ name: 'nested', version: '0.0.1' }));
  await put('node_modules/tiny/node_modules/nested/index.js', 'x'.repeat(1000));
  await put('node_modules/helper/package.json', JSON.stringify({ name: 'helper', version: '1.0.0' }));
  await put('node_modules/helper/index.js', 'y'.repeat(500));
  await put('node_modules/no-entry/package.json', JSON.stringify({ name: 'no-entry', version: '1.0.0', exports: { './sub': './sub.js' } }));
  await put('node_modules/no-entry/sub.js', 'export default 1;\n');
  await put('node_modules/@scope/pkg/package.json', JSON.stringify({ name: '@scope/pkg', version: '3.0.0', main: 'index.js' }));
  await put('node_modules/@scope/pkg/index.js', `module.exports = 1;\n${'// padding\n'.repeat(50)}`);
  await put('node_modules/dev-only/package.json', JSON.stringify({ name: 'dev-only', version: '1.0.0' }));
  // A link out of the package is not followed.
  await symlink(path.join(root, 'node_modules/helper'), path.join(root, 'node_modules/tiny/linked'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('sizes', () => {
  test('directorySize counts every file, nested node_modules included, links not followed', async () => {
    const dir = path.join(root, 'node_modules/tiny');
    expect(await directorySize(dir)).toEqual({ bytes: bytesUnder('node_modules/tiny/'), files: 5 });
    expect((await directorySize(dir, true)).bytes).toBe(bytesUnder('node_modules/tiny/', 'node_modules/tiny/node_modules/'));
  });

  test('dependencyClosure resolves nested first, then hoisted', async () => {
    const closure = await dependencyClosure(root, path.join(root, 'node_modules/tiny'));
    expect([...closure].map((dir) => path.relative(root, dir)).sort()).toEqual([
      'node_modules/helper',
      'node_modules/tiny',
      'node_modules/tiny/node_modules/nested',
    ]);
  });

  test('analyzeDependencies without imports: runtime dependencies only, sizes, versions, missing packages', async () => {
    const report = await analyzeDependencies(root, { measureImports: false });
    const byName = Object.fromEntries(report.dependencies.map((d) => [d.name, d]));
    expect(Object.keys(byName).sort()).toEqual(['@scope/pkg', 'no-entry', 'not-installed', 'tiny']);
    expect(byName['tiny']).toMatchObject({
      range: '^1.0.0',
      version: '1.2.3',
      sizeBytes: bytesUnder('node_modules/tiny/'),
      files: 5,
      closurePackages: 3,
      closureSizeBytes: bytesUnder('node_modules/tiny/') + bytesUnder('node_modules/helper/'),
      importCost: undefined,
    });
    expect(byName['@scope/pkg']?.sizeBytes).toBe(bytesUnder('node_modules/@scope/pkg/'));
    expect(byName['not-installed']).toMatchObject({ version: undefined, sizeBytes: undefined, closureSizeBytes: undefined });
    expect(report.allTogether).toBeUndefined();
    // Unmeasured: biggest first, not-installed last.
    expect(report.dependencies.map((d) => d.name)).toEqual(['tiny', '@scope/pkg', 'no-entry', 'not-installed']);
  });

  test('a missing or broken package.json is a DependencyError', async () => {
    await expect(analyzeDependencies(path.join(root, 'nowhere'))).rejects.toThrow(DependencyError);
  });
});

describe('import cost (one tiny package)', () => {
  test('median of fresh processes; a package without a default entry fails gracefully', async () => {
    const cost = await measureImportCost(['tiny'], { cwd: root, runs: 3 });
    expect(cost.error).toBeUndefined();
    expect(cost.runsMs).toHaveLength(3);
    for (const ms of cost.runsMs) expect(ms).toBeGreaterThan(0);
    expect(cost.medianMs).toBe([...cost.runsMs].sort((a, b) => a - b)[1]);

    const failed = await measureImportCost(['no-entry'], { cwd: root, runs: 3 });
    expect(failed.medianMs).toBeUndefined();
    expect(failed.runsMs).toEqual([]);
    expect(failed.error).toMatch(/^ERR_PACKAGE_PATH_NOT_EXPORTED: no default entry point/);
  });
});

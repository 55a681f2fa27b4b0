// What deploys (api/, lib/) must not reach for what only helps (tools/): Vercel ships the
// functions with the files they import, and tools/ is left out of the upload (.vercelignore).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.[cm]?[jt]s$/.test(entry.name))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

/** Every module specifier a file names: static imports, re-exports, `import()` and `require()`. */
export function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [/\b(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1] as string);
  return found;
}

describe('layout', () => {
  it('finds static, dynamic and required specifiers', () => {
    const source = "import a from './a.js';\nexport { b } from '../b.js';\nimport './c.js';\nawait import('../tools/d.js');\nrequire('e');";
    expect(specifiers(source)).toEqual(['./a.js', '../b.js', './c.js', '../tools/d.js', 'e']);
  });

  it('api/ and lib/ import nothing from tools/', () => {
    const files = [...sourceFiles('api'), ...sourceFiles('lib')];
    expect(files.length).toBeGreaterThan(20);
    const reaching = files.flatMap((file) =>
      specifiers(readFileSync(join(root, file), 'utf8'))
        .filter((spec) => spec.startsWith('.'))
        .map((spec) => relative(root, resolve(root, dirname(file), spec)))
        .filter((target) => target === 'tools' || target.startsWith('tools/'))
        .map((target) => `${file} -> ${target}`),
    );
    expect(reaching).toEqual([]);
  });
});

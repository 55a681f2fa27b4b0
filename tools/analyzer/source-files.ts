import { readdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * Which files the static checks read: the product's runtime code, `api/**\/*.ts` and `lib/**\/*.ts`,
 * without the developer tools that never run inside a function and without tests.
 */
export const SOURCE_ROOTS = ['api', 'lib'] as const;

/** Folders of tools that run on a developer's machine or in CI, never per update. */
/** Folders under the roots that never run inside a function (none today: the tools live in tools/). */
export const EXCLUDED_DIRS: readonly string[] = [];

const SKIPPED_DIR_NAMES = new Set(['node_modules', '__tests__', '__fixtures__', '.vercel']);

/** `rel` is relative to the root, with forward slashes. */
export function isAnalyzedPath(rel: string): boolean {
  const normalized = rel.split(path.sep).join('/');
  if (!SOURCE_ROOTS.some((root) => normalized.startsWith(`${root}/`))) return false;
  if (EXCLUDED_DIRS.some((dir) => normalized === dir || normalized.startsWith(`${dir}/`))) return false;
  if (normalized.split('/').some((part) => SKIPPED_DIR_NAMES.has(part))) return false;
  if (!/\.(ts|mts|cts)$/.test(normalized)) return false;
  if (/\.d\.(ts|mts|cts)$/.test(normalized)) return false;
  if (/\.(test|spec)\.(ts|mts|cts)$/.test(normalized)) return false;
  return true;
}

/** The analyzed files under `root`, relative, sorted; missing `api/` or `lib/` folders are fine. */
export async function listSourceFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  for (const top of SOURCE_ROOTS) await walk(root, top, found);
  return found.filter(isAnalyzedPath).sort();
}

async function walk(root: string, rel: string, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(path.join(root, rel), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') {
      return;
    }
    throw error;
  }
  for (const entry of entries) {
    const child = `${rel}/${entry.name}`;
    if (entry.isDirectory()) {
      if (SKIPPED_DIR_NAMES.has(entry.name)) continue;
      if (EXCLUDED_DIRS.some((dir) => child === dir)) continue;
      await walk(root, child, out);
    } else if (entry.isFile()) {
      out.push(child);
    }
  }
}

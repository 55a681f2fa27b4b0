import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { analyze, InputError } from '../../../tools/analyzer/analyze.js';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'analyzer-analyze-'));
  await mkdir(path.join(root, 'api'), { recursive: true });
  await writeFile(path.join(root, 'package.json'), JSON.stringify({ dependencies: {} }));
  await writeFile(path.join(root, 'api/telegram.ts'), "export default async function handler() { const a = new Agent(); }\n");
  await writeFile(
    path.join(root, 'vercel.log'),
    [1, 2, 3].map((ms) => JSON.stringify({ message: JSON.stringify({ level: 'info', msg: 'update', handler: 'h', ms }) })).join('\n'),
  );
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('analyze', () => {
  test('runs the parts asked for and ranks recommendations', async () => {
    const report = await analyze({ root, deps: false, logs: path.join(root, 'vercel.log'), now: () => new Date(0) });
    expect(report.generatedAt).toBe('1970-01-01T00:00:00.000Z');
    expect(report.root).toBe(root);
    expect(report.staticChecks.findings.map((f) => f.rule)).toEqual(['client-per-request']);
    expect(report.dependencies).toBeUndefined();
    expect(report.logs?.updates).toBe(3);
    expect(report.recommendations[0]?.id).toBe('client-per-request');
  });

  test('dependencies are analyzed unless turned off (no dependencies here: nothing spawned)', async () => {
    const report = await analyze({ root });
    expect(report.dependencies?.dependencies).toEqual([]);
    expect(report.logs).toBeUndefined();
  });

  test('a missing logs file or root fails fast with a clear InputError', async () => {
    const missing = path.join(root, 'missing.log');
    await expect(analyze({ root, logs: missing })).rejects.toThrow(new InputError(`logs file not found: ${missing}`));
    await expect(analyze({ root, logs: path.join(root, 'api') })).rejects.toThrow(/logs file is not a regular file/);
    await expect(analyze({ root: path.join(root, 'nope') })).rejects.toThrow(/root directory not found/);
  });
});

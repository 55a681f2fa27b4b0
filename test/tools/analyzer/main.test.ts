import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../../../tools/analyzer/main.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

let bad: string;
let clean: string;

async function project(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'analyzer-cli-'));
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  }
  return root;
}

beforeAll(async () => {
  bad = await project({
    'package.json': '{"dependencies":{}}',
    'api/telegram.ts': "import { Agent } from 'undici';\nexport default async function handler() { return new Agent(); }\n",
  });
  clean = await project({
    'package.json': '{"dependencies":{}}',
    'api/telegram.ts': [
      "import { Agent } from 'undici';",
      'const agent = new Agent();',
      '// eslint-disable-next-line serverless/module-state -- counts updates of this instance for the health check',
      'let served = 0;',
      'export default async function handler() { served += 1; return agent; }',
    ].join('\n'),
    'lib/json.ts': 'export function parseRows(rows: string[]) { for (const r of rows) JSON.parse(r); }', // not per-request
  });
});

afterAll(async () => {
  await rm(bad, { recursive: true, force: true });
  await rm(clean, { recursive: true, force: true });
});

/** The real command line, as CI runs it. */
function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('npx', ['tsx', 'tools/analyzer/main.ts', ...args], { cwd: projectRoot, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npx tsx tools/analyzer/main.ts', () => {
  test('--strict exits 1 when an error or warning remains', () => {
    const result = cli(['--root', bad, '--strict', '--no-deps']);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('error  client-per-request  api/telegram.ts:2:');
    expect(result.stderr).toBe('analyze: --strict: 1 finding of the serverless lint rules\n');
  });

  test('--strict exits 0 when only suppressed findings remain', () => {
    const result = cli(['--root', clean, '--strict', '--no-deps']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')[3]).toMatch(/^2 files \(1 per-request function\) checked by ESLint in \d+ ms: 0 errors, 0 warnings, 1 suppressed$/);
    expect(result.stdout).toContain('  module-state  api/telegram.ts:4  - counts updates of this instance for the health check');
    expect(result.stdout).toContain('== Recommendations');
  });

  test('without --strict findings do not fail the run', () => {
    expect(cli(['--root', bad, '--no-deps']).status).toBe(0);
  });

  test('a missing logs file is a clear error with exit 2', () => {
    const result = cli(['--root', bad, '--no-deps', '--logs', 'no-such.log']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`analyze: logs file not found: ${path.join(projectRoot, 'no-such.log')}\n`);
    expect(result.stdout).toBe('');
  });
});

describe('runCli in process', () => {
  function io(cwd = projectRoot) {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), cwd }, out, err };
  }

  test('--json prints the report data with the strict verdict', async () => {
    const { io: handle, out } = io();
    expect(await runCli(['--root', bad, '--no-deps', '--json', '--strict'], handle)).toBe(1);
    const data = JSON.parse(out.join('')) as { staticChecks: { findings: { rule: string }[] }; strict: unknown; dependencies?: unknown };
    expect(data.staticChecks.findings.map((f) => f.rule)).toEqual(['client-per-request']);
    expect(data.strict).toEqual({ enabled: true, failures: 1 });
    expect(data.dependencies).toBeUndefined();
  });

  test('relative --root and --logs resolve against the working directory', async () => {
    await writeFile(path.join(clean, 'x.log'), '{"msg":"update","ms":5}\n');
    const { io: handle, out } = io(clean);
    expect(await runCli(['--root', '.', '--no-deps', '--logs', 'x.log'], handle)).toBe(0);
    expect(out.join('')).toContain(`${path.join(clean, 'x.log')}: 1 line, 1 update`);
  });

  test('usage errors exit 2 with the usage; --help exits 0', async () => {
    const bad1 = io();
    expect(await runCli(['--bogus'], bad1.io)).toBe(2);
    expect(bad1.err.join('')).toMatch(/^analyze: unknown argument: --bogus\n\nUsage:/);
    const help = io();
    expect(await runCli(['--help'], help.io)).toBe(0);
    expect(help.out.join('')).toMatch(/^Usage: npm run analyze/);
  });
});

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { relativeImports, sourceClosure, staticPackages } from '../../../tools/bench/build.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('relativeImports', () => {
  it('finds value imports, re-exports, side-effect and dynamic imports, and skips type-only ones', () => {
    const source = [
      "import a from './a.js';",
      "import { b, type B } from '../b.js';",
      "import type { C } from './c.js';",
      "import { type D } from './d.js';",
      "export { e } from './e.js';",
      "export * from './f.js';",
      "export type { G } from './g.js';",
      "import './h.js';",
      "const i = await import('./i.js');",
      "import pino from 'pino';",
    ].join('\n');
    expect(relativeImports(source).sort()).toEqual(['../b.js', './a.js', './e.js', './f.js', './h.js', './i.js']);
  });
});

describe('sourceClosure', () => {
  it('compiles the webhook function with what it imports and nothing from the tests', async () => {
    const files = await sourceClosure(root, ['api/telegram.ts']);
    expect(files).toContain('api/telegram.ts');
    expect(files).toContain('lib/app.ts');
    expect(files).toContain('lib/webhook/telegram-webhook.ts');
    expect(files.some((file) => file.startsWith('test/'))).toBe(false);
    expect(files.some((file) => file.startsWith('tools/bench/'))).toBe(false);
  });
});


describe('staticPackages', () => {
  it('a cold start of the webhook loads telegraf but not what it imports on first use (QR codes, the backend client)', async () => {
    const packages = await staticPackages(root, 'api/telegram.ts');
    expect(packages).toEqual(expect.arrayContaining(['telegraf', 'pino', 'valibot', '@upstash/redis']));
    for (const lazy of ['qrcode', 'ky', 'undici', '@upstash/ratelimit']) expect(packages).not.toContain(lazy);
  });
});

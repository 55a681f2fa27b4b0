import rule from '../../../tools/eslint-plugin/rules/sync-io.js';
import { lines, run } from './rule-tester.js';

const where = 'handler: default export of an api/ file';

run('sync-io', rule, {
  valid: [
    {
      name: 'sync I/O at module scope (cold start) is fine',
      filename: 'api/x.ts',
      code: lines(
        "import { readFileSync } from 'node:fs';",
        "const template = readFileSync(new URL('./t.html', import.meta.url), 'utf8');",
        'export default function handler() { return template; }',
      ),
    },
    { name: 'outside per-request code it is fine', filename: 'lib/config-loader.ts', code: "export function load() { return readFileSync('x'); }" },
  ],
  invalid: [
    {
      name: 'blocking file, process, crypto and zlib calls in per-request code',
      filename: 'api/x.ts',
      code: lines(
        "import { readFileSync, existsSync } from 'node:fs';",
        "import * as zlib from 'node:zlib';",
        'export default function handler() {',
        "  if (existsSync('x')) readFileSync('x');", // 4: two
        "  fs.writeFileSync('y', 'z');", // 5
        "  execSync('ls');", // 6
        "  crypto.pbkdf2Sync('p', 's', 1e5, 64, 'sha512');", // 7
        "  crypto.scryptSync('p', 's', 64);", // 8
        '  zlib.gzipSync(buf); zlib.brotliCompressSync(buf); zlib.deflateSync(buf);', // 9: three
        '  crypto.randomFillSync(Buffer.alloc(1 << 20));', // 10
        '}',
      ),
      errors: [
        {
          line: 4,
          column: 7,
          message: `existsSync() runs in per-request code (${where}): it blocks the event loop, and on Fluid compute that stalls every other update the instance is serving.`,
        },
        { line: 4, column: 24, messageId: 'blocking', data: { name: 'readFileSync', where } },
        { line: 5, messageId: 'blocking', data: { name: 'writeFileSync', where } },
        { line: 6, messageId: 'blocking', data: { name: 'execSync', where } },
        { line: 7, messageId: 'blocking', data: { name: 'pbkdf2Sync', where } },
        { line: 8, messageId: 'blocking', data: { name: 'scryptSync', where } },
        { line: 9, messageId: 'blocking', data: { name: 'gzipSync', where } },
        { line: 9, messageId: 'blocking', data: { name: 'brotliCompressSync', where } },
        { line: 9, messageId: 'blocking', data: { name: 'deflateSync', where } },
        { line: 10, messageId: 'blocking', data: { name: 'randomFillSync', where } },
      ],
    },
    {
      name: 'a view that receives the update context is per-request',
      filename: 'lib/bot/views/menu.ts',
      code: "export async function showMenu(ctx: Ctx) { return readFileSync('menu.txt'); }",
      errors: [{ messageId: 'blocking', data: { name: 'readFileSync', where: 'showMenu: takes the update context (ctx)' } }],
    },
  ],
});

// @ts-check
import { createRule } from '../create-rule.js';
import { describe, perRequestCode } from '../per-request.js';
import { calleeName } from '../syntax.js';

const SYNC_CALLS = new Set([
  'readFileSync', 'writeFileSync', 'appendFileSync', 'existsSync', 'statSync', 'lstatSync', 'readdirSync', 'mkdirSync',
  'rmSync', 'copyFileSync', 'execSync', 'execFileSync', 'spawnSync', 'pbkdf2Sync', 'scryptSync', 'generateKeyPairSync',
  'randomFillSync', 'gzipSync', 'gunzipSync', 'deflateSync', 'inflateSync', 'deflateRawSync', 'inflateRawSync',
  'brotliCompressSync', 'brotliDecompressSync',
]);
const WHY = 'it blocks the event loop, and on Fluid compute that stalls every other update the instance is serving';

export default createRule({
  name: 'sync-io',
  meta: {
    type: 'problem',
    docs: {
      description: 'No synchronous (blocking) file, process, crypto or compression calls in per-request code.',
      why: `One Vercel instance serves many updates at once: ${WHY}.`,
      fix: 'use the async API (fs/promises, crypto.pbkdf2/scrypt with a callback, zlib streams), or do the work once at module scope (e.g. read a file at cold start)',
    },
    schema: [],
    messages: { blocking: `{{name}}() runs in per-request code ({{where}}): ${WHY}.` },
  },
  defaultOptions: [],
  create(context) {
    const perRequest = perRequestCode(context);
    return {
      CallExpression(node) {
        const name = calleeName(node);
        if (name === undefined || !SYNC_CALLS.has(name)) return;
        const where = perRequest.at(node);
        if (where?.perRequest) context.report({ node, messageId: 'blocking', data: { name, where: describe(where) } });
      },
    };
  },
});

import rule from '../../../tools/eslint-plugin/rules/cache-bypass.js';
import { lines, run } from './rule-tester.js';

const handler = lines(
  "import { listSides } from '../backend/catalogue-calls.js';",
  'export async function showTypes(ctx: Ctx, backend: BackendClient) {',
  '  const types = await ctx.deps.backend.listRequestTypes();', // 3
  '  const sides = await listSides(1);', // 4
  '  const cats = await backend.listServiceCategories(1, 10);', // 5
  '  const cached = await ctx.deps.catalog.listRequestTypes();', // 6: through the cache
  '  const other = await things.listSides(1);', // 7: unknown receiver
  '  return [types, sides, cats, cached, other];',
  '}',
);

run('cache-bypass', rule, {
  valid: [
    { name: 'the cached catalogue module itself may call the backend', filename: 'lib/catalog/catalog.ts', code: handler },
    { name: 'the backend client module (and its lazy wrapper) may call itself', filename: 'lib/backend/lazy-backend-client.ts', code: handler },
    {
      name: 'a local listSides that is not the backend',
      filename: 'lib/x.ts',
      code: "import { listSides } from './geometry.js';\nexport function area() { return listSides(4); }",
    },
  ],
  invalid: [
    {
      name: 'backend catalogue calls outside lib/catalog/',
      filename: 'lib/bot/handlers/new-request.ts',
      code: handler,
      errors: [
        {
          line: 3,
          message:
            'ctx.deps.backend.listRequestTypes() calls the backend directly in per-request code (showTypes: takes the update context (ctx)): ' +
            'catalogue data changes rarely; calling the backend directly costs a backend round trip on every update.',
        },
        { line: 4, messageId: 'direct', data: { call: 'listSides', where: ' in per-request code (showTypes: takes the update context (ctx))' } },
        { line: 5, messageId: 'direct', data: { call: 'backend.listServiceCategories', where: ' in per-request code (showTypes: takes the update context (ctx))' } },
      ],
    },
    {
      name: 'a variable bound to createBackendClient() counts as the backend, also outside per-request code',
      filename: 'lib/x.ts',
      code: lines('const svc = createBackendClient({});', 'export async function x() { return svc.listSides(1); }'),
      errors: [{ line: 2, messageId: 'direct', data: { call: 'svc.listSides', where: '' } }],
    },
    {
      name: 'a parameter typed BackendClient counts as the backend',
      filename: 'lib/x.ts',
      code: 'export async function x(svc: BackendClient) { return svc.listSides(1); }',
      errors: [{ messageId: 'direct', data: { call: 'svc.listSides', where: '' } }],
    },
  ],
});

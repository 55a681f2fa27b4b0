import rule from '../../../tools/eslint-plugin/rules/module-state.js';
import { lines, run } from './rule-tester.js';

run('module-state', rule, {
  valid: [
    {
      name: 'near misses: reads, lazy init, flags, locals that shadow, writes outside per-request code',
      // In lib/, `handler` is per-request by its name and `configure` is not.
      filename: 'lib/webhook/telegram.ts',
      code: lines(
        'let bot: Bot | undefined;',
        'let coldStart = true;',
        'const cache = new Map<string, string>();',
        'let config: Config | undefined;',
        'const names = new Set<string>();',
        "names.add('x');", // module scope: runs once
        'export function configure(c: Config) { config = c; cache.clear(); }', // not per-request
        'export default async function handler(update: Update) {',
        '  bot ??= createBot();',
        '  const cold = coldStart;',
        '  coldStart = false;',
        '  const cache = new Map();', // shadows
        "  cache.set('a', 'b');",
        '  const sessions: unknown[] = [];',
        '  sessions.push(update);',
        '  return [cold, config, names.has("x")];',
        '}',
      ),
    },
    {
      name: 'a client memoized per key on a module map is not state',
      filename: 'api/x.ts',
      code: "const agents = new Map();\nexport default function handler(origin: string) { if (!agents.has(origin)) agents.set(origin, new Agent()); return agents.get(origin); }",
    },
    {
      name: 'a module-scope const that is not a container cannot be written',
      filename: 'api/x.ts',
      code: 'const limit = 5;\nexport default function handler() { return limit; }',
    },
  ],
  invalid: [
    {
      name: 'module lets and containers written by per-request code, reported at the declaration',
      filename: 'api/telegram.ts',
      code: lines(
        'let currentChat: number | undefined;', // 1
        'const sessions = new Map<number, unknown>();', // 2
        'const recent: number[] = [];', // 3
        'const counters = {} as Record<string, number>;', // 4
        'const seen = new Set<number>();', // 5
        'export default async function handler(update: Update) {',
        '  currentChat = update.chat.id;',
        '  sessions.set(update.chat.id, {});',
        '  recent.push(update.update_id);',
        '  counters[update.type] = (counters[update.type] ?? 0) + 1;',
        '  seen.add(update.update_id);',
        '}',
      ),
      errors: [
        {
          line: 1,
          column: 5,
          message:
            'module-scope let currentChat is written by per-request code at line 7 (handler: default export of an api/ file): ' +
            "one warm instance serves many updates at once (Fluid compute), so module-scope variables are shared by concurrent updates: one chat can see or overwrite another chat's data, and the state vanishes on the next cold start.",
        },
        { line: 2, messageId: 'shared', data: { what: 'module-scope const sessions (a shared container)', sites: 'line 8 (handler: default export of an api/ file)' } },
        { line: 3, messageId: 'shared', data: { what: 'module-scope const recent (a shared container)', sites: 'line 9 (handler: default export of an api/ file)' } },
        { line: 4, messageId: 'shared', data: { what: 'module-scope const counters (a shared container)', sites: 'line 10 (handler: default export of an api/ file)' } },
        { line: 5, messageId: 'shared', data: { what: 'module-scope const seen (a shared container)', sites: 'line 11 (handler: default export of an api/ file)' } },
      ],
    },
    {
      name: 'an unguarded assignment of a client to a module variable',
      filename: 'api/x.ts',
      code: lines('let bot;', 'export default async function handler() {', "  bot = new Telegraf('t');", '}'),
      errors: [{ line: 1, messageId: 'shared', data: { what: 'module-scope let bot', sites: 'line 3 (handler: default export of an api/ file)' } }],
    },
    {
      name: 'increments, deletes, Object.assign and nested members; more than three sites are counted',
      filename: 'lib/x.ts',
      code: lines(
        'let served = 0;',
        'const state = { byChat: {} as Record<number, number> };',
        'export function handleUpdate(chat: number) {',
        '  served++;',
        '  state.byChat[chat] = 1;',
        '  delete state.byChat[chat];',
        '  Object.assign(state, { last: chat });',
        '  state.byChat[chat]++;',
        '}',
      ),
      errors: [
        { line: 1, messageId: 'shared', data: { what: 'module-scope let served', sites: 'line 4 (handleUpdate: named like a handler (handleUpdate))' } },
        {
          line: 2,
          messageId: 'shared',
          data: {
            what: 'module-scope const state (a shared container)',
            sites:
              'line 5 (handleUpdate: named like a handler (handleUpdate)), line 6 (handleUpdate: named like a handler (handleUpdate)), ' +
              'line 7 (handleUpdate: named like a handler (handleUpdate)) and 1 more',
          },
        },
      ],
    },
  ],
});

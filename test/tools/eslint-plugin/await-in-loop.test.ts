import rule from '../../../tools/eslint-plugin/rules/await-in-loop.js';
import { lines, run } from './rule-tester.js';

run('await-in-loop', rule, {
  valid: [
    {
      name: 'a loop whose condition depends on the body (pagination, counters) is sequential by design',
      filename: 'api/x.ts',
      code: lines(
        'export default async function handler() {',
        "  let cursor: string | undefined = 'start';",
        '  while (cursor) { const page = await fetchPage(cursor); cursor = page.next; }',
        '  for (let c = first(); c; c = next) { const page = await fetchPage(c); next = page.next; }',
        '  let n = 0;',
        '  while (n < 3) { await save(n); n++; }',
        '}',
      ),
    },
    {
      name: 'near misses: retry loops, polling, Promise.all batches, sleeps, awaits in callbacks, header awaits',
      filename: 'api/x.ts',
      code: lines(
        'export default async function handler(items: string[], chunks: string[][]) {',
        '  for (let attempt = 0; attempt < 3; attempt++) {',
        '    try { return await fetch(url); } catch { await sleep(100 * 2 ** attempt); }',
        '  }',
        '  while (true) { const s = await poll(); if (s.done) break; }',
        '  for (const chunk of chunks) await Promise.all(chunk.map((c) => save(c)));',
        '  for (const item of items) { await delay(10); }',
        '  for (const item of items) { void (async () => { await save(item); })(); }',
        '  await Promise.all(items.map(async (item) => { await save(item); }));',
        '  for (const x of await list()) { console.log(x); }',
        '  for (const x of items) { await x; }', // awaiting a value, not a call
        '}',
      ),
    },
    {
      name: 'outside per-request code (a warm-up run once per instance) it is not reported',
      filename: 'lib/cache/warm.ts',
      code: lines('export async function warmUp(keys: string[][]) {', '  for (const group of keys) {', '    for (const key of group) await cache.get(key);', '  }', '}'),
    },
  ],
  invalid: [
    {
      name: 'awaited calls in for, for-of, for-in, while and do-while bodies, once per loop',
      filename: 'api/x.ts',
      code: lines(
        'export default async function handler(ids: number[]) {',
        '  for (const id of ids) {', // 2
        '    await backend.getRequest(id);', // 3
        '    await store.exec([]);',
        '  }',
        '  for (let i = 0; i < ids.length; i++) await save(ids[i]);', // 6
        '  for (const key in ids) { await save(key); }', // 7
        '  let n = 0;',
        '  while (n < 3) { await save(n); }', // 9
        '  do { await save(1); } while (ids.length > 10);', // 10
        '}',
      ),
      errors: [
        {
          line: 3,
          column: 5,
          message:
            '2 awaited calls (first: backend.getRequest(...)) inside the body of the for...of loop on line 2 in per-request code ' +
            '(handler: default export of an api/ file): the iterations run one after another, so the update pays the sum of the round trips instead of the longest one.',
        },
        { line: 6, messageId: 'inLoop', data: { count: 'an awaited call', first: 'save(...)', kind: 'for', line: 6, where: 'handler: default export of an api/ file' } },
        { line: 7, messageId: 'inLoop', data: { count: 'an awaited call', first: 'save(...)', kind: 'for...in', line: 7, where: 'handler: default export of an api/ file' } },
        { line: 9, messageId: 'inLoop', data: { count: 'an awaited call', first: 'save(...)', kind: 'while', line: 9, where: 'handler: default export of an api/ file' } },
        { line: 10, messageId: 'inLoop', data: { count: 'an awaited call', first: 'save(...)', kind: 'do...while', line: 10, where: 'handler: default export of an api/ file' } },
      ],
    },
    {
      name: 'a nested loop reports on the inner loop',
      filename: 'lib/cache/warm.ts',
      code: lines(
        'export async function handleWarmUp(keys: string[][]) {',
        '  for (const group of keys) {',
        '    for (const key of group) {',
        '      await cache.get(key);', // 4
        '    }',
        '  }',
        '}',
      ),
      errors: [{ line: 4, messageId: 'inLoop', data: { count: 'an awaited call', first: 'cache.get(...)', kind: 'for...of', line: 3, where: 'handleWarmUp: named like a handler (handleWarmUp)' } }],
    },
  ],
});

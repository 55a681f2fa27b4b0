import rule from '../../../tools/eslint-plugin/rules/json-in-loop.js';
import { lines, run } from './rule-tester.js';

run('json-in-loop', rule, {
  valid: [
    { name: 'outside per-request code', filename: 'lib/x.ts', code: 'export function parseAll(rows: string[]) { for (const r of rows) JSON.parse(r); }' },
    {
      name: 'once outside the loop, or in a callback of its own',
      filename: 'api/x.ts',
      code: 'export default function handler(rows: string[]) { const all = JSON.parse(rows.join()); for (const r of rows) queue(() => JSON.stringify(r)); return all; }',
    },
  ],
  invalid: [
    {
      name: 'JSON.parse/stringify in a per-request loop, once per loop',
      filename: 'api/x.ts',
      code: lines(
        'export default async function handler(rows: string[]) {',
        '  const out = [];',
        '  for (const row of rows) out.push(JSON.parse(row), JSON.stringify(row));',
        '}',
      ),
      errors: [
        {
          line: 3,
          column: 36,
          message:
            'JSON.parse() inside the for...of loop on line 3 in per-request code (handler: default export of an api/ file): ' +
            'serializing inside a loop is CPU the update pays per item, and often a sign of one storage round trip per item.',
        },
      ],
    },
  ],
});

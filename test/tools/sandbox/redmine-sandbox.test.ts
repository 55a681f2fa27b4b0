// npm start -- --backend redmine: the sandbox chat against the local Redmine (tools/redmine/setup.sh);
// /agent and /resolve act in Redmine as its agent, and the poll cron tells the person.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSandbox, type Sandbox, type TranscriptEntry } from '../../../tools/sandbox/sandbox.js';
import { localRedmine } from '../../support/redmine.js';

const redmine = await localRedmine();
const texts = (entries: readonly TranscriptEntry[]) => entries.map((entry) => ('text' in entry ? entry.text : '')).join('\n');

describe.skipIf(redmine === undefined)('sandbox with a Redmine', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    // A person of this run only: the Redmine keeps earlier runs' issues, and a person submits 5 an hour.
    sandbox = await startSandbox({ ...(redmine && { redmine }), person: { id: 1_500_000_000 + (Date.now() % 100_000_000) } });
  });
  afterAll(() => sandbox?.close());

  test('a request made in the chat is an issue; the agent\'s note and Resolved reach the chat through the poll', async () => {
    for (const input of ['/start', '1', '3', '1', '1', 'The kitchen tap drips all night long', '1', '/contact']) await sandbox.send(input);
    const created = texts(await sandbox.send('1'));
    expect(created).toMatch(/Your request #\d+ has been created/);
    expect(texts(await sandbox.send('/agent Which floor is it on?'))).toContain('Which floor is it on?');
    const resolved = await sandbox.send('/resolve');
    expect(texts(resolved)).toContain('is now: Resolved');
    expect(resolved.filter((entry) => entry.kind === 'error')).toEqual([]);
  });
});

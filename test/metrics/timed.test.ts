import { expect, test } from 'vitest';
import { createTimed } from '../../lib/metrics/timed.js';

function recorder() {
  const timings: { name: string; ms: number; error: boolean }[] = [];
  return { timings, recordTiming: (name: string, ms: number, error: boolean) => void timings.push({ name, ms, error }) };
}

test('records the duration of a call and returns its value', async () => {
  let t = 1000;
  const r = recorder();
  const timed = createTimed({ recorder: r, now: () => t });
  const value = await timed('backend.listSides', async () => {
    t += 42;
    return [1, 2];
  });
  expect(value).toEqual([1, 2]);
  expect(r.timings).toEqual([{ name: 'backend.listSides', ms: 42, error: false }]);
});

test('an error is recorded and rethrown unchanged', async () => {
  let t = 0;
  const r = recorder();
  const timed = createTimed({ recorder: r, now: () => t });
  const failure = new Error('boom');
  await expect(
    timed('backend.createRequest', async () => {
      t += 7;
      throw failure;
    }),
  ).rejects.toBe(failure);
  expect(r.timings).toEqual([{ name: 'backend.createRequest', ms: 7, error: true }]);
});

test('a synchronous throw inside fn is recorded too', async () => {
  const r = recorder();
  const timed = createTimed({ recorder: r });
  await expect(
    timed('sync', () => {
      throw new Error('sync');
    }),
  ).rejects.toThrow('sync');
  expect(r.timings[0]).toMatchObject({ name: 'sync', error: true });
});

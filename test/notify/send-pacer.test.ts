// The instance's send pace on a pinned clock: slots, the longest wait, Telegram's pause.
import { describe, expect, test } from 'vitest';
import { createSendPacer, type SendPacerOptions } from '../../lib/notify/send-pacer.js';

function pacer(options: Partial<SendPacerOptions> = {}, onSleep?: (ms: number) => void) {
  const clock = { now: 1_000_000 };
  const slept: number[] = [];
  const pace = createSendPacer({
    messagesPerSecond: 10,
    maxWaitMs: 1_000,
    now: () => clock.now,
    sleep: async (ms) => {
      slept.push(ms);
      onSleep?.(ms);
    },
    ...options,
  });
  return { pace, clock, slept };
}

describe('createSendPacer', () => {
  test('spaces sends asked for at once by the interval', async () => {
    const { pace, slept } = pacer();
    expect(await Promise.all([pace.acquire(), pace.acquire(), pace.acquire()])).toEqual([true, true, true]);
    expect(slept).toEqual([100, 200]); // the first goes at once
    expect(pace.delayMs()).toBe(300);
  });

  test('a slot further than maxWaitMs is refused at once and taken from no one', async () => {
    const { pace, slept } = pacer({ maxWaitMs: 150 });
    expect(await Promise.all([pace.acquire(), pace.acquire(), pace.acquire(), pace.acquire()])).toEqual([true, true, false, false]);
    expect(slept).toEqual([100]);
    expect(pace.delayMs()).toBe(200);
  });

  test('an idle pacer sends at once', async () => {
    const { pace, clock, slept } = pacer();
    await pace.acquire();
    clock.now += 5_000;
    expect(pace.delayMs()).toBe(0);
    expect(await pace.acquire()).toBe(true);
    expect(slept).toEqual([]);
  });

  test('Telegram’s pause holds every send until it ends', async () => {
    const { pace, clock, slept } = pacer({ maxWaitMs: 2_000 });
    pace.pauseFor(1_500);
    expect(pace.delayMs()).toBe(1_500);
    const sending = pace.acquire();
    clock.now += 1_500;
    expect(await sending).toBe(true);
    expect(slept).toEqual([1_500]);
    pace.pauseFor(3_000);
    expect(await pace.acquire()).toBe(false);
  });

  test('a pause that begins while waiting moves the slot after it', async () => {
    const state = { paused: false };
    const { pace, clock, slept } = pacer({ maxWaitMs: 2_000 }, (ms) => {
      clock.now += ms;
      if (!state.paused) {
        state.paused = true;
        pace.pauseFor(1_000); // another send was refused meanwhile
      }
    });
    await pace.acquire();
    expect(await pace.acquire()).toBe(true);
    expect(slept).toEqual([100, 1_000]);
  });

  test('messagesPerSecond 0: no spacing, the pause still holds', async () => {
    const { pace, slept } = pacer({ messagesPerSecond: 0 });
    expect(await Promise.all(Array.from({ length: 50 }, () => pace.acquire()))).toEqual(Array(50).fill(true));
    expect(slept).toEqual([]);
    pace.pauseFor(2_000);
    expect(await pace.acquire()).toBe(false);
  });
});

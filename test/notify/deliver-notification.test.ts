import { Telegram } from 'telegraf';
import { describe, expect, test } from 'vitest';
import { createNotificationDelivery } from '../../lib/notify/deliver-notification.js';
import { createMemoryKvStore } from '../../lib/store/memory-kv-store.js';
import { capturingLogger } from '../support/logs.js';
import { TEST_BOT_TOKEN } from '../support/updates.js';

describe('createNotificationDelivery', () => {
  test('refuses a lease that a paced, slow send could outlive', () => {
    const deps = { telegram: new Telegram(TEST_BOT_TOKEN), store: createMemoryKvStore(), logger: capturingLogger().logger };
    expect(() => createNotificationDelivery(deps, { leaseSeconds: 10, maxPacingWaitMs: 2_000, sendTimeoutMs: 8_000 })).toThrow(
      /leaseSeconds \(10\) must outlast maxPacingWaitMs \+ sendTimeoutMs \(10000 ms\)/,
    );
    expect(() => createNotificationDelivery(deps, { leaseSeconds: 11, maxPacingWaitMs: 2_000, sendTimeoutMs: 8_000 })).not.toThrow();
  });
});

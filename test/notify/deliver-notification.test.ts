import { Telegram } from 'telegraf';
import { describe, expect, test } from 'vitest';
import { createAttachmentFetcher } from '../../lib/files/attachment-fetcher.js';
import { sendAttachment } from '../../lib/files/send-attachment.js';
import { createNotificationDelivery, type NotifyDeps } from '../../lib/notify/deliver-notification.js';
import { createMemoryKvStore } from '../../lib/store/memory-kv-store.js';
import { capturingLogger } from '../support/logs.js';
import { TEST_BOT_TOKEN } from '../support/updates.js';

describe('createNotificationDelivery', () => {
  test('refuses a lease that a paced, slow send could outlive', () => {
    const { logger } = capturingLogger();
    const deps: NotifyDeps = {
      telegram: new Telegram(TEST_BOT_TOKEN),
      store: createMemoryKvStore(),
      logger,
      sendAttachment: (telegram, chatId, file, extra) =>
        sendAttachment(
          { telegram, files: createAttachmentFetcher({ backendUrl: 'http://127.0.0.1', backendApiKey: undefined, fileOrigins: [], anyPublicOrigin: false }), timeoutMs: 1_000, logger },
          chatId,
          file,
          extra,
        ),
    };
    expect(() => createNotificationDelivery(deps, { leaseSeconds: 10, maxPacingWaitMs: 2_000, sendTimeoutMs: 8_000 })).toThrow(
      /leaseSeconds \(10\) must outlast maxPacingWaitMs \+ sendTimeoutMs \(10000 ms\)/,
    );
    expect(() => createNotificationDelivery(deps, { leaseSeconds: 11, maxPacingWaitMs: 2_000, sendTimeoutMs: 8_000 })).not.toThrow();
  });
});

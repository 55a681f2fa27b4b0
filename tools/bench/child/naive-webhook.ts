import { waitUntil } from '@vercel/functions';
import { createApp, type App } from '../../../lib/app.js';
import { getConfig, getLogger } from '../../../lib/instance.js';
import { createTelegramWebhook } from '../../../lib/webhook/telegram-webhook.js';
import { NAIVE_STATE_POLICY } from '../modes.js';
import { createNaiveBackendClient } from '../naive-backend-client.js';
import { createNoCache } from '../no-cache.js';

/**
 * The seed's "before", wired exactly like `api/telegram.ts` except for what makes it naive:
 * a new HTTP client per backend call, no cache, and a session read and write on every update
 * without pipelining.
 */
export function createNaiveWebhook() {
  let app: Promise<App> | undefined;
  const getApp = (): Promise<App> => {
    app ??= (async () => {
      const config = getConfig();
      return createApp({
        config,
        logger: getLogger(),
        backend: createNaiveBackendClient({ baseUrl: config.backend.url, apiKey: config.backend.apiKey, timeoutMs: config.backend.timeoutMs }),
        cache: createNoCache(),
        statePolicy: NAIVE_STATE_POLICY,
      });
    })().catch((error: unknown) => {
      app = undefined;
      throw error;
    });
    return app;
  };
  return createTelegramWebhook({ getConfig, getApp, getLogger, waitUntil });
}

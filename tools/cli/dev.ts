/**
 * `npm run dev`: the same bot against real Telegram by long polling, for development with a
 * real TELEGRAM_BOT_TOKEN (the webhook must be deleted: Telegram serves one or the other).
 * Stops cleanly on SIGINT/SIGTERM: the current poll is aborted and metrics are flushed.
 */
import { createApp } from '../../lib/app.js';
import { ConfigError, loadConfig, processEnv, secretsOf } from '../../lib/config.js';
import { createLogger } from '../../lib/logger.js';
import { ALLOWED_UPDATES } from '../../lib/bot/create-bot.js';

async function main(): Promise<void> {
  const config = loadConfig(processEnv());
  const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config) });
  const app = await createApp({ config, logger });
  await app.identityResolved();
  const stop = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'stopping');
      stop.abort();
    });
  }

  const telegram = app.bot.telegram;
  await telegram.deleteWebhook();
  console.log(`polling as @${app.bot.botInfo?.username ?? 'bot'}; press Ctrl+C to stop`);
  let offset = 0;
  while (!stop.signal.aborted) {
    let updates;
    try {
      updates = await telegram.callApi(
        'getUpdates',
        { offset, timeout: 30, allowed_updates: [...ALLOWED_UPDATES] },
        // Telegraf types its signal with the abort-controller polyfill; Node's is the same at run time.
        { signal: stop.signal as unknown as NonNullable<Parameters<typeof telegram.callApi>[2]>['signal'] },
      );
    } catch (error) {
      if (stop.signal.aborted) break;
      logger.warn({ err: error }, 'getUpdates failed; retrying in 2 s');
      await new Promise((resolve) => setTimeout(resolve, 2000));
      continue;
    }
    for (const update of updates) {
      offset = update.update_id + 1;
      // One at a time keeps each chat's order, as Telegram's webhook queue does.
      await app.handleUpdate(update);
      await app.afterResponse();
    }
  }
  await app.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exitCode = 1;
});

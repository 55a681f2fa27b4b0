/**
 * `npm run webhook:set -- https://your-app.vercel.app`, `webhook:info`, `webhook:delete`.
 * Run once per deployment URL, never per request. Reads the same environment as the bot.
 */
import { Telegram } from 'telegraf';
import { ALLOWED_UPDATES, BOT_COMMANDS } from '../../lib/bot/create-bot.js';
import { ConfigError, loadConfig, processEnv } from '../../lib/config.js';
import { DEFAULT_LANG, messages } from '../../lib/i18n/index.js';

async function main(argv: readonly string[]): Promise<void> {
  const [command, urlArgument] = argv;
  const config = loadConfig(processEnv());
  const telegram = new Telegram(config.telegram.token, { apiRoot: config.telegram.apiRoot });

  switch (command) {
    case 'set': {
      const base = urlArgument;
      if (!base || !/^https:\/\//.test(base)) {
        throw new UsageError('webhook:set needs the public https URL of the deployment, e.g. npm run webhook:set -- https://my-bot.vercel.app');
      }
      const url = `${base.replace(/\/+$/, '')}/api/telegram`;
      if (config.telegram.webhookSecret === undefined) {
        console.warn(
          'warning: TELEGRAM_WEBHOOK_SECRET is not set: the deployment refuses every update (503) until it is. Set it there and here (openssl rand -hex 32) and run this again.',
        );
      }
      await telegram.setWebhook(url, {
        ...(config.telegram.webhookSecret !== undefined && { secret_token: config.telegram.webhookSecret }),
        allowed_updates: [...ALLOWED_UPDATES],
        max_connections: 40,
      });
      await telegram.setMyCommands([...BOT_COMMANDS]);
      // The chat's menu button opens the Mini App, served by the same deployment at /app.
      const appUrl = config.miniApp.url ?? `${base.replace(/\/+$/, '')}/app`;
      await telegram.setChatMenuButton({ menuButton: { type: 'web_app', text: messages(DEFAULT_LANG).menuButtonApp, web_app: { url: appUrl } } });
      console.log(`webhook set to ${url}`);
      console.log(`allowed updates: ${ALLOWED_UPDATES.join(', ')}; secret token: ${config.telegram.webhookSecret ? 'yes' : 'no'}`);
      console.log(`commands set: ${BOT_COMMANDS.map((c) => `/${c.command}`).join(' ')}`);
      console.log(`menu button opens the Mini App at ${appUrl}`);
      return;
    }
    case 'info': {
      const info = await telegram.getWebhookInfo();
      console.log(JSON.stringify(info, null, 2));
      return;
    }
    case 'delete': {
      await telegram.deleteWebhook();
      console.log('webhook deleted: Telegram keeps pending updates until a webhook is set or getUpdates reads them');
      return;
    }
    default:
      throw new UsageError('usage: tsx tools/cli/webhook.ts set <https-url> | info | delete');
  }
}

class UsageError extends Error {
  override readonly name = 'UsageError';
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof UsageError) console.error(error.message);
  else console.error(`failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});

import { createApp, type App } from './app.js';
import { getConfig, getLogger } from './instance-config.js';
import { closeOnShutdown } from './shutdown.js';

export { getConfig, getLogger } from './instance-config.js';

/**
 * The one place where a Vercel instance builds its dependencies from the environment.
 * Everything is memoized at module scope so it is built once per instance (cold start) and
 * reused by every update the instance serves; nothing per request lives here.
 */
let app: Promise<App> | undefined;

export function getApp(): Promise<App> {
  app ??= createApp({ config: getConfig(), logger: getLogger() }).then(
    (built) => {
      // Metrics aggregated since the last flush are written when Vercel retires the instance.
      closeOnShutdown({ target: process, close: () => built.close(), logger: built.logger });
      return built;
    },
    (error: unknown) => {
      // A failed build (e.g. Telegram unreachable for getMe) is retried by the next update.
      app = undefined;
      throw error;
    },
  );
  return app;
}

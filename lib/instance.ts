import { createApp, type App } from './app.js';
import { loadConfig, processEnv, type Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { closeOnShutdown } from './shutdown.js';

/**
 * The one place where a Vercel instance builds its dependencies from the environment.
 * Everything is memoized at module scope so it is built once per instance (cold start) and
 * reused by every update the instance serves; nothing per request lives here.
 */
let config: Config | undefined;
let logger: Logger | undefined;
let app: Promise<App> | undefined;

/** @throws ConfigError naming every bad variable; a failure is not memoized. */
export function getConfig(): Config {
  config ??= loadConfig(processEnv());
  return config;
}

/** The logger of this instance; before the config is valid, an info-level logger that still redacts. */
export function getLogger(): Logger {
  if (logger) return logger;
  try {
    const c = getConfig();
    logger = createLogger({ level: c.logLevel, secrets: [c.telegram.token, c.telegram.webhookSecret, c.notifySecret, c.cronSecret, c.backend.apiKey, c.redis?.token] });
    return logger;
  } catch {
    // The environment does not change within an instance: one fallback logger serves every call.
    logger = createLogger({ level: 'info' });
    return logger;
  }
}

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

import { loadConfig, processEnv, secretsOf, type Config } from './config.js';
import { createLogger, type Logger } from './logger.js';

/**
 * The configuration and logger of this Vercel instance, memoized at module scope, without the app:
 * a function that needs only these (the files download) loads no store, backend client or Telegraf.
 * `instance.ts` re-exports both, so every function of an instance shares the same two.
 */
let config: Config | undefined;
let logger: Logger | undefined;

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
    logger = createLogger({ level: c.logLevel, secrets: secretsOf(c) });
    return logger;
  } catch {
    // The environment does not change within an instance: one fallback logger serves every call.
    logger = createLogger({ level: 'info' });
    return logger;
  }
}

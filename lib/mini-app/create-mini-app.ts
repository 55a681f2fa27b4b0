import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services.js';
import { createMiniAppApi } from './api.js';
import { createMiniAppBotApi, type MiniAppBotApi } from './bot-api.js';
import type { FileLinkPayload, MiniAppDeps, UploadPayload } from './deps.js';
import { createSignedDataVerifier } from './init-data.js';
import { createTokenSigner } from './signed-token.js';

const FILE_TIMEOUT_MS = 10_000;

export interface MiniApp {
  readonly deps: MiniAppDeps;
  readonly handle: ReturnType<typeof createMiniAppApi>;
}

/**
 * The Mini App's API on the same services as the chat (store, backend client, cache, catalogue,
 * limits). The bot token derives every key here and goes nowhere else: not to the page, not to logs.
 */
export function createMiniApp(options: {
  readonly config: Config;
  readonly logger: Logger;
  readonly services: Services;
  /** Replace the Bot API client (tests count its calls at the fake Bot API instead). */
  readonly botApi?: MiniAppBotApi;
  /** Seconds since the epoch; tests move the clock. */
  readonly now?: () => number;
  readonly fileTimeoutMs?: number;
}): MiniApp {
  const { config, logger } = options;
  const token = config.telegram.token;
  const deps: MiniAppDeps = {
    config,
    logger,
    services: options.services,
    verifier: createSignedDataVerifier({ botToken: token, maxAgeSeconds: config.miniApp.maxAgeSeconds, ...(options.now && { now: options.now }) }),
    botApi: options.botApi ?? createMiniAppBotApi({ apiRoot: config.telegram.apiRoot, token, timeoutMs: config.backend.timeoutMs, logger }),
    fileLinks: createTokenSigner<FileLinkPayload>({ botToken: token, purpose: 'file-link', ...(options.now && { now: options.now }) }),
    uploads: createTokenSigner<UploadPayload>({ botToken: token, purpose: 'upload', ...(options.now && { now: options.now }) }),
    telegramFiles: { apiRoot: config.telegram.apiRoot, token },
    fileTimeoutMs: options.fileTimeoutMs ?? FILE_TIMEOUT_MS,
  };
  return { deps, handle: createMiniAppApi(deps) };
}

import type { ServerResponse } from 'node:http';
import type { App } from '../app.js';
import { sendJson } from '../http/json.js';
import type { Logger } from '../logger.js';

/** What every endpoint gets: the instance's app (built once) and a logger that works even when the app cannot start. */
export interface EndpointDeps {
  readonly getApp: () => Promise<App>;
  readonly getLogger: () => Logger;
}

/**
 * The app, or a logged 503 when it cannot be built (a bad configuration, Telegram unreachable for
 * the first getMe). A 5xx makes Telegram, the backend and Vercel Cron retry later: nothing is lost.
 */
export async function appOrUnavailable(deps: EndpointDeps, res: ServerResponse): Promise<App | undefined> {
  try {
    return await deps.getApp();
  } catch (error) {
    deps.getLogger().error({ err: error }, 'the bot could not start; answered 503');
    sendJson(res, 503, { error: 'the bot could not start, retry later' });
    return undefined;
  }
}

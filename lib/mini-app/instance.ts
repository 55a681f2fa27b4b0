import type { IncomingMessage, ServerResponse } from 'node:http';
import { getConfig, getLogger } from '../instance-config.js';
import { sendJson } from '../http/json.js';
import { createServices } from '../services.js';
import { closeOnShutdown } from '../shutdown.js';
import { createMiniApp, type MiniApp } from './create-mini-app.js';

/**
 * The Mini App's API as one Vercel instance builds it: once, at module scope, from the environment.
 * No Telegraf and no bot: the app's function loads only the shared services and its own handlers.
 */
let miniApp: MiniApp | undefined;

export function getMiniApp(): MiniApp {
  if (miniApp) return miniApp;
  const config = getConfig();
  const logger = getLogger();
  const services = createServices({ config, logger });
  miniApp = createMiniApp({ config, logger, services });
  // Metrics aggregated since the last flush are written when Vercel retires the instance.
  closeOnShutdown({ target: process, close: async () => {
      await services.metrics.flush();
      await Promise.all([services.backend.close(), services.files.close()]);
    }, logger });
  return miniApp;
}

/** The function's handler: a configuration that cannot load is a logged 503, never a crash. */
export function createMiniAppEndpoint(deps: { readonly getMiniApp: () => MiniApp; readonly getLogger: typeof getLogger }) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let app: MiniApp;
    try {
      app = deps.getMiniApp();
    } catch (error) {
      deps.getLogger().error({ err: error }, 'the Mini App API could not start; answered 503');
      return sendJson(res, 503, { error: { code: 'unavailable', message: 'the service could not start, retry later' } });
    }
    await app.handle(req, res);
  };
}

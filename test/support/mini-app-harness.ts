// The Mini App as it runs on Vercel, on loopback: the built page with its production headers, the
// real API router (lib/mini-app) on the same services as a real bot instance (store through the
// Upstash bridge over real Redis, the demo backend over HTTP, the fake Bot API).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { buildMiniAppPage, type BuiltPage } from '../../tools/build/mini-app-page.js';
import { createMiniApp, type MiniApp } from '../../lib/mini-app/create-mini-app.js';
import { createMiniAppEndpoint } from '../../lib/mini-app/instance.js';
import { launchUrl, serveMiniApp, signLaunch, type LaunchUser } from '../../tools/sandbox/mini-app.js';
import { startHarness, type BotInstance, type Harness, type HarnessOptions } from './bot-harness.js';
import { closeServer, listen, sendJson } from './http.js';
import { TEST_BOT_TOKEN } from './updates.js';

export interface MiniAppHarness {
  readonly harness: Harness;
  /** The chat's instance: the same services the app uses, and its webhook for a Person. */
  readonly instance: BotInstance;
  readonly miniApp: MiniApp;
  readonly page: BuiltPage;
  /** `http://127.0.0.1:<port>`: /app and /api/app/*. */
  readonly url: string;
  /** The URL Telegram would open for this person (signed launch data in the hash). */
  launch(user: LaunchUser, options?: { readonly theme?: Readonly<Record<string, string>>; readonly request?: string; readonly startParam?: string; readonly authDate?: Date; readonly token?: string }): string;
  initData(user: LaunchUser, options?: { readonly authDate?: Date; readonly startParam?: string; readonly token?: string }): string;
  /** Calls the API as the page does. */
  api(path: string, init?: { readonly method?: string; readonly body?: unknown; readonly initData?: string | null; readonly raw?: Buffer; readonly contentType?: string }): Promise<{ status: number; body: unknown; headers: Headers }>;
  close(): Promise<void>;
}

let page: Promise<BuiltPage> | undefined;

export async function startMiniAppHarness(options: HarnessOptions = {}): Promise<MiniAppHarness> {
  page ??= buildMiniAppPage({ root: new URL('../..', import.meta.url).pathname });
  const built = await page;
  // The routes are known only once the server's URL is (the bot's config names it as MINI_APP_URL).
  const routes: { handle?: (req: IncomingMessage, res: ServerResponse) => Promise<void> | false } = {};
  const server: Server = createServer((req, res) => {
    const served = routes.handle?.(req, res);
    if (served === false || served === undefined) sendJson(res, 404, { error: 'not found' });
  });
  const url = await listen(server);
  const harness = await startHarness({ ...options, env: { MINI_APP_URL: `${url}/app`, ...options.env } });
  const instance = await harness.startInstance();
  const miniApp = createMiniApp({ config: harness.config, logger: harness.logger, services: instance.app.services });
  routes.handle = serveMiniApp(built, createMiniAppEndpoint({ getMiniApp: () => miniApp, getLogger: () => harness.logger }));

  const initData: MiniAppHarness['initData'] = (user, o = {}) =>
    signLaunch({ token: o.token ?? TEST_BOT_TOKEN, user, ...(o.authDate && { authDate: o.authDate }), ...(o.startParam !== undefined && { startParam: o.startParam }) });
  return {
    harness,
    instance,
    miniApp,
    page: built,
    url,
    initData,
    launch: (user, o = {}) => launchUrl(url, initData(user, o), { ...(o.theme && { theme: o.theme }), ...(o.request !== undefined && { request: o.request }) }),
    async api(path, init = {}) {
      const headers: Record<string, string> = {};
      if (init.initData !== null && init.initData !== undefined) headers.authorization = `tma ${init.initData}`;
      let body: Buffer | string | undefined;
      if (init.raw !== undefined) {
        headers['content-type'] = init.contentType ?? 'application/octet-stream';
        body = init.raw;
      } else if (init.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(init.body);
      }
      const response = await fetch(`${url}/api/app/${path}`, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, ...(body !== undefined && { body }) });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // a file download: the text itself
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
    async close() {
      await closeServer(server);
      await harness.close();
    },
  };
}

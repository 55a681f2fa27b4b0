// `npm run bench -- --workloads miniapp`: the Mini App's budgets, measured. The real API router on
// the product's services against the fakes (demo backend, Upstash bridge over real Redis, Bot API),
// the built page served gzipped as Vercel's edge serves it, and Debian's Chromium loading it as a
// phone would: throttled (150 ms round trip, 1.6 Mb/s down, 4x CPU slowdown, through the DevTools
// protocol) and unthrottled, each a median of fresh contexts (nothing cached).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Browser } from 'playwright-core';
import { createMiniApp } from '../../lib/mini-app/create-mini-app.js';
import { createMiniAppEndpoint } from '../../lib/mini-app/instance.js';
import { loadConfig } from '../../lib/config.js';
import { createLogger } from '../../lib/logger.js';
import { createServices } from '../../lib/services.js';
import { buildMiniAppPage, FIRST_SCREEN_BUDGET_BYTES } from '../build/mini-app-page.js';
import { startDemoBackend } from '../demo-backend/server.js';
import { startBotApiServer } from '../sandbox/bot-api-server.js';
import { chromiumPath, launchChromium, TELEGRAM_SCRIPT_URL } from '../sandbox/chromium.js';
import { closeServer, listen } from '../sandbox/http.js';
import { launchUrl, serveMiniApp, signLaunch } from '../sandbox/mini-app.js';
import { ensureRedis } from '../sandbox/redis-server.js';
import { TELEGRAM_STUB_SCRIPT } from '../sandbox/telegram-stub.js';
import { SANDBOX_BOT_TOKEN } from '../sandbox/updates.js';
import { startUpstashBridge } from '../sandbox/upstash-bridge.js';
import { median } from './stats.js';
import type { Latencies } from './fakes.js';
import type { TargetCheck } from './report.js';

/** A phone on a slow network, as the issue sets it. */
export const THROTTLE = { latencyMs: 150, downloadBitsPerSecond: 1_600_000, uploadBitsPerSecond: 750_000, cpuSlowdown: 4 } as const;
export const LIST_BUDGET_MS = 1500;
export const REQUESTS_BUDGET = 3;

export interface MiniAppBench {
  readonly skipped?: string;
  readonly firstScreenGzipBytes?: number;
  /** Requests the browser started before the list showed (median run): the page, its script, its API call. */
  readonly requestsBeforeList?: readonly string[];
  /** What the My requests call cost at the fakes (warm instance). */
  readonly listCall?: { readonly backendRequests: number; readonly redisRoundTrips: number };
  /** Navigation to the list on screen, ms, each run. */
  readonly unthrottledMs?: readonly number[];
  readonly throttledMs?: readonly number[];
}

export async function runMiniAppBench(options: {
  readonly root: string;
  readonly rounds: number;
  readonly latencies: Latencies;
  readonly progress: (line: string) => void;
  /** Where Chromium is; Debian's by default. */
  readonly findChromium?: () => string | undefined;
}): Promise<MiniAppBench> {
  if ((options.findChromium ?? chromiumPath)() === undefined) {
    const skipped = 'miniapp skipped: no Chromium (apt-get install chromium)';
    options.progress(skipped);
    return { skipped };
  }
  const { latencies, progress } = options;
  const page = await buildMiniAppPage({ root: options.root });
  const [backend, telegram, redis] = await Promise.all([
    startDemoBackend({ latencyMs: latencies.backendMs, connectionLatencyMs: latencies.backendConnectMs }),
    startBotApiServer({ token: SANDBOX_BOT_TOKEN, latencyMs: latencies.telegramMs }),
    ensureRedis(),
  ]);
  const bridge = await startUpstashBridge({ redisUrl: redis.url, prefix: `bench-miniapp:${randomBytes(6).toString('hex')}:`, latencyMs: latencies.redisMs });
  const config = loadConfig({
    TELEGRAM_BOT_TOKEN: SANDBOX_BOT_TOKEN,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    BACKEND_URL: backend.url,
    UPSTASH_REDIS_REST_URL: bridge.url,
    UPSTASH_REDIS_REST_TOKEN: bridge.token,
    LOG_LEVEL: 'silent',
  });
  const logger = createLogger({ level: 'silent' });
  const services = createServices({ config, logger });
  const miniApp = createMiniApp({ config, logger, services });
  const serve = serveMiniApp(page, createMiniAppEndpoint({ getMiniApp: () => miniApp, getLogger: () => logger }));
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (serve(req, res) === false) res.writeHead(404).end();
  });
  const url = await listen(server);
  let browser: Browser | undefined;
  try {
    const user = { id: 6_100_000_001, firstName: 'Ada', languageCode: 'en' };
    for (let i = 0; i < 20; i++) {
      await fetch(`${backend.url}/requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `bench-miniapp-${i}` },
        body: JSON.stringify({ request_type_id: 1, side_id: 10, category_id: 100, description: `Bench request ${i + 1}, long enough`, telegram: { user_id: user.id, chat_id: user.id } }),
      });
    }
    const initData = signLaunch({ token: SANDBOX_BOT_TOKEN, user });
    // The function is warm (a cold start is the bench's cold workload): one call before measuring.
    await fetch(`${url}/api/app/requests`, { headers: { authorization: `tma ${initData}` } });
    const backendBefore = backend.stats.requests;
    const bridgeBefore = bridge.stats.requests;
    await fetch(`${url}/api/app/requests`, { headers: { authorization: `tma ${initData}` } });
    const listCall = { backendRequests: backend.stats.requests - backendBefore, redisRoundTrips: bridge.stats.requests - bridgeBefore };

    browser = await launchChromium();
    const target = launchUrl(url, initData);
    const load = async (throttled: boolean): Promise<{ ms: number; requests: string[] }> => {
      const context = await (browser as Browser).newContext({ viewport: { width: 390, height: 760 } });
      await context.route(TELEGRAM_SCRIPT_URL, (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: TELEGRAM_STUB_SCRIPT }));
      // The moment the first row of the list is in the page, on the page's own clock.
      await context.addInitScript(() => {
        const g = globalThis as unknown as { __listShownAt?: number; document: { querySelector(s: string): unknown }; MutationObserver: new (cb: () => void) => { observe(n: unknown, o: object): void; disconnect(): void }; performance: { now(): number } };
        const observer = new g.MutationObserver(() => {
          if (g.__listShownAt === undefined && g.document.querySelector('[data-request]')) {
            g.__listShownAt = g.performance.now();
            observer.disconnect();
          }
        });
        observer.observe(g.document, { childList: true, subtree: true });
      });
      const tab = await context.newPage();
      if (throttled) {
        const cdp = await context.newCDPSession(tab);
        await cdp.send('Network.enable');
        await cdp.send('Network.emulateNetworkConditions', {
          offline: false,
          latency: THROTTLE.latencyMs,
          downloadThroughput: THROTTLE.downloadBitsPerSecond / 8,
          uploadThroughput: THROTTLE.uploadBitsPerSecond / 8,
        });
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE.cpuSlowdown });
      }
      const started: { url: string; at: number }[] = [];
      tab.on('request', (request) => started.push({ url: request.url(), at: Date.now() }));
      await tab.goto(target);
      await tab.waitForSelector('[data-request]');
      const shown = await tab.evaluate(() => {
        const g = globalThis as unknown as {
          __listShownAt?: number;
          performance: { timeOrigin: number; getEntriesByType(type: string): { name: string; startTime: number; responseEnd: number }[] };
        };
        const resources = g.performance.getEntriesByType('resource').map((entry) => `${new URL(entry.name).pathname} ${entry.startTime.toFixed(0)}-${entry.responseEnd.toFixed(0)}`);
        const page = g.performance.getEntriesByType('navigation').map((entry) => `page 0-${entry.responseEnd.toFixed(0)}`);
        const marks = g.performance.getEntriesByType('mark').map((entry) => `${entry.name} ${entry.startTime.toFixed(0)}`);
        return { at: (g.__listShownAt ?? 0) + g.performance.timeOrigin, ms: g.__listShownAt ?? Number.NaN, timeline: [...page, ...resources, ...marks].join(', ') };
      });
      if (process.env.BENCH_MINIAPP_TIMELINE === '1') console.error(`${throttled ? 'throttled' : 'unthrottled'}: ${shown.timeline}; list ${shown.ms.toFixed(0)}`);
      await context.close();
      const before = started.filter((request) => request.at <= shown.at).map((request) => new URL(request.url).pathname);
      return { ms: shown.ms, requests: before };
    };
    const unthrottled: number[] = [];
    const throttled: number[] = [];
    let requests: string[] = [];
    // Interleaved, so both see the same machine; one unmeasured load first.
    await load(false);
    for (let round = 0; round < options.rounds; round++) {
      unthrottled.push((await load(false)).ms);
      const slow = await load(true);
      throttled.push(slow.ms);
      requests = slow.requests;
      progress(`miniapp round ${round + 1}/${options.rounds}: list on screen ${unthrottled.at(-1)?.toFixed(0)} ms, throttled ${slow.ms.toFixed(0)} ms`);
    }
    return { firstScreenGzipBytes: page.gzipBytes.firstScreen, requestsBeforeList: requests, listCall, unthrottledMs: unthrottled, throttledMs: throttled };
  } finally {
    await browser?.close();
    await closeServer(server);
    await Promise.all([services.backend.close(), services.files.close()]);
    await Promise.allSettled([backend.close(), telegram.close(), bridge.close()]);
  }
}

/** The section of the report, with the budgets beside what was measured. */
export function miniAppMarkdown(result: MiniAppBench, rounds: number): string {
  if (result.skipped !== undefined) return `## Mini App\n\n${result.skipped}\n`;
  const unthrottled = median([...(result.unthrottledMs ?? [])]);
  const throttled = median([...(result.throttledMs ?? [])]);
  const requests = result.requestsBeforeList ?? [];
  const bytes = result.firstScreenGzipBytes ?? 0;
  const list = result.listCall ?? { backendRequests: Number.NaN, redisRoundTrips: Number.NaN };
  const mark = (met: boolean) => (met ? 'met' : '**NOT met**');
  return [
    '## Mini App',
    '',
    `Navigation to the list on screen, median of ${rounds} fresh contexts each, interleaved; throttled: ${THROTTLE.latencyMs} ms round trip, ${THROTTLE.downloadBitsPerSecond / 1e6} Mb/s down, ${THROTTLE.cpuSlowdown}x CPU slowdown (DevTools protocol).`,
    '',
    '| measure | budget | measured | |',
    '|---|---|---|---|',
    `| list on screen, throttled (median) | ≤ ${LIST_BUDGET_MS} ms | ${throttled.toFixed(0)} ms (runs: ${(result.throttledMs ?? []).map((ms) => ms.toFixed(0)).join(', ')}) | ${mark(throttled <= LIST_BUDGET_MS)} |`,
    `| list on screen, unthrottled (median) | - | ${unthrottled.toFixed(0)} ms (runs: ${(result.unthrottledMs ?? []).map((ms) => ms.toFixed(0)).join(', ')}) | |`,
    `| first screen, gzipped (HTML with styles + script) | ≤ ${FIRST_SCREEN_BUDGET_BYTES / 1024} KiB | ${(bytes / 1024).toFixed(1)} KiB | ${mark(bytes <= FIRST_SCREEN_BUDGET_BYTES)} |`,
    `| requests before the list shows | ≤ ${REQUESTS_BUDGET} | ${requests.length}: ${requests.join(', ')} | ${mark(requests.length <= REQUESTS_BUDGET)} |`,
    `| My requests API call: backend calls | 1 | ${list.backendRequests} | ${mark(list.backendRequests === 1)} |`,
    `| My requests API call: Redis round trips | ≤ 1 | ${list.redisRoundTrips} | ${mark(list.redisRoundTrips <= 1)} |`,
    '',
  ].join('\n');
}

/** The budgets as the bench's target lines (met, not met, or skipped without a browser). */
export function miniAppTargets(result: MiniAppBench): TargetCheck[] {
  if (result.skipped !== undefined) return [{ target: 'Mini App budgets', measured: result.skipped, met: null }];
  const throttled = median([...(result.throttledMs ?? [])]);
  const unthrottled = median([...(result.unthrottledMs ?? [])]);
  const requests = result.requestsBeforeList ?? [];
  const bytes = result.firstScreenGzipBytes ?? 0;
  const list = result.listCall ?? { backendRequests: Number.NaN, redisRoundTrips: Number.NaN };
  return [
    { target: `Mini App: list on screen within ${LIST_BUDGET_MS} ms throttled (median)`, measured: `${throttled.toFixed(0)} ms (unthrottled ${unthrottled.toFixed(0)} ms)`, met: throttled <= LIST_BUDGET_MS },
    { target: `Mini App: first screen at most ${FIRST_SCREEN_BUDGET_BYTES / 1024} KiB gzipped in at most ${REQUESTS_BUDGET} requests`, measured: `${(bytes / 1024).toFixed(1)} KiB, ${requests.length} requests (${requests.join(', ')})`, met: bytes <= FIRST_SCREEN_BUDGET_BYTES && requests.length <= REQUESTS_BUDGET },
    { target: 'Mini App: My requests call makes 1 backend call and at most 1 Redis round trip', measured: `${list.backendRequests} backend, ${list.redisRoundTrips} Redis`, met: list.backendRequests === 1 && list.redisRoundTrips <= 1 },
  ];
}

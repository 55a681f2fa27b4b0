// The bot's /api/notify on a loopback port, for tests that play the backend telling the bot
// something (a status change, an agent's comment): the real endpoint in front of one instance.
import { createServer } from 'node:http';
import { createNotifyEndpoint } from '../../lib/webhook/notify-endpoint.js';
import { NOTIFY_SECRET, type BotInstance, type Harness } from './bot-harness.js';
import { closeServer, listen } from './http.js';

export interface NotifyEndpoint {
  readonly url: string;
  /** POSTs the event as the backend does, with a fresh event id unless it brings its own. */
  post(event: Record<string, unknown>): Promise<{ readonly status: number; readonly body: unknown }>;
  close(): Promise<void>;
}

export async function startNotifyEndpoint(harness: Harness, bot: BotInstance, eventPrefix: string): Promise<NotifyEndpoint> {
  const server = createServer(createNotifyEndpoint({ getApp: async () => bot.app, getLogger: () => harness.logger }));
  const url = await listen(server);
  let nextEvent = 0;
  return {
    url,
    async post(event) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${NOTIFY_SECRET}`, 'content-type': 'application/json' },
        body: JSON.stringify({ event_id: `${eventPrefix}-${process.pid}-${++nextEvent}`, ...event }),
      });
      const text = await response.text();
      return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
    },
    close: () => closeServer(server),
  };
}

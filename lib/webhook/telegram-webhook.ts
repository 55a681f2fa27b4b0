import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Update } from 'telegraf/types';
import type { Config } from '../config.js';
import { appOrUnavailable, type EndpointDeps } from './endpoint-deps.js';
import type { UpdateOutcome } from '../bot/update-outcome.js';
import { readJsonBody, sendJson } from '../http/json.js';
import { header, secretsEqual } from '../http/secrets.js';

/** Telegram updates are small; anything near this is not from Telegram. */
export const MAX_UPDATE_BYTES = 1024 * 1024;

export interface TelegramWebhookDeps extends EndpointDeps {
  readonly getConfig: () => Config;
  /** Keeps the instance alive for work that outlives the response (`waitUntil` on Vercel). */
  readonly waitUntil: (promise: Promise<unknown>) => void;
}

/**
 * The webhook endpoint: checks method, secret, size and shape before any update reaches the
 * bot, then answers 200 for every update it accepted, even when a handler failed (the person
 * was told; a non-2xx would make Telegram resend the update and hold back the chat's queue).
 *
 * Fails closed: without TELEGRAM_WEBHOOK_SECRET every update is answered 503 (Telegram keeps it and
 * retries, so nothing is lost while the deployment is fixed), unless a local run opted out with
 * TELEGRAM_WEBHOOK_INSECURE_NO_SECRET=1. Anyone who finds the URL could otherwise post updates
 * in anyone's name.
 */
export function createTelegramWebhook(deps: TelegramWebhookDeps) {
  // Once per instance is enough to say why: every update would repeat it.
  let toldWhy = false;
  const tellOnce = (level: 'error' | 'warn', message: string) => {
    if (toldWhy) return;
    toldWhy = true;
    deps.getLogger()[level](message);
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'method not allowed: use POST' }, { allow: 'POST' });

    let config: Config;
    try {
      config = deps.getConfig();
    } catch (error) {
      // Telegram retries a 5xx, so nothing is lost while the deployment is fixed.
      deps.getLogger().fatal({ err: error }, 'webhook cannot start: invalid configuration');
      return sendJson(res, 500, { error: 'server misconfigured' });
    }
    const expected = config.telegram.webhookSecret;
    if (expected === undefined && !config.telegram.insecureWithoutSecret) {
      tellOnce(
        'error',
        'TELEGRAM_WEBHOOK_SECRET is not set: every update is refused (503) so that nobody can post forged ones. ' +
          'Generate one (openssl rand -hex 32), set it and run npm run webhook:set; a local run may set TELEGRAM_WEBHOOK_INSECURE_NO_SECRET=1 instead',
      );
      return sendJson(res, 503, { error: 'webhook secret not configured' });
    }
    if (expected === undefined) {
      tellOnce('warn', 'TELEGRAM_WEBHOOK_INSECURE_NO_SECRET=1: updates are accepted without a secret; never on a reachable deployment');
    } else if (!secretsEqual(header(req, 'x-telegram-bot-api-secret-token'), expected)) {
      deps.getLogger().warn('webhook call with a missing or wrong secret token rejected');
      return sendJson(res, 401, { error: 'unauthorized' });
    }

    const body = await readJsonBody(req, MAX_UPDATE_BYTES);
    if (!body.ok) return sendJson(res, body.status, { error: body.error });
    if (!isUpdate(body.value)) return sendJson(res, 400, { error: 'body is not a Telegram update (an integer update_id and object fields)' });

    const app = await appOrUnavailable(deps, res);
    if (!app) return;
    // The answer tells Telegram the update is done and lets the chat's next update in: it goes
    // out only when the update's work is finished. Bookkeeping runs after it, in waitUntil.
    let outcome: UpdateOutcome = {};
    try {
      outcome = await app.handleUpdate(body.value, { webhook: true });
    } catch (error) {
      // Handler failures are turned into a message to the person inside the bot; this is the rest.
      app.logger.error({ err: error }, 'update processing failed');
    }
    deps.waitUntil(app.afterResponse().catch((error: unknown) => app.logger.error({ err: error }, 'after-response work failed')));
    if (outcome.retryAfterSeconds !== undefined) {
      const retryAfter = String(outcome.retryAfterSeconds);
      return sendJson(res, 503, { error: 'this update is still being processed; deliver it again later' }, { 'retry-after': retryAfter });
    }
    if (outcome.reply) return sendJson(res, 200, outcome.reply);
    res.statusCode = 200;
    res.end();
  };
}

/** An object with a non-negative integer `update_id`; every other field (message, callback_query…) an object. */
function isUpdate(value: unknown): value is Update {
  if (!isObject(value)) return false;
  const { update_id: id, ...fields } = value;
  return Number.isSafeInteger(id) && (id as number) >= 0 && Object.values(fields).every(isObject);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

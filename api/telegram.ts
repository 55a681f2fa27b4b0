import { waitUntil } from '@vercel/functions';
import { getApp, getConfig, getLogger } from '../lib/instance.js';
import { createTelegramWebhook } from '../lib/webhook/telegram-webhook.js';

/** POST /api/telegram: Telegram delivers every update here (see `npm run webhook:set`). */
export default createTelegramWebhook({ getConfig, getApp, getLogger, waitUntil });

import { getApp, getLogger } from '../../lib/instance.js';
import { createCronRemindEndpoint } from '../../lib/webhook/cron-remind-endpoint.js';

/** GET|POST /api/cron/remind: sends the reminders that are due (Vercel Cron or an Upstash QStash schedule, Bearer $CRON_SECRET). */
export default createCronRemindEndpoint({ getApp, getLogger });

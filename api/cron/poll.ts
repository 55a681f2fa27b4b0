import { getApp, getLogger } from '../../lib/instance.js';
import { createCronPollEndpoint } from '../../lib/webhook/cron-poll-endpoint.js';

/** GET|POST /api/cron/poll: tells people what changed in Redmine since the last run (Vercel Cron or an Upstash QStash schedule, Bearer $CRON_SECRET). */
export default createCronPollEndpoint({ getApp, getLogger });

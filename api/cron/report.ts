import { getApp, getLogger } from '../../lib/instance.js';
import { createCronReportEndpoint } from '../../lib/webhook/cron-report-endpoint.js';

/** GET /api/cron/report: the daily performance summary (Vercel Cron, Bearer $CRON_SECRET). */
export default createCronReportEndpoint({ getApp, getLogger });

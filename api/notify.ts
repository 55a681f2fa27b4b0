import { getApp, getLogger } from '../lib/instance.js';
import { createNotifyEndpoint } from '../lib/webhook/notify-endpoint.js';

/** POST /api/notify: the backend pushes status changes (Authorization: Bearer $NOTIFY_SECRET). */
export default createNotifyEndpoint({ getApp, getLogger });

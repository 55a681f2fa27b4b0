import { getApp, getLogger } from '../lib/instance.js';
import { createHealthEndpoint } from '../lib/webhook/health-endpoint.js';

/** GET /api/health: version and whether Redis and the backend answer. */
export default createHealthEndpoint({ getApp, getLogger });

import { getConfig, getLogger } from '../../lib/instance-config.js';
import { createFilesEndpoint } from '../../lib/webhook/files-endpoint.js';

/**
 * GET /api/files/{telegram_file_id}: the backend downloads what people sent (Bearer $FILES_SECRET,
 * else $NOTIFY_SECRET). The response streams: without `supportsResponseStreaming` Vercel would buffer
 * it and refuse anything over its 4.5 MB response limit.
 */
export const config = { supportsResponseStreaming: true };

export default createFilesEndpoint({ getConfig, getLogger });

import { getLogger } from '../../lib/instance-config.js';
import { createMiniAppEndpoint, getMiniApp } from '../../lib/mini-app/instance.js';

/**
 * /api/app/*: the Mini App's API (Authorization: tma <initData>), one router for every call of the
 * page, so a person's session warms one instance. It streams: a file download may be larger than
 * Vercel's 4.5 MB buffered answer.
 */
export const config = { supportsResponseStreaming: true };

export default createMiniAppEndpoint({ getMiniApp, getLogger });

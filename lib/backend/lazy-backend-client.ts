import type { BackendClient, BackendPoolStats } from './backend-client.js';

/**
 * A BackendClient that loads the real one (and with it ky and undici) on its first call.
 *
 * A warm Redis answers a cold instance's catalogue taps from the shared cache, so the first
 * update often needs no backend client at all; ky and undici (about 60 ms of imports, measured
 * by `npm run bench`) leave the cold start. An update that does need the backend pays the import once.
 */
export function lazyBackendClient(load: () => Promise<BackendClient>, maxConnections: number): BackendClient {
  let loading: Promise<BackendClient> | undefined;
  let loaded: BackendClient | undefined;
  const client = (): Promise<BackendClient> => {
    loading ??= load().then(
      (real) => (loaded = real),
      (error: unknown) => {
        loading = undefined; // a failed import is retried by the next call
        throw error;
      },
    );
    return loading;
  };
  return {
    listRequestTypes: async (options) => (await client()).listRequestTypes(options),
    listSides: async (requestTypeId, options) => (await client()).listSides(requestTypeId, options),
    listServiceCategories: async (requestTypeId, sideId, options) => (await client()).listServiceCategories(requestTypeId, sideId, options),
    createRequest: async (body, idempotencyKey) => (await client()).createRequest(body, idempotencyKey),
    listRequests: async (telegramUserId, limit, options) => (await client()).listRequests(telegramUserId, limit, options),
    listRequestPage: async (telegramUserId, page, options) => (await client()).listRequestPage(telegramUserId, page, options),
    getRequest: async (id, options) => (await client()).getRequest(id, options),
    addComment: async (requestId, body, idempotencyKey) => (await client()).addComment(requestId, body, idempotencyKey),
    cancelRequest: async (id, body, key) => (await client()).cancelRequest(id, body, key),
    confirmResolution: async (id, body, key) => (await client()).confirmResolution(id, body, key),
    reopenRequest: async (id, body, key) => (await client()).reopenRequest(id, body, key),
    rateRequest: async (id, body, key) => (await client()).rateRequest(id, body, key),
    attachCancelReason: async (id, body, key) => (await client()).attachCancelReason(id, body, key),
    attachRatingComment: async (id, body, key) => (await client()).attachRatingComment(id, body, key),
    editComment: async (requestId, commentId, body, key) => (await client()).editComment(requestId, commentId, body, key),
    poolStats: (): BackendPoolStats =>
      loaded?.poolStats() ?? { connected: 0, free: 0, pending: 0, running: 0, size: 0, maxConnections },
    close: async () => {
      if (loading !== undefined) await (await loading).close();
    },
  };
}

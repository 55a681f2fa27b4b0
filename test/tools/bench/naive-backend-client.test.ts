import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackendClient } from '../../../lib/backend/backend-client.js';
import { BackendError } from '../../../lib/backend/backend-error.js';
import { startDemoBackend, type DemoBackend } from '../../../tools/demo-backend/server.js';
import { createLogger } from '../../../lib/logger.js';
import { createNaiveBackendClient } from '../../../tools/bench/naive-backend-client.js';
import { createNoCache } from '../../../tools/bench/no-cache.js';

describe('the naive backend client (the seed\'s "before")', () => {
  let backend: DemoBackend;

  beforeAll(async () => {
    backend = await startDemoBackend();
  });
  afterAll(async () => {
    await backend.close();
  });

  it('opens a new connection for every call, counted at the demo backend', async () => {
    const client = createNaiveBackendClient({ baseUrl: backend.url, timeoutMs: 5_000 });
    backend.resetStats();
    for (let i = 0; i < 5; i++) await client.listRequestTypes();
    await client.listSides(1);
    expect(backend.stats.requests).toBe(6);
    expect(backend.stats.connections).toBe(6);
  });

  it('while the product client reuses one keep-alive connection for the same calls', async () => {
    const client = createBackendClient({
      baseUrl: backend.url,
      timeoutMs: 5_000,
      maxConnections: 10,
      slowCallMs: 10_000,
      logger: createLogger({ level: 'silent' }),
    });
    try {
      backend.resetStats();
      for (let i = 0; i < 5; i++) await client.listRequestTypes();
      await client.listSides(1);
      expect(backend.stats.requests).toBe(6);
      expect(backend.stats.connections).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('answers with validated data, and with BackendError like the product client', async () => {
    const client = createNaiveBackendClient({ baseUrl: backend.url, timeoutMs: 5_000 });
    const types = await client.listRequestTypes();
    expect(types[0]).toMatchObject({ id: 1, name: expect.any(String) as string });

    const missing = await client.getRequest('no-such-request').catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(BackendError);
    expect((missing as BackendError).status).toBe(404);

    backend.setFault('GET /request-types', 'wrong-shape', 1);
    const invalid = await client.listRequestTypes().catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(BackendError);
    expect((invalid as BackendError).kind).toBe('invalid-response');
  });

  it('creates a request once per idempotency key', async () => {
    const client = createNaiveBackendClient({ baseUrl: backend.url, timeoutMs: 5_000 });
    const body = {
      request_type_id: 1,
      side_id: 10,
      category_id: 100,
      description: 'A naive client test request',
      telegram: { user_id: 42, chat_id: 42 },
    };
    const first = await client.createRequest(body, 'naive-test-key');
    const again = await client.createRequest(body, 'naive-test-key');
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.request.id).toBe(first.request.id);
  });
});

describe('the no-cache stand-in', () => {
  it('loads on every lookup', async () => {
    const cache = createNoCache();
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.getOrLoad('k', load)).toBe(1);
    expect(await cache.getOrLoad('k', load)).toBe(2);
    expect(cache.stats()).toMatchObject({ loads: 2, misses: 2, l1Hits: 0, hitRatio: 0 });
  });
});

// Helpers for the tests of a request's life (issue 11): requests made at the demo backend as another
// channel would make them (the bot's own submission is limited to 5 an hour per person), and the
// demo backend's record of every cancel, confirm, reopen and rating call.
import type { DemoBackend } from '../../tools/demo-backend/server.js';
import type { LifecycleRecord, StoredRequest } from '../../tools/demo-backend/request-store.js';

let created = 0;

/** `count` requests of Repair · Individual · Plumbing for the person, oldest first, through POST /requests. */
export async function requestsAtBackend(backend: DemoBackend, userId: number, count = 1, body: Record<string, unknown> = {}): Promise<StoredRequest[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${backend.url}/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `test-${process.pid}-${++created}` },
      body: JSON.stringify({
        request_type_id: 1,
        side_id: 10,
        category_id: 100,
        description: `Made elsewhere, number ${i + 1}`,
        telegram: { user_id: userId, chat_id: userId },
        ...body,
      }),
    });
    if (response.status !== 201) throw new Error(`POST /requests answered ${response.status}: ${await response.text()}`);
    ids.push(((await response.json()) as { id: string }).id);
  }
  return ids.map((id) => backend.requests().find((request) => request.id === id) as StoredRequest);
}

/** The request as the demo backend holds it now. */
export function current(backend: DemoBackend, id: string): StoredRequest | undefined {
  return backend.requests().find((request) => request.id === id);
}

/** Lifecycle calls the backend received for one request, optionally of one kind and outcome. */
export function lifecycleCalls(backend: DemoBackend, requestId: string, filter: Partial<Pick<LifecycleRecord, 'action' | 'outcome'>> = {}): LifecycleRecord[] {
  return backend
    .lifecycleLog()
    .filter((entry) => entry.requestId === requestId)
    .filter((entry) => filter.action === undefined || entry.action === filter.action)
    .filter((entry) => filter.outcome === undefined || entry.outcome === filter.outcome);
}

/** Another channel (the web portal, a second phone) rates the request directly at the backend. */
export async function rateElsewhere(backend: DemoBackend, request: StoredRequest, score: number): Promise<number> {
  const response = await fetch(`${backend.url}/requests/${request.id}/rating`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': `elsewhere-${request.id}` },
    body: JSON.stringify({ telegram_user_id: request.telegram.user_id, score }),
  });
  return response.status;
}

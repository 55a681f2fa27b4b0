import { createServer } from 'node:http';
import * as v from 'valibot';
import { RequestStatusSchema } from '../../../lib/backend/schemas.js';
import { startDemoBackend, type DemoBackend, type DemoBackendOptions } from '../../demo-backend/server.js';
import { closeServer, listen, readBody, sendJson } from '../../sandbox/http.js';

/**
 * The demo backend with an agent hook beside it: what `npm run contract:check -- --demo` and the
 * tests check. The hook is what an organisation's staging backend would offer to `--agent-hook`:
 * `POST {"request_id", "status"}` moves that request as an agent would.
 */
export interface DemoTarget {
  readonly backend: DemoBackend;
  readonly url: string;
  readonly agentHook: string;
  close(): Promise<void>;
}

const AgentMoveSchema = v.object({ request_id: v.pipe(v.string(), v.nonEmpty()), status: RequestStatusSchema });

export async function startDemoTarget(options: DemoBackendOptions = {}): Promise<DemoTarget> {
  const backend = await startDemoBackend(options);
  const hook = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'POST') return sendJson(res, 405, { error: { code: 'method_not_allowed', message: 'Use POST' } }, { allow: 'POST' });
      let json: unknown;
      try {
        json = JSON.parse((await readBody(req)).toString('utf8'));
      } catch {
        return sendJson(res, 400, { error: { code: 'invalid_json', message: 'The body is not JSON' } });
      }
      const move = v.safeParse(AgentMoveSchema, json);
      if (!move.success) return sendJson(res, 400, { error: { code: 'invalid_request', message: 'Send {"request_id", "status"}' } });
      const moved = await backend.setStatus(move.output.request_id, move.output.status, 'Moved by the contract check’s agent hook');
      if (moved === undefined) return sendJson(res, 404, { error: { code: 'not_found', message: 'No such request' } });
      sendJson(res, 200, { request_id: moved.request_id, status: moved.status });
    })().catch(() => res.destroy());
  });
  const hookUrl = await listen(hook);
  return {
    backend,
    url: backend.url,
    agentHook: `${hookUrl}/agent/status`,
    async close() {
      await Promise.all([closeServer(hook), backend.close()]);
    },
  };
}

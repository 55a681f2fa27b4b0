import type { RequestStatus } from '../../../lib/backend/schemas.js';
import { excerpt } from './probe-client.js';

/**
 * The agent's side, which no customer call can reach: `--agent-hook URL` names an endpoint of the
 * organisation's staging backend that moves one request to a status as an agent would. The check
 * POSTs `{"request_id", "status"}` there (with the API key, when given) and expects any 2xx; it
 * only ever names requests it created itself.
 */
export interface AgentHook {
  readonly url: string;
  moveTo(requestId: string, status: RequestStatus): Promise<void>;
}

export function createAgentHook(options: { readonly url: string; readonly apiKey: string | undefined; readonly timeoutMs: number }): AgentHook {
  return {
    url: options.url,
    async moveTo(requestId, status) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (options.apiKey !== undefined) headers.authorization = `Bearer ${options.apiKey}`;
      const response = await fetch(options.url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ request_id: requestId, status }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`the agent hook answered ${response.status} ${excerpt(text)}`);
    },
  };
}

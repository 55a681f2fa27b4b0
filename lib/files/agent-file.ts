import { isTimeout } from '../http/timeouts.js';

/** Where an agent's file may come from with the backend's key (BACKEND_URL's origin). */
export interface AgentFileSource {
  /** BACKEND_URL (any URL on it will do): only files on this origin are fetched with the API key. */
  readonly backendOrigin: string;
  readonly backendApiKey: string | undefined;
}

/** Why an agent's file could not be had; the same reasons as a file that did not reach the chat. */
export type AgentFileProblem = { readonly delivered: false; readonly reason: 'http_error' | 'timeout' | 'network' | 'invalid_url'; readonly status?: number };

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Fetches an agent's file, following redirects by hand so that each hop gets the API key only when
 * it is on the backend's origin: a backend that redirects to a CDN must not hand the CDN its key.
 * The chat's uploads and the Mini App's downloads both fetch through here.
 */
export async function openAgentFile(deps: AgentFileSource, start: URL, signal: AbortSignal): Promise<Response | AgentFileProblem> {
  const backendOrigin = originOf(deps.backendOrigin);
  let url = start;
  let status = 0;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const headers: Record<string, string> = {};
    if (deps.backendApiKey !== undefined && url.origin === backendOrigin) headers.authorization = `Bearer ${deps.backendApiKey}`;
    let response: Response;
    try {
      response = await fetch(url, { headers, redirect: 'manual', signal });
    } catch (error) {
      return { delivered: false, reason: isTimeout(error, signal) ? 'timeout' : 'network' };
    }
    const location = response.headers.get('location');
    status = response.status;
    if (REDIRECT_STATUSES.has(response.status) && location !== null) {
      await response.body?.cancel().catch(() => undefined);
      try {
        url = new URL(location, url);
      } catch {
        return { delivered: false, reason: 'invalid_url' };
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return { delivered: false, reason: 'invalid_url' };
      continue;
    }
    if (response.status < 200 || response.status > 299 || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      return { delivered: false, reason: 'http_error', status: response.status };
    }
    return response;
  }
  // Too many redirects: the last one's status says what went round.
  return { delivered: false, reason: 'http_error', status };
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

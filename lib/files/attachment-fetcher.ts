import { isIP } from 'node:net';
import type { Dispatcher } from 'undici';
import { isTimeout } from '../http/timeouts.js';
import type { AddressTrust, Resolver } from './public-address.js';

/**
 * Where an agent's file may come from, as configured: BACKEND_URL's origin (the only one that gets
 * the API key) and FILE_ORIGINS (a CDN, an object store). `anyPublicOrigin` (FILE_ORIGINS has `*`)
 * also lets any other https origin in, held to public addresses when the bot connects.
 */
export interface AttachmentFetcherOptions {
  readonly backendUrl: string;
  readonly backendApiKey: string | undefined;
  /** Headers that open the backend's files instead of `Authorization: Bearer` (a Redmine's `X-Redmine-API-Key`). */
  readonly backendHeaders?: Readonly<Record<string, string>>;
  readonly fileOrigins: readonly string[];
  readonly anyPublicOrigin: boolean;
  /** Connections per pool (one pool for configured origins, one for the rest); 10 by default. */
  readonly maxConnections?: number;
  /** How long establishing a connection may take (ms); 10 s by default. */
  readonly connectTimeoutMs?: number;
  /** The resolver behind the address check; the system's by default (tests put a fake DNS here). */
  readonly lookup?: Resolver;
}

/**
 * Why a file could not be opened:
 * - `forbidden`: an origin nobody allowed, a literal IP where only public names may go, or a name
 *   that resolved to an address the bot may not connect to (this hop or a redirect's);
 * - `invalid_url`: not an http(s) URL; `http_error`: a status other than 2xx (`status`);
 * - `timeout`: the signal's deadline; `network`: unreachable, or the connection broke.
 */
export interface OpenFailure {
  readonly reason: 'forbidden' | 'invalid_url' | 'http_error' | 'timeout' | 'network';
  readonly status?: number;
}

export interface AttachmentFetcher {
  /** Loads what fetching needs (undici, the address tables) once; a caller's timeouts start after it. */
  prepare(): Promise<void>;
  /** GETs an agent's file, following up to 5 redirects, each hop checked; a Response is 2xx with a body. */
  open(url: string, signal: AbortSignal): Promise<Response | OpenFailure>;
  /** Closes the connection pools (at the end of the instance). */
  close(): Promise<void>;
}

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

interface Pools {
  readonly configured: Dispatcher;
  readonly publicOnly: Dispatcher;
  readonly addressAllowed: (address: string, trust: AddressTrust) => boolean;
  readonly AddressRefusedError: new (hostname: string) => Error;
}

/**
 * Fetches agents' files only from where the organisation allows, built once per instance.
 *
 * Two checks, each where it cannot be got round: the origin of every hop against the configured
 * list (redirects are followed by hand), and the address at connect time, by a `lookup` hook in the
 * connection pool (so a name that resolves elsewhere between a check and the connection, DNS
 * rebinding, still cannot reach an internal address). Literal IPs never go through a lookup, so they
 * are checked here; where only public hosts may go, a literal IP is refused outright.
 *
 * The API key goes with a hop only when the first URL was on the backend's origin and every hop so
 * far stayed there: a redirect from elsewhere onto the backend, or back onto it, never carries it.
 *
 * undici and the address tables load on the first file (they are not on the cold path of an update).
 */
export function createAttachmentFetcher(options: AttachmentFetcherOptions): AttachmentFetcher {
  const backendOrigin = new URL(options.backendUrl).origin;
  const configured = new Set([backendOrigin, ...options.fileOrigins.map((origin) => new URL(origin).origin)]);
  let pools: Promise<Pools> | undefined;

  const loadPools = (): Promise<Pools> => {
    pools ??= createPools(options).catch((error: unknown) => {
      pools = undefined; // a failed import is retried by the next file
      throw error;
    });
    return pools;
  };

  /** How far a hop is trusted; undefined: this origin may not be fetched at all. */
  const trustOf = (url: URL): AddressTrust | undefined => {
    if (configured.has(url.origin)) return 'configured';
    if (options.anyPublicOrigin && url.protocol === 'https:' && isIP(bare(url.hostname)) === 0) return 'public-only';
    return undefined;
  };

  return {
    async prepare() {
      await loadPools();
    },
    async open(raw, signal) {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        return { reason: 'invalid_url' };
      }
      const { configured: configuredPool, publicOnly, addressAllowed, AddressRefusedError } = await loadPools();
      let keyAllowed = url.origin === backendOrigin;
      let status = 0;
      for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
        if (url.protocol !== 'http:' && url.protocol !== 'https:') return { reason: 'invalid_url' };
        const trust = trustOf(url);
        if (trust === undefined) return { reason: 'forbidden' };
        const host = bare(url.hostname);
        if (isIP(host) !== 0 && !addressAllowed(host, trust)) return { reason: 'forbidden' };
        keyAllowed &&= url.origin === backendOrigin;
        let headers: Record<string, string> = {};
        if (keyAllowed && options.backendHeaders !== undefined) headers = { ...options.backendHeaders };
        else if (keyAllowed && options.backendApiKey !== undefined) headers.authorization = `Bearer ${options.backendApiKey}`;
        let response: Response;
        try {
          // Node's fetch takes undici's dispatcher as it is (the same Dispatcher API as its bundled undici).
          const dispatcher = trust === 'configured' ? configuredPool : publicOnly;
          response = await fetch(url, { headers, redirect: 'manual', signal, dispatcher: dispatcher as unknown as RequestInit['dispatcher'] });
        } catch (error) {
          if (causedBy(error, AddressRefusedError)) return { reason: 'forbidden' };
          return { reason: isTimeout(error, signal) ? 'timeout' : 'network' };
        }
        status = response.status;
        const location = response.headers.get('location');
        if (REDIRECT_STATUSES.has(response.status) && location !== null) {
          await response.body?.cancel().catch(() => undefined);
          try {
            url = new URL(location, url);
          } catch {
            return { reason: 'invalid_url' };
          }
          continue;
        }
        if (response.status < 200 || response.status > 299 || !response.body) {
          await response.body?.cancel().catch(() => undefined);
          return { reason: 'http_error', status: response.status };
        }
        return response;
      }
      // Too many redirects: the last one's status says what went round.
      return { reason: 'http_error', status };
    },
    async close() {
      const built = await pools?.catch(() => undefined);
      await Promise.all([built?.configured.close(), built?.publicOnly.close()]);
    },
  };
}

/** One pool per trust, each checking addresses as it connects. */
async function createPools(options: AttachmentFetcherOptions): Promise<Pools> {
  const [{ Agent }, { addressAllowed, guardedLookup, AddressRefusedError }] = await Promise.all([import('undici'), import('./public-address.js')]);
  const pool = (trust: AddressTrust) =>
    new Agent({
      connections: options.maxConnections ?? 10,
      connect: { lookup: guardedLookup(trust, options.lookup), timeout: options.connectTimeoutMs ?? 10_000 },
    });
  return { configured: pool('configured'), publicOnly: pool('public-only'), addressAllowed, AddressRefusedError };
}

/** `[::1]` as URL.hostname writes an IPv6 literal, without its brackets. */
function bare(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/** Whether `error` or one of its causes (fetch wraps connection errors) is of this class. */
function causedBy(error: unknown, type: new (...args: never[]) => Error): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof type) return true;
    current = (current as Error).cause;
  }
  return false;
}

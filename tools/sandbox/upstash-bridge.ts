// A loopback stand-in for the Upstash Redis REST API, backed by a real Redis.
//
// It speaks what @upstash/redis sends: POST `/` with one command as a JSON array, `/pipeline` and
// `/multi-exec` with an array of commands, `Authorization: Bearer <token>`, `Upstash-Encoding:
// base64` (every string in the answer base64-encoded except a bare "OK"), and an
// `upstash-sync-token` answer header that the client echoes back for read-your-writes. Path-style
// commands (`/set/foo/bar?EX=10`, token in `?_token=`) work too, for curl.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Redis } from 'ioredis';
import { closeServer, listen, readBody, sendJson, sleep } from './http.js';

export type UpstashFault = 'none' | 'unauthorized' | 'unavailable' | 'hang';

export interface UpstashBridgeOptions {
  redisUrl: string;
  /** Bearer token the client must send; random when omitted. */
  token?: string;
  /** Added before answering each HTTP request (a stand-in for the network round trip). */
  latencyMs?: number;
  /**
   * Namespace for every key the client touches, added on the way in (ioredis `keyPrefix`, which
   * knows each command's key positions, EVAL's included) and removed from KEYS/SCAN answers, so
   * test files sharing one Redis do not collide. close() deletes the namespace. Keys a Lua script
   * returns, and keys built inside a script, are not rewritten.
   */
  prefix?: string;
}

export interface UpstashBridgeStats {
  /** HTTP requests received (round trips), whatever their outcome. */
  requests: number;
  /** Redis commands asked for; every command inside a pipeline or transaction counts, as Upstash bills. */
  commands: number;
  /** Requests per endpoint: `/`, `/pipeline`, `/multi-exec`, or `/<command>` for path-style calls. */
  byPath: Record<string, number>;
  /** Upper-case names of the counted commands, in order. */
  commandNames: string[];
  /** TCP connections accepted (each is a TLS handshake against the real service). */
  connections: number;
  /** The most HTTP requests in flight at once: 2 when a client sent two round trips side by side. */
  maxInFlight: number;
}

export interface UpstashBridge {
  url: string;
  token: string;
  stats: UpstashBridgeStats;
  resetStats(): void;
  /** Added before answering each HTTP request. */
  setLatency(ms: number): void;
  /** 401, 503, or never answer (until close). */
  setFault(fault: UpstashFault): void;
  close(): Promise<void>;
}

type Json = string | number | null | Json[];
type Outcome = { result: Json } | { error: string };

/** A command ready for ioredis, plus the fix-up its answer needs. */
interface Prepared {
  name: string;
  args: Buffer[];
  finish(reply: unknown): unknown;
}

class CommandError extends Error {}

// Commands that need a connection of their own (state, blocking, streaming): the bridge shares
// one connection between all requests, and Upstash's REST API does not offer these either.
const UNAVAILABLE = new Set([
  'AUTH', 'HELLO', 'SELECT', 'SWAPDB', 'QUIT', 'RESET', 'CLIENT',
  'MULTI', 'EXEC', 'DISCARD', 'WATCH', 'UNWATCH',
  'SUBSCRIBE', 'PSUBSCRIBE', 'SSUBSCRIBE', 'UNSUBSCRIBE', 'PUNSUBSCRIBE', 'SUNSUBSCRIBE', 'MONITOR',
  'BLPOP', 'BRPOP', 'BLMOVE', 'BRPOPLPUSH', 'BLMPOP', 'BZPOPMIN', 'BZPOPMAX', 'BZMPOP', 'WAIT', 'WAITAOF',
  'SYNC', 'PSYNC', 'SHUTDOWN', 'REPLICAOF', 'SLAVEOF', 'DEBUG',
]);
// Would reach keys outside the namespace.
const UNAVAILABLE_WITH_PREFIX = new Set(['FLUSHDB', 'FLUSHALL', 'RANDOMKEY', 'DBSIZE', 'MOVE']);

// Script flags only Upstash knows; Redis 7 refuses a shebang with an unknown flag, and
// @upstash/ratelimit's scripts all start with `#!lua flags=allow-key-locking`.
const UPSTASH_ONLY_FLAGS = new Set(['allow-key-locking']);

const OK = Buffer.from('OK');

export async function startUpstashBridge(opts: UpstashBridgeOptions): Promise<UpstashBridge> {
  const token = opts.token ?? randomBytes(16).toString('hex');
  const prefix = opts.prefix ? Buffer.from(opts.prefix) : undefined;
  let latencyMs = opts.latencyMs ?? 0;
  let fault: UpstashFault = 'none';
  let syncToken = 0;

  // RESP2 (ioredis never sends HELLO), so replies are the flat arrays and strings Upstash returns.
  // Upper-case names keep ioredis's reply transformers (hgetall -> object) out of the way.
  const redis = new Redis(opts.redisUrl, {
    ...(opts.prefix ? { keyPrefix: opts.prefix } : {}),
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
  });
  redis.on('error', () => {}); // surfaces as command errors; the default handler would log each retry
  await redis.ping();

  // sha1 of a script as the client computed it -> sha1 of the script Redis actually holds.
  const shaAlias = new Map<string, string>();

  const stats: UpstashBridgeStats = { requests: 0, commands: 0, byPath: {}, commandNames: [], connections: 0, maxInFlight: 0 };
  let inFlight = 0;

  function prepare(raw: unknown): Prepared {
    if (!Array.isArray(raw) || raw.length === 0) throw new CommandError('ERR command must be a non-empty JSON array');
    const [head, ...rest] = raw as unknown[];
    if (typeof head !== 'string' || head === '') throw new CommandError('ERR command name must be a string');
    const name = head.toUpperCase();
    const args = rest.map(toArg);
    if (UNAVAILABLE.has(name) || (prefix && UNAVAILABLE_WITH_PREFIX.has(name))) {
      throw new CommandError(`ERR Command is not available: '${head.toLowerCase()}'`);
    }
    let finish = (reply: unknown): unknown => reply;
    const sub = args[0]?.toString().toUpperCase();

    if ((name === 'EVAL' || name === 'EVAL_RO') && args[0]) {
      args[0] = loadableScript(args[0]);
    } else if ((name === 'EVALSHA' || name === 'EVALSHA_RO') && args[0]) {
      args[0] = redisSha(args[0]);
    } else if (name === 'SCRIPT' && sub === 'LOAD' && args[1]) {
      const clientSha = sha1(args[1]);
      args[1] = loadableScript(args[1]);
      finish = (reply) => (Buffer.isBuffer(reply) ? Buffer.from(clientSha) : reply);
    } else if (name === 'SCRIPT' && sub === 'EXISTS') {
      for (let i = 1; i < args.length; i++) args[i] = redisSha(args[i] as Buffer);
    } else if (name === 'KEYS' && prefix && args[0]) {
      args[0] = Buffer.concat([globEscape(prefix), args[0]]);
      finish = (reply) => (Array.isArray(reply) ? reply.map(stripPrefix) : reply);
    } else if (name === 'SCAN' && prefix) {
      let matched = false;
      for (let i = 1; i + 1 < args.length; i += 2) {
        if (args[i]?.toString().toUpperCase() === 'MATCH') {
          args[i + 1] = Buffer.concat([globEscape(prefix), args[i + 1] as Buffer]);
          matched = true;
        }
      }
      if (!matched) args.push(Buffer.from('MATCH'), Buffer.concat([globEscape(prefix), Buffer.from('*')]));
      finish = (reply) =>
        Array.isArray(reply) && Array.isArray(reply[1]) ? [reply[0], reply[1].map(stripPrefix)] : reply;
    }
    return { name, args, finish };
  }

  /** Drops Upstash-only shebang flags; remembers the sha the client will ask for. */
  function loadableScript(script: Buffer): Buffer {
    const text = script.toString('utf8');
    const newline = text.indexOf('\n');
    const firstLine = newline === -1 ? text : text.slice(0, newline);
    if (!firstLine.startsWith('#!lua')) return script;
    const rewritten = firstLine.replace(/\s*flags=(\S*)/, (_all, list: string) => {
      const kept = list.split(',').filter((flag) => flag !== '' && !UPSTASH_ONLY_FLAGS.has(flag));
      return kept.length > 0 ? ` flags=${kept.join(',')}` : '';
    });
    if (rewritten === firstLine) return script;
    const loadable = Buffer.from(rewritten + text.slice(firstLine.length));
    shaAlias.set(sha1(script), sha1(loadable));
    return loadable;
  }

  function redisSha(sha: Buffer): Buffer {
    const alias = shaAlias.get(sha.toString().toLowerCase());
    return alias ? Buffer.from(alias) : sha;
  }

  function stripPrefix(key: unknown): unknown {
    return prefix && Buffer.isBuffer(key) && key.subarray(0, prefix.length).equals(prefix)
      ? key.subarray(prefix.length)
      : key;
  }

  function count(raw: unknown): void {
    stats.commands++;
    const head = Array.isArray(raw) ? (raw as unknown[])[0] : undefined;
    stats.commandNames.push(typeof head === 'string' ? head.toUpperCase() : String(head));
  }

  /** One command; called synchronously in order for a pipeline, so they reach Redis in order. */
  async function runOne(raw: unknown, base64: boolean): Promise<Outcome> {
    count(raw);
    try {
      const command = prepare(raw);
      const reply = await redis.callBuffer(command.name, ...command.args);
      return { result: encode(command.finish(reply), base64) };
    } catch (error) {
      return { error: errorText(error) };
    }
  }

  /** MULTI ... EXEC; ioredis writes the whole block at once, so other requests cannot interleave. */
  async function runTransaction(raws: unknown[], base64: boolean): Promise<Outcome | Outcome[]> {
    raws.forEach(count);
    let commands: Prepared[];
    try {
      commands = raws.map(prepare); // Upstash discards the whole transaction for a bad command
    } catch (error) {
      return { error: errorText(error) };
    }
    const tx = redis.multi();
    for (const command of commands) tx.callBuffer(command.name, ...command.args);
    try {
      const replies = await tx.exec();
      if (!replies) return { error: 'EXECABORT Transaction discarded' };
      return replies.map(([error, reply], i): Outcome =>
        error ? { error: errorText(error) } : { result: encode(commands[i]?.finish(reply) ?? reply, base64) },
      );
    } catch (error) {
      // EXECABORT: report the command that caused it, as Upstash's own validation would.
      const previous = (error as { previousErrors?: Error[] }).previousErrors?.[0];
      return { error: errorText(previous ?? error) };
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    stats.requests++;
    const url = new URL(req.url ?? '/', 'http://bridge');
    const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const route = segments.length === 0 ? '/' : `/${segments[0]?.toLowerCase()}`;
    stats.byPath[route] = (stats.byPath[route] ?? 0) + 1;
    const body = await readBody(req);

    if (fault === 'hang') return; // left open; close() destroys the socket
    await sleep(latencyMs);
    if (fault === 'unavailable') return sendJson(res, 503, { error: 'Service Unavailable' });
    if (fault === 'unauthorized' || !authorized(req, url)) return sendJson(res, 401, { error: 'Unauthorized' });
    if (!['GET', 'HEAD', 'POST', 'PUT'].includes(req.method ?? '')) {
      return sendJson(res, 405, { error: 'Method Not Allowed' });
    }

    const base64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64';
    const headers = { 'upstash-sync-token': String(++syncToken) };
    const answer = (status: number, payload: Outcome | Outcome[]): void => sendJson(res, status, payload, headers);

    if (route === '/pipeline' || route === '/multi-exec') {
      const commands = parseJson(body);
      if (!Array.isArray(commands) || commands.length === 0) {
        return answer(400, { error: 'ERR expected a non-empty JSON array of commands' });
      }
      if (route === '/pipeline') return answer(200, await Promise.all(commands.map((c) => runOne(c, base64))));
      const outcome = await runTransaction(commands, base64);
      return answer(Array.isArray(outcome) ? 200 : 400, outcome);
    }

    const command = route === '/' ? parseJson(body) : pathCommand(segments, url, body);
    if (command === undefined) return answer(400, { error: 'ERR failed to parse command' });
    const outcome = await runOne(command, base64);
    return answer('error' in outcome ? 400 : 200, outcome);
  }

  function authorized(req: IncomingMessage, url: URL): boolean {
    const header = req.headers.authorization ?? '';
    return header === `Bearer ${token}` || url.searchParams.get('_token') === token;
  }

  const server = createServer((req, res) => {
    inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
    res.once('close', () => inFlight--);
    handle(req, res).catch((error: unknown) => {
      console.error('upstash bridge: request failed', error);
      if (!res.headersSent) sendJson(res, 500, { error: errorText(error) });
      else res.destroy();
    });
  });
  server.on('connection', () => stats.connections++);
  const url = await listen(server);

  async function deleteNamespace(): Promise<void> {
    if (!prefix) return;
    const match = Buffer.concat([globEscape(prefix), Buffer.from('*')]);
    let cursor = '0';
    do {
      const reply = (await redis.callBuffer('SCAN', cursor, 'MATCH', match, 'COUNT', '500')) as [Buffer, Buffer[]];
      cursor = reply[0].toString();
      // ioredis adds the prefix again on the way out.
      const keys = reply[1].map((key) => key.subarray(prefix.length));
      if (keys.length > 0) await redis.callBuffer('UNLINK', ...keys);
    } while (cursor !== '0');
  }

  return {
    url,
    token,
    stats,
    resetStats() {
      // In place, so a test holding `bridge.stats` sees the reset.
      stats.requests = 0;
      stats.commands = 0;
      stats.connections = 0;
      stats.maxInFlight = inFlight;
      for (const key of Object.keys(stats.byPath)) delete stats.byPath[key];
      stats.commandNames.length = 0;
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    setFault(next) {
      fault = next;
    },
    async close() {
      await closeServer(server);
      if (redis.status !== 'ready') {
        redis.disconnect(); // Redis is already gone: nothing to clean, and QUIT would wait in the offline queue
        return;
      }
      try {
        await deleteNamespace();
      } finally {
        await redis.quit().catch(() => redis.disconnect());
      }
    },
  };
}

/** Path-style call: `/cmd/arg1/arg2`, a POST body appended as the last argument, then `?NAME=value` pairs. */
function pathCommand(segments: string[], url: URL, body: Buffer): unknown[] {
  const command: unknown[] = [...segments];
  if (body.length > 0) command.push(body.toString('utf8'));
  for (const [name, value] of url.searchParams) if (name !== '_token') command.push(name, value);
  return command;
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** The client sends numbers and booleans as JSON scalars and objects already stringified. */
function toArg(value: unknown): Buffer {
  if (typeof value === 'string') return Buffer.from(value);
  if (typeof value === 'number' || typeof value === 'boolean') return Buffer.from(String(value));
  return Buffer.from(JSON.stringify(value) ?? 'null');
}

/**
 * RESP2 reply -> Upstash JSON. With base64 every string is encoded except a top-level "OK": the
 * client keeps a top-level "OK" as is but decodes every string inside an array, so an "OK"
 * there must be encoded too. Without base64, invalid UTF-8 becomes U+FFFD like Upstash.
 */
function encode(reply: unknown, base64: boolean, topLevel = true): Json {
  if (reply === null || reply === undefined) return null;
  if (typeof reply === 'number') return reply;
  if (Buffer.isBuffer(reply)) {
    return base64 && !(topLevel && reply.equals(OK)) ? reply.toString('base64') : reply.toString('utf8');
  }
  if (Array.isArray(reply)) return reply.map((item) => encode(item, base64, false));
  if (reply instanceof Error) return encode(Buffer.from(reply.message), base64, topLevel);
  return encode(Buffer.from(String(reply)), base64, topLevel);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sha1(data: Buffer): string {
  return createHash('sha1').update(data).digest('hex');
}

function globEscape(text: Buffer): Buffer {
  return Buffer.from(text.toString('utf8').replace(/[*?[\]\\]/g, '\\$&'));
}

// Vercel's request/response helpers (`shouldAddHelpers` in `.vc-config.json`), reproduced from
// @vercel/node's serverless-functions/helpers.ts (Apache-2.0) as far as a function can observe
// them: the body is read before the function runs and put back as a stream, `req.body`,
// `req.query` and `req.cookies` are lazy getters, `res.status/json/send` exist.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';

class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

function mediaType(contentType: string | undefined): string {
  if (!contentType) return 'text/plain';
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

function parseBody(body: Buffer, contentType: string | undefined): unknown {
  const type = mediaType(contentType);
  if (type === 'application/json') {
    try {
      const text = body.toString();
      return text ? (JSON.parse(text) as unknown) : {};
    } catch {
      throw new ApiError(400, 'Invalid JSON');
    }
  }
  if (type === 'application/octet-stream') return body;
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(body.toString()));
  if (type === 'text/plain') return body.toString();
  return undefined;
}

function setLazyProp<T>(req: IncomingMessage, prop: string, getter: () => T): void {
  const opts = { configurable: true, enumerable: true };
  Object.defineProperty(req, prop, {
    ...opts,
    get: () => {
      const value = getter();
      Object.defineProperty(req, prop, { ...opts, writable: true, value });
      return value;
    },
    set: (value: unknown) => Object.defineProperty(req, prop, { ...opts, writable: true, value }),
  });
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  const body = Buffer.concat(chunks);
  // Put the bytes back, so a function that reads the stream itself still gets them.
  const replica = new PassThrough();
  const on = replica.on.bind(replica);
  const originalOn = req.on.bind(req);
  req.read = replica.read.bind(replica);
  req.on = req.addListener = ((name: string, listener: (...args: unknown[]) => void) =>
    name === 'data' || name === 'end' ? on(name, listener) : originalOn(name, listener)) as typeof req.on;
  replica.write(body);
  replica.end();
  return body;
}

export async function addHelpers(req: IncomingMessage, res: ServerResponse): Promise<void> {
  setLazyProp(req, 'cookies', () => Object.fromEntries((req.headers.cookie ?? '').split(';').filter(Boolean).map((pair) => pair.trim().split('=', 2))));
  setLazyProp(req, 'query', () => Object.fromEntries(new URL(req.url ?? '/', 'http://localhost').searchParams));
  const contentType = req.headers['content-type'];
  const body = contentType === undefined ? Buffer.from('') : await readBody(req);
  setLazyProp(req, 'body', () => parseBody(body, contentType));
  const helpers = res as ServerResponse & Record<string, unknown>;
  helpers.status = (code: number) => {
    res.statusCode = code;
    return res;
  };
  helpers.json = (value: unknown) => {
    if (!res.getHeader('content-type')) res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(value));
    return res;
  };
  helpers.send = (value: unknown) => {
    res.end(typeof value === 'string' || Buffer.isBuffer(value) ? value : JSON.stringify(value));
    return res;
  };
}

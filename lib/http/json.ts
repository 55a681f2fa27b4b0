import type { IncomingMessage, ServerResponse } from 'node:http';
import { readStreamUpTo } from './raw-body.js';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.writableEnded) return;
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(JSON.stringify(body));
}

export type BodyResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly status: 400 | 413; readonly error: string };

/**
 * Reads and parses a JSON body of at most `limitBytes`, under the Vercel runtime and plain Node
 * alike. Vercel reads the stream before the function runs and offers a lazy `req.body` that
 * throws on invalid JSON; elsewhere the stream is read here, stopping at the limit.
 */
export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) return tooLarge(limitBytes);
  if (Object.getOwnPropertyDescriptor(req, 'body')) return parsedByVercel(req as IncomingMessage & { body: unknown }, limitBytes);
  const bytes = await readStreamUpTo(req, limitBytes);
  if (bytes === undefined) return tooLarge(limitBytes);
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) as unknown };
  } catch {
    return { ok: false, status: 400, error: 'body is not valid JSON' };
  }
}

function parsedByVercel(req: IncomingMessage & { body: unknown }, limitBytes: number): BodyResult {
  let value: unknown;
  try {
    value = req.body;
  } catch {
    return { ok: false, status: 400, error: 'body is not valid JSON' };
  }
  // Without a JSON content type Vercel hands over text or bytes; an empty body arrives as {}.
  const text = typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('utf8') : undefined;
  if (text === undefined) {
    return Buffer.byteLength(JSON.stringify(value) ?? '') > limitBytes ? tooLarge(limitBytes) : { ok: true, value };
  }
  if (Buffer.byteLength(text) > limitBytes) return tooLarge(limitBytes);
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, status: 400, error: 'body is not valid JSON' };
  }
}

function tooLarge(limitBytes: number): BodyResult {
  return { ok: false, status: 413, error: `body is larger than ${limitBytes} bytes` };
}

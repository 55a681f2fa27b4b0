import type { IncomingMessage } from 'node:http';

export type RawBodyResult = { readonly ok: true; readonly bytes: Buffer } | { readonly ok: false; readonly status: 400 | 413; readonly error: string };

/**
 * Reads a binary body of at most `limitBytes`, under the Vercel runtime (which has read it already
 * and offers it as `req.body`, a Buffer for application/octet-stream) and plain Node alike.
 */
export async function readRawBody(req: IncomingMessage, limitBytes: number): Promise<RawBodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) return tooLarge(limitBytes);
  if (Object.getOwnPropertyDescriptor(req, 'body')) {
    let value: unknown;
    try {
      value = (req as IncomingMessage & { body: unknown }).body;
    } catch {
      return { ok: false, status: 400, error: 'the body could not be read' };
    }
    const bytes = Buffer.isBuffer(value) ? value : typeof value === 'string' ? Buffer.from(value) : undefined;
    if (bytes === undefined) return { ok: false, status: 400, error: 'send the file as application/octet-stream' };
    return bytes.length > limitBytes ? tooLarge(limitBytes) : { ok: true, bytes };
  }
  const bytes = await readStreamUpTo(req, limitBytes);
  return bytes === undefined ? tooLarge(limitBytes) : { ok: true, bytes };
}

/** The request's stream, read to its end; undefined as soon as it passes `limitBytes` (the rest is not read). */
export async function readStreamUpTo(req: IncomingMessage, limitBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > limitBytes) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limitBytes: number): RawBodyResult {
  return { ok: false, status: 413, error: `body is larger than ${limitBytes} bytes` };
}

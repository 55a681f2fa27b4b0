// Small helpers shared by the loopback servers in test/support (Upstash bridge, fake Bot API).
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';

/** A TCP port that was free a moment ago (for child processes that need a port number up front). */
export async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolve);
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Listens on a free loopback port and resolves to the base url, e.g. `http://127.0.0.1:40123`. */
export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/**
 * Stops the server and drops every socket: clients keep idle keep-alive connections open, and a
 * fake may hold requests it never answers, so a plain close() would wait for them forever.
 */
export async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

/** The whole request body. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Answers with a JSON body. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

export interface MultipartPart {
  name: string;
  /** Set for file parts. */
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** The boundary of a `multipart/form-data` content type, if that is what it is. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType?.toLowerCase().startsWith('multipart/form-data')) return undefined;
  return /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType)?.slice(1).find(Boolean);
}

/**
 * A small multipart/form-data parser, enough for the fixed layouts HTTP clients send. Header
 * names are matched case-insensitively and with or without a space after the colon (Telegraf
 * writes `content-disposition:form-data; ...`).
 */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const parts: MultipartPart[] = [];
  const opening = Buffer.from(`--${boundary}`);
  const separator = Buffer.from(`\r\n--${boundary}`);
  let cursor = body.indexOf(opening);
  if (cursor === -1) return parts;
  cursor += opening.length;
  // After each delimiter: `--` ends the body, otherwise CRLF and a part follow.
  while (cursor < body.length && body.subarray(cursor, cursor + 2).toString('latin1') !== '--') {
    const start = body.indexOf('\r\n', cursor) + 2;
    const end = body.indexOf(separator, start);
    if (start < 2 || end === -1) break;
    const part = body.subarray(start, end);
    const headerEnd = part.indexOf('\r\n\r\n');
    const head = (headerEnd === -1 ? part : part.subarray(0, headerEnd)).toString('utf8');
    const data = headerEnd === -1 ? Buffer.alloc(0) : part.subarray(headerEnd + 4);
    const headers = new Map<string, string>();
    for (const line of head.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const disposition = headers.get('content-disposition') ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    const contentType = headers.get('content-type');
    if (name !== undefined) {
      const found: MultipartPart = { name, data };
      if (filename !== undefined) found.filename = filename;
      if (contentType) found.contentType = contentType;
      parts.push(found);
    }
    cursor = end + separator.length;
  }
  return parts;
}

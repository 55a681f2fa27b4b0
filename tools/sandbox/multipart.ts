// Enough of multipart/form-data to read what Telegraf uploads (photos, documents) to the Bot API.
import { createHash, type Hash } from 'node:crypto';

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

/** A part read by `readMultipart`: its bytes are hashed and counted as they stream by. */
export interface StreamedPart {
  name: string;
  filename?: string;
  contentType?: string;
  size: number;
  /** Hex sha256 of the part's bytes. */
  sha256: string;
  /** The bytes, unless the part was a file larger than `keepFileBytes`. */
  data?: Buffer;
}

export interface ReadMultipartOptions {
  /** File parts up to this size keep their bytes; bigger ones only their size and hash. */
  readonly keepFileBytes: number;
  /** A form field (no filename) larger than this is refused. */
  readonly maxFieldBytes?: number;
}

const CRLF = Buffer.from('\r\n');
const HEADERS_END = Buffer.from('\r\n\r\n');
const MAX_HEADER_BYTES = 16 * 1024;

/**
 * Reads a multipart/form-data body as it arrives, so a 50 MB upload costs its hash and at most
 * `keepFileBytes` of memory instead of the whole body twice. Only a delimiter's length of bytes
 * is held back between chunks, in case a delimiter straddles them.
 */
export async function readMultipart(
  body: AsyncIterable<Buffer | string>,
  boundary: string,
  options: ReadMultipartOptions,
): Promise<StreamedPart[]> {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const maxFieldBytes = options.maxFieldBytes ?? 1024 * 1024;
  const parts: StreamedPart[] = [];
  // A CRLF in front makes the first boundary look like every later delimiter.
  let pending: Buffer = Buffer.from(CRLF);
  // Changed by step(); the cast keeps TypeScript from narrowing it to its first value out here.
  let state = 'preamble' as 'preamble' | 'after-delimiter' | 'headers' | 'body' | 'done';
  let part: { meta: Omit<StreamedPart, 'size' | 'sha256' | 'data'>; hash: Hash; size: number; chunks: Buffer[] | undefined } | undefined;

  const feed = (bytes: Buffer): void => {
    if (!part || bytes.length === 0) return;
    part.hash.update(bytes);
    part.size += bytes.length;
    const isFile = part.meta.filename !== undefined;
    if (!isFile && part.size > maxFieldBytes) throw new Error(`multipart field ${part.meta.name} is larger than ${maxFieldBytes} bytes`);
    if (part.chunks && isFile && part.size > options.keepFileBytes) part.chunks = undefined;
    part.chunks?.push(bytes);
  };

  /** One step of the state machine; false when it needs more bytes. */
  const step = (): boolean => {
    switch (state) {
      case 'preamble':
      case 'body': {
        const at = pending.indexOf(delimiter);
        if (at === -1) {
          const safe = pending.length - (delimiter.length - 1);
          if (safe > 0) {
            if (state === 'body') feed(pending.subarray(0, safe));
            pending = pending.subarray(safe);
          }
          return false;
        }
        if (state === 'body' && part) {
          feed(pending.subarray(0, at));
          const done: StreamedPart = { ...part.meta, size: part.size, sha256: part.hash.digest('hex') };
          if (part.chunks) done.data = Buffer.concat(part.chunks);
          parts.push(done);
          part = undefined;
        }
        pending = pending.subarray(at + delimiter.length);
        state = 'after-delimiter';
        return true;
      }
      case 'after-delimiter': {
        if (pending.length < 2) return false;
        if (pending[0] === 0x2d && pending[1] === 0x2d) {
          state = 'done';
          return false;
        }
        // Transport padding (spaces, tabs) may sit between the delimiter and its CRLF.
        const eol = pending.indexOf(CRLF);
        if (eol === -1) {
          if (pending.length > MAX_HEADER_BYTES) throw new Error('multipart delimiter line never ends');
          return false;
        }
        pending = pending.subarray(eol + 2);
        state = 'headers';
        return true;
      }
      case 'headers': {
        let head = '';
        if (pending.length >= 2 && pending[0] === 0x0d && pending[1] === 0x0a) {
          pending = pending.subarray(2); // a part without headers
        } else {
          const end = pending.indexOf(HEADERS_END);
          if (end === -1) {
            if (pending.length > MAX_HEADER_BYTES) throw new Error('multipart part headers are too long');
            return false;
          }
          head = pending.subarray(0, end).toString('utf8');
          pending = pending.subarray(end + HEADERS_END.length);
        }
        const headers = new Map<string, string>();
        for (const line of head.split('\r\n')) {
          const colon = line.indexOf(':');
          if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
        }
        const disposition = headers.get('content-disposition') ?? '';
        const meta: Omit<StreamedPart, 'size' | 'sha256' | 'data'> = { name: /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '' };
        const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
        if (filename !== undefined) meta.filename = filename;
        const contentType = headers.get('content-type');
        if (contentType) meta.contentType = contentType;
        part = { meta, hash: createHash('sha256'), size: 0, chunks: [] };
        state = 'body';
        return true;
      }
      case 'done':
        return false;
    }
  };

  for await (const chunk of body) {
    if (state === 'done') continue; // the epilogue, if any, is read and dropped
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    pending = pending.length === 0 ? bytes : Buffer.concat([pending, bytes]);
    while (step()) {
      // every step consumes bytes or changes state
    }
  }
  if (state !== 'done') throw new Error('multipart body ended before its closing delimiter');
  return parts.filter((p) => p.name !== '');
}

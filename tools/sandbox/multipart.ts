// Enough of multipart/form-data to read what Telegraf uploads (photos, documents) to the Bot API.

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

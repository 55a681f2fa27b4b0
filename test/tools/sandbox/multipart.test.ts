// The multipart readers of the local Bot API: the whole-body parser and the streaming reader agree,
// however the body is cut into chunks.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseMultipart, readMultipart } from '../../../tools/sandbox/multipart.js';

const BOUNDARY = 'xYz0123456789';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function body(parts: { headers: string[]; data: Buffer | string }[]): Buffer {
  const chunks: Buffer[] = [Buffer.from('preamble to ignore\r\n')];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${BOUNDARY}\r\n${part.headers.map((h) => `${h}\r\n`).join('')}\r\n`), Buffer.from(part.data), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\nepilogue`));
  return Buffer.concat(chunks);
}

// File bytes that contain almost-delimiters, CRLFs and the boundary without its dashes.
const tricky = Buffer.from(`a\r\n-\r\n--${BOUNDARY.slice(0, -1)}\r\n${BOUNDARY}\r\n\r\nz`);
const sample = body([
  { headers: ['content-disposition:form-data; name="chat_id"'], data: '100' },
  { headers: ['Content-Disposition: form-data; name="document"; filename="r.pdf"', 'Content-Type: application/pdf'], data: tricky },
  { headers: ['content-disposition: form-data; name="caption"'], data: 'Привет' },
]);

async function* cut(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('readMultipart', () => {
  it('reads what parseMultipart reads, for every chunk size', async () => {
    const whole = parseMultipart(sample, BOUNDARY);
    expect(whole.map((p) => p.name)).toEqual(['chat_id', 'document', 'caption']);
    for (const size of [1, 2, 3, 7, 16, 64, sample.length]) {
      const parts = await readMultipart(cut(sample, size), BOUNDARY, { keepFileBytes: 1024 });
      expect(parts.map(({ name, filename, contentType, data }) => ({ name, filename, contentType, data }))).toEqual(
        whole.map(({ name, filename, contentType, data }) => ({ name, filename, contentType, data })),
      );
      expect(parts[1]).toMatchObject({ size: tricky.length, sha256: sha256(tricky) });
    }
  });

  it('keeps a file bigger than keepFileBytes as size and hash only', async () => {
    const big = Buffer.alloc(300_000, 0x2d); // dashes, like the start of a delimiter
    const parts = await readMultipart(cut(body([{ headers: ['content-disposition: form-data; name="f"; filename="b.bin"'], data: big }]), 4096), BOUNDARY, {
      keepFileBytes: 100_000,
    });
    expect(parts).toEqual([{ name: 'f', filename: 'b.bin', size: big.length, sha256: sha256(big) }]);
  });

  it('refuses a truncated body and an oversized field', async () => {
    await expect(readMultipart(cut(sample.subarray(0, sample.length - 20), 50), BOUNDARY, { keepFileBytes: 1024 })).rejects.toThrow(/ended before/);
    const field = body([{ headers: ['content-disposition: form-data; name="text"'], data: 'x'.repeat(2000) }]);
    await expect(readMultipart(cut(field, 100), BOUNDARY, { keepFileBytes: 1024, maxFieldBytes: 1000 })).rejects.toThrow(/larger than 1000/);
  });
});

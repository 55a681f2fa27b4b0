// The files of the local Bot API: what tests register, what the bot uploads, and what people send
// (person-files.ts). getFile resolves them and `/file/bot<token>/<file_path>` serves them with
// backpressure, so a 15 MB file costs the server a 64 KB chunk at a time, never the whole file.
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { File } from 'telegraf/types';
import { contentTypeFromName, extensionForType, OCTET_STREAM } from '../../lib/files/content-type.js';
import { MAX_BOT_DOWNLOAD_BYTES } from '../../lib/files/telegram-limits.js';
import { personFile } from './person-files.js';

export type FileKind = 'photo' | 'document' | 'voice' | 'video' | 'audio' | 'video_note' | 'animation';

export interface RegisterFileOptions {
  /** Exact content. Without it, `size` bytes are generated from the file id (never held in memory). */
  readonly bytes?: Buffer | string;
  /** Size of generated content; ignored with `bytes`. */
  readonly size?: number;
  /** Decides the file_path folder (`photos/`, `documents/`); `document` by default. */
  readonly kind?: FileKind;
  readonly fileId?: string;
  readonly fileName?: string;
  readonly mimeType?: string;
  /** Content-Type of the download: the MIME type by default (else application/octet-stream); null sends none. */
  readonly downloadContentType?: string | null;
  /** Serve the download without Content-Length (chunked), as some file servers do. */
  readonly chunked?: boolean;
}

/** A file the local Bot API knows, with the hash of its bytes for tests to compare. */
export interface FakeFile {
  readonly file_id: string;
  readonly file_unique_id: string;
  readonly file_size: number;
  readonly file_path: string;
  readonly kind: FileKind;
  readonly file_name?: string;
  readonly mime_type?: string;
  /** Hex sha256 of the content. */
  readonly sha256: string;
}

/** One download through `/file/bot<token>/<file_path>`. */
export interface DownloadRecord {
  readonly file_id: string;
  readonly file_path: string;
  readonly size: number;
  /** Bytes handed to the socket so far. */
  bytesSent: number;
  /** Every byte was written and the response ended. */
  completed: boolean;
  /** The client went away before the end. */
  aborted: boolean;
}

interface StoredFile extends FakeFile {
  /** Exact bytes; otherwise content is generated from `seed` (or, for an upload too big to keep, absent). */
  readonly data?: Buffer;
  readonly seed?: string;
  readonly downloadContentType?: string | null;
  readonly chunked?: boolean;
}

const CHUNK_BYTES = 64 * 1024;

// The first bytes of a real file of these types, so a downloaded "photo" still looks like one.
const MAGIC: Readonly<Record<string, Buffer>> = {
  'image/jpeg': Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
  'image/png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'application/pdf': Buffer.from('%PDF-1.7\n'),
};

/**
 * Deterministic content of any size: one 64 KB block derived from the seed, each chunk stamped with
 * its index (so a reordered or repeated chunk changes the hash), and the type's magic bytes first.
 */
export function* generatedContent(seed: string, size: number, mimeType?: string): Generator<Buffer> {
  const block = createHash('shake256', { outputLength: CHUNK_BYTES }).update(seed).digest();
  const magic = mimeType === undefined ? undefined : MAGIC[mimeType];
  for (let offset = 0, index = 0; offset < size; offset += CHUNK_BYTES, index++) {
    const chunk = Buffer.from(block.subarray(0, Math.min(CHUNK_BYTES, size - offset)));
    if (chunk.length >= 16) chunk.writeUInt32BE(index, 12);
    if (index === 0 && magic) magic.copy(chunk, 0, 0, Math.min(magic.length, chunk.length));
    yield chunk;
  }
}

function sha256Of(chunks: Iterable<Buffer>): string {
  const hash = createHash('sha256');
  for (const chunk of chunks) hash.update(chunk);
  return hash.digest('hex');
}

// Telegram's own folders in getFile's file_path.
const FOLDERS: Readonly<Record<FileKind, string>> = { photo: 'photos', document: 'documents', voice: 'voice', video: 'videos', audio: 'music', video_note: 'video_notes', animation: 'animations' };

export interface FileStore {
  register(options: RegisterFileOptions): FakeFile;
  /** A file the bot uploaded: bytes kept when small enough to download again, else size and hash only. */
  registerUpload(upload: { readonly data?: Buffer; readonly size: number; readonly sha256: string; readonly filename?: string; readonly contentType?: string }, kind: FileKind): FakeFile;
  /** By id: registered, uploaded, or sent by a person (person-files.ts). */
  byId(fileId: string): FakeFile | undefined;
  /** The exact bytes of a file, when kept (a generated or too-big upload has none). */
  dataOf(fileId: string): Buffer | undefined;
  /** getFile's answer: the file with its path, or Telegram's refusal. */
  getFile(fileId: string): { readonly file: File } | { readonly error: string };
  /** Serves a download; undefined when no file has that path (the caller answers 404). */
  serve(filePath: string, res: ServerResponse): Promise<DownloadRecord | undefined>;
  readonly downloads: DownloadRecord[];
  clear(): void;
}

export function createFileStore(): FileStore {
  const byId = new Map<string, StoredFile>();
  const byPath = new Map<string, StoredFile>();
  const downloads: DownloadRecord[] = [];
  let counter = 0;

  function add(file: StoredFile): StoredFile {
    const old = byId.get(file.file_id);
    if (old) byPath.delete(old.file_path);
    byId.set(file.file_id, file);
    byPath.set(file.file_path, file);
    return file;
  }

  function pathFor(kind: FileKind, n: number, fileName: string | undefined, mimeType: string | undefined): string {
    const extension = (fileName && /\.([A-Za-z0-9]{1,8})$/.exec(fileName)?.[1]?.toLowerCase()) ?? extensionForType(mimeType) ?? (kind === 'photo' ? 'jpg' : 'dat');
    return `${FOLDERS[kind]}/file_${n}.${extension}`;
  }

  function register(options: RegisterFileOptions, uniqueId?: string): StoredFile {
    counter++;
    const kind = options.kind ?? 'document';
    const fileId = options.fileId ?? `fake-${kind}-${counter}`;
    const mimeType = options.mimeType ?? (options.fileName ? contentTypeFromName(options.fileName) : undefined);
    const data = typeof options.bytes === 'string' ? Buffer.from(options.bytes) : options.bytes;
    const size = data?.length ?? options.size ?? 0;
    let sha256: string | undefined;
    const file: StoredFile = {
      file_id: fileId,
      file_unique_id: uniqueId ?? `fake-unique-${counter}`,
      file_size: size,
      file_path: pathFor(kind, counter, options.fileName, mimeType),
      kind,
      ...(options.fileName !== undefined && { file_name: options.fileName }),
      ...(mimeType !== undefined && { mime_type: mimeType }),
      // Hashing 25 MB of generated bytes takes a while: only when a test asks.
      get sha256() {
        sha256 ??= data ? sha256Of([data]) : sha256Of(generatedContent(fileId, size, mimeType));
        return sha256;
      },
      ...(data ? { data } : { seed: fileId }),
      ...(options.downloadContentType !== undefined && { downloadContentType: options.downloadContentType }),
      ...(options.chunked && { chunked: true }),
    };
    return add(file);
  }

  function lookup(fileId: string): StoredFile | undefined {
    const known = byId.get(fileId);
    if (known) return known;
    const sent = personFile(fileId);
    if (!sent) return undefined;
    // A person's file becomes a server file the first time the bot asks for it.
    return register(
      {
        fileId: sent.file_id,
        size: sent.file_size,
        kind: sent.kind,
        ...(sent.file_name !== undefined && { fileName: sent.file_name }),
        mimeType: sent.mime_type ?? (sent.kind === 'photo' ? 'image/jpeg' : undefined),
      },
      sent.file_unique_id,
    );
  }

  return {
    register,
    registerUpload(upload, kind) {
      counter++;
      const mimeType = upload.contentType ?? (upload.filename ? contentTypeFromName(upload.filename) : undefined);
      return add({
        file_id: `fake-${kind}-${counter}`,
        file_unique_id: `fake-unique-${counter}`,
        file_size: upload.size,
        file_path: pathFor(kind, counter, upload.filename, mimeType),
        kind,
        ...(upload.filename !== undefined && { file_name: upload.filename }),
        ...(mimeType !== undefined && { mime_type: mimeType }),
        sha256: upload.sha256,
        ...(upload.data && { data: upload.data }),
      });
    },
    byId: lookup,
    dataOf: (fileId) => lookup(fileId)?.data,
    getFile(fileId) {
      const file = lookup(fileId);
      if (!file) return { error: 'invalid file_id' };
      if (file.file_size > MAX_BOT_DOWNLOAD_BYTES || (!file.data && file.seed === undefined)) return { error: 'file is too big' };
      return { file: { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.file_size, file_path: file.file_path } };
    },
    async serve(filePath, res) {
      const file = byPath.get(filePath);
      if (!file || (!file.data && file.seed === undefined)) return undefined;
      const record: DownloadRecord = { file_id: file.file_id, file_path: file.file_path, size: file.file_size, bytesSent: 0, completed: false, aborted: false };
      downloads.push(record);
      res.on('close', () => {
        if (!res.writableFinished) record.aborted = true;
      });
      const type = file.downloadContentType === undefined ? (file.mime_type ?? OCTET_STREAM) : file.downloadContentType;
      res.statusCode = 200;
      if (type !== null) res.setHeader('content-type', type);
      if (!file.chunked) res.setHeader('content-length', file.file_size);
      const chunks = file.data ? chunksOf(file.data) : generatedContent(file.seed as string, file.file_size, file.mime_type);
      for (const chunk of chunks) {
        if (res.destroyed) return record;
        record.bytesSent += chunk.length;
        if (!res.write(chunk)) await drainedOrClosed(res);
      }
      if (res.destroyed) return record;
      await new Promise<void>((resolve) => res.end(resolve));
      record.completed = !record.aborted;
      return record;
    },
    downloads,
    clear() {
      byId.clear();
      byPath.clear();
      downloads.length = 0;
      counter = 0;
    },
  };
}

function* chunksOf(data: Buffer): Generator<Buffer> {
  for (let offset = 0; offset < data.length; offset += CHUNK_BYTES) yield data.subarray(offset, offset + CHUNK_BYTES);
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

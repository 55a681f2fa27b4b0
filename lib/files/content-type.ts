// Media types of the files people and agents exchange, for headers and for choosing between
// sendPhoto and sendDocument. A short table of what a service desk sees, not a MIME database.

export const OCTET_STREAM = 'application/octet-stream';

const BY_EXTENSION: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  pdf: 'application/pdf',
  txt: 'text/plain',
  csv: 'text/csv',
  rtf: 'application/rtf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  zip: 'application/zip',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  // Voice messages, round videos, animations and music as Telegram stores them (voice/file_5.oga,
  // video_notes/file_6.mp4, animations/file_7.mp4, music/file_8.mp3), and what else people send.
  opus: 'audio/ogg',
  wav: 'audio/wav',
  flac: 'audio/flac',
  aac: 'audio/aac',
  amr: 'audio/amr',
  m4v: 'video/mp4',
  mkv: 'video/x-matroska',
  '3gp': 'video/3gpp',
  avi: 'video/x-msvideo',
  heif: 'image/heif',
  json: 'application/json',
  xml: 'application/xml',
  gz: 'application/gzip',
  tar: 'application/x-tar',
  '7z': 'application/x-7z-compressed',
};

/** Images sendPhoto accepts as photos; anything else goes as a document. */
const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);

/** `pdf` for `docs/Report.PDF`; undefined without an extension. */
export function extensionOf(name: string): string | undefined {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 && dot < base.length - 1 ? base.slice(dot + 1).toLowerCase() : undefined;
}

/** The media type a file name's extension suggests, if it is one we know. */
export function contentTypeFromName(name: string): string | undefined {
  const extension = extensionOf(name);
  return extension === undefined ? undefined : BY_EXTENSION[extension];
}

/** The extension we would give a file of this type (`pdf` for `application/pdf`), if we know one. */
export function extensionForType(type: string | undefined): string | undefined {
  const wanted = essence(type);
  return Object.entries(BY_EXTENSION).find(([, known]) => known === wanted)?.[0];
}

/** `image/jpeg` for `Image/JPEG; charset=binary`; undefined for nothing or something that is not a type. */
export function essence(type: string | null | undefined): string | undefined {
  const value = type?.split(';')[0]?.trim().toLowerCase();
  return value !== undefined && /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(value) ? value : undefined;
}

export function isPhotoType(type: string | null | undefined): boolean {
  const value = essence(type);
  return value !== undefined && PHOTO_TYPES.has(value);
}

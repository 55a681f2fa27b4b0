import { BackendError } from '../backend-error.js';
import { contentTypeFromName, extensionOf, OCTET_STREAM } from '../../files/content-type.js';
import { lookUpTelegramFile, telegramFileUrl, type TelegramFileSource } from '../../files/telegram-file.js';
import type { Attachment, AttachmentKind } from '../schemas.js';
import { telegramFileDescription } from './issue-mapping.js';
import type { RedmineHttp } from './redmine-http.js';
import { RedmineUploadAnswerSchema } from './redmine-schemas.js';

/** A file the person sent, as the contract carries it. */
export type PersonFile = Attachment;

/** The extension a file of each kind gets when neither its name nor Telegram's path gives one; the type follows from it. */
const DEFAULT_EXTENSION: Readonly<Record<AttachmentKind, string>> = {
  photo: 'jpg',
  document: 'bin',
  voice: 'ogg',
  audio: 'mp3',
  video: 'mp4',
  video_note: 'mp4',
  animation: 'mp4',
};

/** What an issue or a note takes in `uploads`: Redmine's token and how the file is named. */
export interface RedmineUpload {
  readonly token: string;
  readonly filename: string;
  readonly content_type: string;
  readonly description: string;
}

/**
 * Streams a person's file from Telegram into Redmine (`POST /uploads.json`), never holding it in
 * memory; the attachment's description keeps the Telegram file id, so the thread sends it back by id.
 */
export async function uploadPersonFile(http: RedmineHttp, telegram: TelegramFileSource, file: PersonFile, timeoutMs: number): Promise<RedmineUpload> {
  const signal = AbortSignal.timeout(timeoutMs * 4);
  const lookup = await lookUpTelegramFile(telegram, file.telegram_file_id, signal);
  const fail = (detail: string) => new BackendError({ method: 'POST', path: '/uploads.json', kind: 'network', detail });
  if (!lookup.ok) throw fail(`Telegram file: ${lookup.problem}`);
  const download = await fetch(telegramFileUrl(telegram, lookup.filePath), { signal }).catch(() => undefined);
  if (download === undefined || !download.ok || download.body === null) throw fail(`Telegram file download: ${download?.status ?? 'failed'}`);
  const filename = file.file_name ?? `${file.kind}.${extensionOf(lookup.filePath) ?? DEFAULT_EXTENSION[file.kind]}`;
  const contentType = file.mime_type ?? contentTypeFromName(filename) ?? OCTET_STREAM;
  const answer = await http.call(
    {
      method: 'POST',
      template: '/uploads.json',
      path: 'uploads.json',
      searchParams: { filename },
      headers: { 'content-type': 'application/octet-stream', ...(lookup.fileSize !== undefined && { 'content-length': String(lookup.fileSize) }) },
      body: download.body,
    },
    RedmineUploadAnswerSchema,
  );
  return { token: answer.upload.token, filename, content_type: contentType, description: telegramFileDescription(file.kind, file.telegram_file_id, file.duration) };
}

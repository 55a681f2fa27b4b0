// Files people "send" in the sandbox and in tests: the update builders (updates.ts) remember each
// file they put into an update, and the local Bot API (bot-api-server.ts) resolves those file_ids
// in getFile and serves their bytes, as Telegram would for a real photo or document.

export interface PersonFile {
  readonly file_id: string;
  readonly file_unique_id: string;
  readonly file_size: number;
  readonly kind: 'photo' | 'document' | 'voice' | 'audio' | 'video' | 'video_note' | 'animation';
  readonly file_name?: string;
  readonly mime_type?: string;
}

// A long sandbox session or a big test run stays bounded: the oldest files are forgotten first.
const MAX_REMEMBERED = 10_000;
const remembered = new Map<string, PersonFile>();

export function rememberPersonFile(file: PersonFile): void {
  remembered.delete(file.file_id);
  remembered.set(file.file_id, file);
  if (remembered.size > MAX_REMEMBERED) remembered.delete(remembered.keys().next().value as string);
}

export function personFile(fileId: string): PersonFile | undefined {
  return remembered.get(fileId);
}

import { useMemo, useRef, useState } from 'preact/hooks';
import { useApp } from '../app-context.js';
import { escapeHtml, Rich } from '../text.js';
import { MAX_UPLOAD_BYTES, uploadPicked, type PickedFile } from '../uploads.js';

/** At most this many files go with one comment or request (the backend contract's limit). */
const MAX_FILES = 10;

export interface Picked {
  readonly files: readonly PickedFile[];
  /** The tokens of the files that are up; Confirm and Send carry these. */
  readonly tokens: string[];
  readonly uploading: boolean;
  add(list: FileList): void;
  remove(id: string): void;
  clear(): void;
}

export function usePickedFiles(): Picked {
  const app = useApp();
  const [files, setFiles] = useState<readonly PickedFile[]>([]);
  const counter = useRef(0);
  const update = (id: string, change: Partial<PickedFile>) => setFiles((current) => current.map((file) => (file.id === id ? { ...file, ...change } : file)));
  return useMemo(
    () => ({
      files,
      tokens: files.flatMap((file) => (file.uploaded ? [file.uploaded.token] : [])),
      uploading: files.some((file) => file.state === 'uploading'),
      add(list: FileList) {
        const chosen = [...list].slice(0, Math.max(0, MAX_FILES - files.length));
        const added = chosen.map((file): PickedFile & { file: File } => ({ id: `f${++counter.current}`, name: file.name, state: 'uploading', file }));
        setFiles((current) => [...current, ...added.map(({ file: _file, ...rest }) => rest)]);
        for (const item of added) {
          void uploadPicked(app.api, item.file).then((result) => {
            update(item.id, result);
            app.haptic(result.state === 'done' ? 'success' : 'error');
          });
        }
      },
      remove: (id: string) => setFiles((current) => current.filter((file) => file.id !== id)),
      clear: () => setFiles([]),
    }),
    [files, app],
  );
}

/** Add photos or files, each uploaded as soon as it is picked, with its state and a way to take it out. */
export function FilePicker({ picked }: { readonly picked: Picked }) {
  const { t } = useApp();
  const input = useRef<HTMLInputElement>(null);
  return (
    <div class="picker">
      <ul class="picked">
        {picked.files.map((file) => (
          <li key={file.id} data-state={file.state}>
            <span>📎 {file.name}</span>{' '}
            {file.state === 'uploading' && <span class="hint">{t.appUploading}</span>}
            {file.state === 'too-big' && <span class="problem">{t.appFileTooBig(file.name, MAX_UPLOAD_BYTES / 1024 / 1024)}</span>}
            {file.state === 'failed' && (
              <span class="problem">
                <Rich html={file.problem === 'chat_unavailable' ? t.appChatUnavailable : t.appUploadFailed(escapeHtml(file.name))} />
              </span>
            )}
            <button type="button" class="link" onClick={() => picked.remove(file.id)}>
              {t.appRemoveFile}
            </button>
          </li>
        ))}
      </ul>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        accept="image/*,application/pdf,.doc,.docx,.xls,.xlsx,.txt,.csv,.odt,.ods"
        onChange={(event) => {
          const list = event.currentTarget.files;
          if (list && list.length > 0) picked.add(list);
          event.currentTarget.value = '';
        }}
      />
      <button type="button" class="secondary" onClick={() => input.current?.click()}>
        {t.appAddFiles}
      </button>
    </div>
  );
}

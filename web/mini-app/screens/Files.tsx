import type { FileView } from '../api.js';
import { useApp } from '../app-context.js';

/** Photos inline, other files as downloads; through the API's signed links (ownership checked on every fetch). */
export function Files({ files }: { readonly files: readonly FileView[] }) {
  const app = useApp();
  if (files.length === 0) return null;
  const photos = files.filter((file) => file.photo);
  const others = files.filter((file) => !file.photo);
  const download = (event: MouseEvent, file: FileView) => {
    const webApp = app.webApp;
    // Inside Telegram a link does not download: Telegram's own downloader fetches the (signed) URL.
    if (webApp?.downloadFile && webApp.isVersionAtLeast('8.0')) {
      event.preventDefault();
      webApp.downloadFile({ url: new URL(file.url, location.href).href, file_name: file.name });
    }
  };
  return (
    <div class="files">
      {photos.map((file) => (
        <a key={file.url} class="photo" href={file.url} target="_blank" rel="noopener">
          <img src={file.url} alt={file.name} loading="lazy" />
        </a>
      ))}
      {others.map((file) => (
        <a key={file.url} class="file" href={file.url} download={file.name} onClick={(event) => download(event, file)}>
          📎 {file.name} <span class="hint">{app.t.appDownload}</span>
        </a>
      ))}
    </div>
  );
}

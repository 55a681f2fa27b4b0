import type { Messages } from '../text.js';

/** Launch data that is missing, forged or too old: nothing of the person is shown, only the way back. */
export function Unauthorized({ t, code }: { readonly t: Messages; readonly code: string }) {
  return (
    <main class="screen refused" data-screen="refused">
      <h1>{t.appOpenFromTelegram}</h1>
      <p class="hint">{code === 'init_data_expired' ? t.appExpiredHint : t.appOpenFromTelegramHint}</p>
    </main>
  );
}

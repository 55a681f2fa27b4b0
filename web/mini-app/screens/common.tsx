import type { ComponentChildren } from 'preact';
import { ApiError } from '../api.js';
import type { AppContextValue } from '../app-context.js';
import { Rich } from '../text.js';

/** A problem or a notice at the top of a screen. */
export function Banner({ kind, children }: { readonly kind: 'error' | 'notice'; readonly children: ComponentChildren }) {
  return (
    <div class={`banner ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** The person's words for an API refusal; a 401 leaves the screen for "Open this from Telegram". */
export function problemText(app: AppContextValue, error: unknown, request?: { readonly number: string }): string {
  const { t } = app;
  if (!(error instanceof ApiError)) return t.actionFailed;
  if (error.status === 401) {
    app.unauthorized(error.code);
    return t.appOpenFromTelegram;
  }
  const number = request?.number ?? '';
  switch (error.code) {
    case 'not_found':
      return t.requestNotFound;
    case 'rate_limited':
      return t.appSubmitRateLimited;
    case 'closed':
      return t.commentClosed(number);
    case 'already_rated':
      return t.alreadyRated(number);
    case 'reopen_limit':
      return t.reopenLimit(number);
    case 'chat_unavailable':
      return t.appChatUnavailable;
    case 'backend_unavailable':
    case 'network':
      return t.actionFailed;
    default:
      return t.actionFailed;
  }
}

export function ErrorBanner({ text }: { readonly text: string | undefined }) {
  return text === undefined ? null : (
    <Banner kind="error">
      <Rich html={text} />
    </Banner>
  );
}

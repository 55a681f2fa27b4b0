import { useEffect, useState } from 'preact/hooks';
import { ApiError, newKey, type RequestView, type ThreadEntry } from '../api.js';
import { useApp } from '../app-context.js';
import { escapeHtml, formatDate, Rich } from '../text.js';
import { MAX_COMMENT_LENGTH, MAX_REASON_LENGTH } from '../../../lib/requests/limits.js';
import { Banner, ErrorBanner, problemText } from './common.js';
import { Files } from './Files.js';
import { FilePicker, usePickedFiles } from './FilePicker.js';

type Panel = 'none' | 'cancel' | 'reopen';

/** One request: what was submitted, the whole thread, and what the person may do now. */
export function RequestScreen({ id, notice }: { readonly id: string; readonly notice?: string }) {
  const app = useApp();
  const { t, lang } = app;
  const [request, setRequest] = useState<RequestView | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [missing, setMissing] = useState(false);
  const [info, setInfo] = useState<string | undefined>(notice);
  const [busy, setBusy] = useState(false);
  const [panel, setPanel] = useState<Panel>('none');
  const [reason, setReason] = useState('');
  const [comment, setComment] = useState('');
  const [commentKey, setCommentKey] = useState(newKey);
  const [score, setScore] = useState<number | undefined>(undefined);
  const [ratingComment, setRatingComment] = useState('');
  const picked = usePickedFiles();

  async function load(): Promise<void> {
    setProblem(undefined);
    try {
      setRequest(await app.api.request(id));
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) setMissing(true);
      else setProblem(problemText(app, error));
    }
  }
  useEffect(() => {
    void load();
  }, [id]);

  /** One action at a time; its outcome replaces the request on screen. */
  async function act(run: () => Promise<RequestView>, done: (after: RequestView) => string | undefined): Promise<void> {
    if (busy || !request) return;
    setBusy(true);
    setProblem(undefined);
    app.haptic('tap');
    try {
      const after = await run();
      setRequest(after);
      setPanel('none');
      setInfo(done(after));
      app.haptic('success');
    } catch (error) {
      setProblem(problemText(app, error, request));
      app.haptic('error');
      if (error instanceof ApiError && error.status === 409) void load();
    } finally {
      setBusy(false);
    }
  }

  const number = request ? escapeHtml(request.number) : '';
  const sendComment = () =>
    act(
      () => app.api.addComment(id, { key: commentKey, ...(comment.trim() !== '' && { text: comment.trim() }), files: picked.tokens }),
      () => {
        setComment('');
        setCommentKey(newKey());
        picked.clear();
        return t.commentAdded(number);
      },
    );
  const canSendComment = comment.trim() !== '' || picked.tokens.length > 0;

  // The primary action: Send while a comment is written, Send rating once stars are chosen.
  useEffect(() => {
    if (request?.actions.rate && score !== undefined) {
      app.setMain({ text: t.appSendRating, progress: busy, onClick: () => void act(() => app.api.act(id, 'rating', { score, ...(ratingComment.trim() !== '' && { comment: ratingComment.trim() }) }), (after) => t.ratingThanks(escapeHtml(after.number), '⭐'.repeat(score))) });
    } else if (request?.actions.comment && canSendComment && panel === 'none') {
      app.setMain({ text: t.appSend, progress: busy, disabled: picked.uploading, onClick: () => void sendComment() });
    } else app.setMain(undefined);
  }, [request, score, ratingComment, comment, picked.tokens.length, picked.uploading, busy, panel, commentKey, app]);
  useEffect(() => () => app.setMain(undefined), []);

  if (missing) {
    return (
      <main class="screen" data-screen="request">
        <Banner kind="error">{t.requestNotFound}</Banner>
      </main>
    );
  }
  if (!request) {
    return (
      <main class="screen" data-screen="request">
        <ErrorBanner text={problem} />
        {problem === undefined ? <p class="hint loading">{t.appLoading}</p> : <button type="button" class="secondary" onClick={() => void load()}>{t.appRetry}</button>}
      </main>
    );
  }
  const { actions } = request;
  return (
    <main class="screen" data-screen="request" data-status={request.status}>
      <h1>
        {request.number} <span class={`status s-${request.status}`}>{t.status[request.status]}</span>
      </h1>
      {info !== undefined && (
        <Banner kind="notice">
          <Rich html={info} />
        </Banner>
      )}
      <ErrorBanner text={problem} />
      <section class="card submitted">
        <dl>
          {request.request_type_name !== undefined && <Field label={t.appLabelType} value={request.request_type_name} />}
          {request.side_name !== undefined && <Field label={t.appLabelSide} value={request.side_name} />}
          <Field label={t.appLabelService} value={request.category_name} />
          {request.location !== undefined && <Field label={`📍`} value={request.location} />}
          <Field label={t.appLabelCreated} value={formatDate(request.created_at, lang)} />
          <Field label={t.appLabelUpdated} value={formatDate(request.updated_at, lang)} />
        </dl>
        {request.description !== undefined && <p class="text">{request.description}</p>}
        <Files files={request.files} />
        {request.rating && (
          <p>
            <Rich html={t.ratingLine('⭐'.repeat(request.rating.score), request.rating.comment === undefined ? undefined : escapeHtml(request.rating.comment))} />
          </p>
        )}
      </section>

      <h2>{t.appHistory}</h2>
      <ol class="thread">
        {request.thread.map((entry, i) => (
          <ThreadItem key={i} entry={entry} />
        ))}
      </ol>

      {actions.resolve && panel === 'none' && (
        <div class="actions">
          <button type="button" class="primary" disabled={busy} onClick={() => void act(() => app.api.act(id, 'confirm', {}), (after) => t.confirmedSolved(escapeHtml(after.number)) + (after.actions.rate ? `\n${t.askRating}` : ''))}>
            {t.buttonSolved}
          </button>
          <button type="button" class="secondary" disabled={busy} onClick={() => setPanel('reopen')}>
            {t.buttonStillAProblem}
          </button>
        </div>
      )}
      {panel === 'reopen' && (
        <section class="card panel">
          <p>
            <Rich html={t.reopenAsk(number, MAX_REASON_LENGTH)} />
          </p>
          <textarea maxLength={MAX_REASON_LENGTH} placeholder={t.appReopenPlaceholder} value={reason} onInput={(event) => setReason(event.currentTarget.value)} />
          <div class="actions">
            <button type="button" class="primary" disabled={busy || reason.trim() === ''} onClick={() => void act(() => app.api.act(id, 'reopen', { reason: reason.trim() }), (after) => t.requestReopened(escapeHtml(after.number)))}>
              {t.appSend}
            </button>
            <button type="button" class="secondary" onClick={() => setPanel('none')}>
              {t.buttonNeverMind}
            </button>
          </div>
        </section>
      )}

      {actions.rate && (
        <section class="card rating">
          <p>{t.askRating}</p>
          <div class="stars" role="radiogroup">
            {[1, 2, 3, 4, 5].map((value) => (
              <button type="button" role="radio" aria-checked={score === value} class={score !== undefined && value <= score ? 'star on' : 'star'} onClick={() => { setScore(value); app.haptic('select'); }}>
                {value}⭐
              </button>
            ))}
          </div>
          {score !== undefined && <textarea maxLength={MAX_REASON_LENGTH} placeholder={t.appRatingCommentPlaceholder} value={ratingComment} onInput={(event) => setRatingComment(event.currentTarget.value)} />}
        </section>
      )}

      {actions.comment && panel === 'none' && (
        <section class="card compose">
          <textarea maxLength={MAX_COMMENT_LENGTH} placeholder={t.appCommentPlaceholder} aria-label={t.buttonAddComment} value={comment} onInput={(event) => setComment(event.currentTarget.value)} />
          <FilePicker picked={picked} />
        </section>
      )}

      {actions.cancel && panel === 'none' && (
        <button type="button" class="danger" onClick={() => setPanel('cancel')}>
          {t.buttonCancelRequest}
        </button>
      )}
      {panel === 'cancel' && (
        <section class="card panel" data-panel="cancel">
          <p>
            <Rich html={t.cancelAsk(number)} />
          </p>
          <textarea maxLength={MAX_REASON_LENGTH} placeholder={t.appCancelReasonPlaceholder} value={reason} onInput={(event) => setReason(event.currentTarget.value)} />
          <div class="actions">
            <button type="button" class="danger" disabled={busy} onClick={() => void act(() => app.api.act(id, 'cancel', reason.trim() === '' ? {} : { reason: reason.trim() }), (after) => t.requestCancelled(escapeHtml(after.number)))}>
              {t.buttonYesCancel}
            </button>
            <button type="button" class="secondary" onClick={() => setPanel('none')}>
              {t.buttonKeepRequest}
            </button>
          </div>
        </section>
      )}
    </main>
  );
}

function Field({ label, value }: { readonly label: string; readonly value: string }) {
  return (
    <div class="field">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function ThreadItem({ entry }: { readonly entry: ThreadEntry }) {
  const { t, lang } = useApp();
  if (entry.kind === 'status') {
    return (
      <li class="event">
        <span class="hint">{formatDate(entry.at, lang)}</span> <b>{t.status[entry.status]}</b>
        {entry.comment !== undefined && <span> — {entry.comment}</span>}
        {entry.files !== undefined && entry.files.length > 0 && <Files files={entry.files} />}
      </li>
    );
  }
  const mine = entry.author === 'customer';
  return (
    <li class={mine ? 'bubble mine' : 'bubble theirs'}>
      <div class="who">
        <b>{mine ? t.threadYou : (entry.author_name ?? t.threadAgent)}</b> <span class="hint">{formatDate(entry.at, lang)}</span>
      </div>
      {entry.text !== undefined && <p class="text">{entry.text}</p>}
      <Files files={entry.files} />
    </li>
  );
}

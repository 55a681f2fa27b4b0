import { useEffect, useRef, useState } from 'preact/hooks';
import type { RequestSummary } from '../api.js';
import { useApp } from '../app-context.js';
import { formatDate } from '../text.js';
import { ErrorBanner, problemText } from './common.js';

/** What a filter has loaded so far, kept while the person looks at a request and comes Back. */
export interface ListState {
  readonly items: readonly RequestSummary[];
  readonly cursor: string | undefined;
  readonly done: boolean;
}

type Filter = 'all' | 'open';

/** My requests: All / Open, newest first, the next page loaded as the end of the list scrolls into view. */
export function MyRequests({ lists, first }: { readonly lists: Map<string, ListState>; readonly first: Promise<{ items: RequestSummary[]; next_cursor?: string }> | undefined }) {
  const app = useApp();
  const { t, lang } = app;
  const [filter, setFilter] = useState<Filter>('all');
  // The lists live in `lists` (kept across screens); the list shown is always the chosen filter's,
  // read at render, so a new tab never shows the other tab's rows while its own load starts.
  const state = lists.get(filter);
  const [, setLoaded] = useState(0);
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const sentinel = useRef<HTMLDivElement>(null);
  const firstUsed = useRef(false);

  useEffect(() => {
    app.setMain({ text: t.buttonNewRequest, onClick: () => app.push({ kind: 'new' }) });
    return () => app.setMain(undefined);
  }, [app]);

  async function load(which: Filter, cursor: string | undefined, before: readonly RequestSummary[]): Promise<void> {
    setLoading(true);
    setProblem(undefined);
    try {
      const usePrefetched = which === 'all' && cursor === undefined && first !== undefined && !firstUsed.current;
      firstUsed.current ||= usePrefetched;
      const page = usePrefetched && first ? await first : await app.api.listRequests(which, cursor);
      const next: ListState = { items: [...before, ...page.items], cursor: page.next_cursor, done: page.next_cursor === undefined };
      lists.set(which, next);
      setLoaded((n) => n + 1);
    } catch (error) {
      setProblem(problemText(app, error));
    } finally {
      setLoading(false);
    }
  }
  useEffect(() => {
    if (!lists.get(filter)) void load(filter, undefined, []);
  }, [filter]);

  // More on scroll: the end of the list coming into view asks for the next page, with the backend's cursor.
  useEffect(() => {
    const node = sentinel.current;
    if (!node || !state || state.done || loading) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        observer.disconnect();
        void load(filter, state.cursor, state.items);
      }
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, [state, loading, filter]);

  const choose = (value: Filter) => {
    if (value === filter) return;
    app.haptic('select');
    setFilter(value);
  };
  const empty = state !== undefined && state.items.length === 0;
  return (
    <main class="screen" data-screen="my-requests">
      <h1>{t.buttonMyRequests}</h1>
      <div class="tabs" role="tablist">
        {(['all', 'open'] as const).map((value) => (
          <button type="button" role="tab" aria-selected={filter === value} class={filter === value ? 'tab chosen' : 'tab'} onClick={() => choose(value)}>
            {value === 'all' ? t.buttonFilterAll : t.buttonFilterOpen}
          </button>
        ))}
      </div>
      <ErrorBanner text={problem} />
      {empty && <p class="hint">{filter === 'open' ? t.myRequestsOpenEmpty : t.myRequestsEmpty}</p>}
      <ul class="list" data-list={filter}>
        {state?.items.map((request) => (
          <li key={request.id}>
            <button type="button" class="row" data-request={request.number} onClick={() => app.push({ kind: 'request', id: request.id })}>
              <span class="row-main">
                <b>{request.number}</b> · {request.category_name}
              </span>
              <span class={`status s-${request.status}`}>{t.status[request.status]}</span>
              <span class="row-sub">{formatDate(request.updated_at, lang)}</span>
            </button>
          </li>
        ))}
      </ul>
      {loading && <p class="hint loading">{t.appLoading}</p>}
      {problem !== undefined && (
        <button type="button" class="secondary" onClick={() => void load(filter, state?.cursor, state?.items ?? [])}>
          {t.appRetry}
        </button>
      )}
      {state && !state.done && <div ref={sentinel} class="sentinel" />}
      {state?.done && state.items.length > 0 && <p class="hint end">{t.appNothingMore}</p>}
    </main>
  );
}

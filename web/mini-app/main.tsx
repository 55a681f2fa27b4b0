import { render } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { createApi, type Api, type RequestSummary } from './api.js';
import { AppContext, type AppContextValue, type MainAction, type Screen } from './app-context.js';
import { MyRequests, type ListState } from './screens/MyRequests.js';
import { NewRequest } from './screens/NewRequest.js';
import { RequestScreen } from './screens/RequestScreen.js';
import { Unauthorized } from './screens/Unauthorized.js';
import { applyTheme, haptic, loadWebApp, readLaunch, type Launch, type WebApp } from './telegram.js';
import { textFor } from './text.js';

// When the script starts running (after it arrived and was compiled): the bench's timeline reads it.
performance.mark('mini-app:script');
const launch = readLaunch();
if (launch) applyTheme(launch.themeParams);
const api = launch ? createApi(launch.initData) : undefined;
const requestedId = new URLSearchParams(location.search).get('request') ?? undefined;
const firstScreen: Screen = requestedId !== undefined ? { kind: 'request', id: requestedId } : launch?.startParam ? { kind: 'new' } : { kind: 'list' };
// The first screen's data is asked for now, while the page renders: one API call, no waiting on scripts.
const firstList: Promise<{ items: RequestSummary[]; next_cursor?: string }> | undefined =
  api && firstScreen.kind === 'list' ? api.firstList() : undefined;
firstList?.catch(() => undefined);

function App({ launch, api, firstPage }: { readonly launch: Launch; readonly api: Api; readonly firstPage: ListState | undefined }) {
  const { lang, t } = useMemo(() => textFor(launch.languageCode), [launch]);
  const [stack, setStack] = useState<readonly Screen[]>(firstScreen.kind === 'list' ? [firstScreen] : [{ kind: 'list' }, firstScreen]);
  const [main, setMain] = useState<MainAction | undefined>(undefined);
  const [webApp, setWebApp] = useState<WebApp | undefined>(undefined);
  const [refused, setRefused] = useState<string | undefined>(undefined);
  const lists = useRef(new Map<string, ListState>(firstPage ? [['all', firstPage]] : []));

  // Telegram's script after the first screen has its data: MainButton, BackButton, haptics, theme
  // changes. Until then the page needs only the launch data in the hash.
  useEffect(() => {
    const firstShown = (firstList ?? Promise.resolve()).catch(() => undefined).then(() => new Promise((resolve) => setTimeout(resolve, 0)));
    void firstShown.then(loadWebApp).then((loaded) => {
      if (!loaded) return;
      loaded.ready();
      loaded.expand();
      loaded.onEvent('themeChanged', () => applyTheme(loaded.themeParams));
      setWebApp(loaded);
    });
  }, []);

  const pop = useCallback(() => setStack((current) => (current.length > 1 ? current.slice(0, -1) : current)), []);
  const context: AppContextValue = useMemo(
    () => ({
      api,
      t,
      lang,
      webApp,
      startParam: launch.startParam,
      push: (screen) => setStack((current) => [...current, screen]),
      reset: (screens) => {
        lists.current.clear();
        setStack(screens);
      },
      setMain,
      unauthorized: (code) => setRefused(code),
      haptic: (kind) => haptic(webApp, kind),
    }),
    [api, t, lang, webApp, launch],
  );

  const top = stack[stack.length - 1] as Screen;
  useNativeButtons(webApp, refused === undefined ? main : undefined, refused === undefined && stack.length > 1, pop);
  useEffect(() => window.scrollTo(0, 0), [top]);

  if (refused !== undefined) return <Unauthorized t={t} code={refused} />;
  return (
    <AppContext.Provider value={context}>
      {!webApp && stack.length > 1 && (
        <button type="button" class="back-link" onClick={pop}>
          {t.buttonBack}
        </button>
      )}
      {top.kind === 'list' && <MyRequests lists={lists.current} first={stack.length === 1 ? firstList : undefined} />}
      {top.kind === 'request' && <RequestScreen key={top.id} id={top.id} notice={top.notice} />}
      {top.kind === 'new' && <NewRequest />}
      {!webApp && main && (
        <div class="main-bar">
          <button type="button" class="main-button" disabled={main.disabled === true || main.progress === true} onClick={main.onClick}>
            {main.progress ? '…' : main.text}
          </button>
        </div>
      )}
    </AppContext.Provider>
  );
}

/** Telegram's MainButton and BackButton follow the screen's primary action and the stack. */
function useNativeButtons(webApp: WebApp | undefined, main: MainAction | undefined, back: boolean, pop: () => void): void {
  const handler = useRef<() => void>(() => undefined);
  handler.current = main?.onClick ?? (() => undefined);
  useEffect(() => {
    if (!webApp) return;
    const click = () => handler.current();
    webApp.MainButton.onClick(click);
    webApp.BackButton.onClick(pop);
    return () => {
      webApp.MainButton.offClick(click);
      webApp.BackButton.offClick(pop);
    };
  }, [webApp, pop]);
  useEffect(() => {
    if (!webApp) return;
    const button = webApp.MainButton;
    if (!main) {
      button.hide();
      return;
    }
    button.setText(main.text);
    if (main.disabled === true) button.disable();
    else button.enable();
    if (main.progress === true) button.showProgress(false);
    else button.hideProgress();
    button.show();
  }, [webApp, main?.text, main?.disabled, main?.progress, main === undefined]);
  useEffect(() => {
    if (!webApp) return;
    if (back) webApp.BackButton.show();
    else webApp.BackButton.hide();
  }, [webApp, back]);
}

/**
 * The list's answer usually arrives while the script downloads (boot.ts started it): then the very
 * first render shows the list, with no round of effects and re-renders between. A slow answer is
 * not waited for long; the list then shows "Loading…" and fills in.
 */
async function firstPageOrNothing(): Promise<ListState | undefined> {
  if (!firstList) return undefined;
  const page = await Promise.race([firstList.catch(() => undefined), new Promise<undefined>((resolve) => setTimeout(resolve, 300))]);
  return page && { items: page.items, cursor: page.next_cursor, done: page.next_cursor === undefined };
}

const root = document.getElementById('app') as HTMLElement;
if (launch && api) void firstPageOrNothing().then((firstPage) => render(<App launch={launch} api={api} firstPage={firstPage} />, root));
else render(<Unauthorized t={textFor(navigator.language).t} code="init_data_missing" />, root);


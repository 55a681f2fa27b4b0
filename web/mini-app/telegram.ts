// Telegram's side of the page: the launch parameters Telegram puts in the URL's hash, the theme,
// and Telegram's WebApp object (MainButton, BackButton, haptics, requestContact) once its script
// has loaded. The script is loaded AFTER the first screen shows: the first screen needs only the
// hash, so it costs the HTML, our one script and one API call (the budget in docs/mini-app.md).

/** The launch parameters as Telegram's clients pass them (`#tgWebAppData=…&tgWebAppThemeParams=…`). */
export interface Launch {
  /** The signed `initData` query string: sent to our API as `Authorization: tma <initData>`. */
  readonly initData: string;
  /** Unchecked copies of fields of `initData`, for the page's language only; the API trusts only the signature. */
  readonly languageCode: string | undefined;
  readonly startParam: string | undefined;
  readonly themeParams: Readonly<Record<string, string>>;
  readonly platform: string;
}

export interface ContactShared {
  /** Telegram's signed answer (`contact=…&auth_date=…&hash=…`): the API takes the phone from it. */
  readonly signed: string;
  readonly phone: string;
}

/** The part of `window.Telegram.WebApp` the page uses. */
export interface WebApp {
  readonly platform: string;
  readonly version: string;
  ready(): void;
  expand(): void;
  isVersionAtLeast(version: string): boolean;
  onEvent(event: string, handler: () => void): void;
  readonly themeParams: Readonly<Record<string, string>>;
  readonly colorScheme: 'light' | 'dark';
  readonly MainButton: {
    setText(text: string): unknown;
    show(): unknown;
    hide(): unknown;
    enable(): unknown;
    disable(): unknown;
    showProgress(leaveActive?: boolean): unknown;
    hideProgress(): unknown;
    onClick(handler: () => void): unknown;
    offClick(handler: () => void): unknown;
  };
  readonly BackButton: { show(): unknown; hide(): unknown; onClick(handler: () => void): unknown; offClick(handler: () => void): unknown };
  readonly HapticFeedback?: {
    impactOccurred(style: 'light' | 'medium' | 'heavy' | 'rigid' | 'soft'): unknown;
    notificationOccurred(type: 'error' | 'success' | 'warning'): unknown;
    selectionChanged(): unknown;
  };
  requestContact?(callback: (shared: boolean, answer?: { readonly response?: string; readonly responseUnsafe?: { readonly contact?: { readonly phone_number?: string } } }) => void): void;
  downloadFile?(params: { readonly url: string; readonly file_name: string }, callback?: (accepted: boolean) => void): void;
}

const STORAGE_KEY = 'service-desk:launch';
export const TELEGRAM_SCRIPT = 'https://telegram.org/js/telegram-web-app.js';

/** The launch parameters from the hash, or from this tab's storage after a reload (Telegram passes them once). */
export function readLaunch(): Launch | undefined {
  let hash = location.hash.replace(/^#/, '');
  const params = new URLSearchParams(hash);
  if (params.get('tgWebAppData') === null) {
    hash = safeStorage()?.getItem(STORAGE_KEY) ?? '';
  } else {
    safeStorage()?.setItem(STORAGE_KEY, hash);
  }
  const stored = new URLSearchParams(hash);
  const initData = stored.get('tgWebAppData');
  if (initData === null || initData === '') return undefined;
  const data = new URLSearchParams(initData);
  let languageCode: string | undefined;
  try {
    languageCode = (JSON.parse(data.get('user') ?? '{}') as { language_code?: string }).language_code;
  } catch {
    languageCode = undefined;
  }
  let themeParams: Record<string, string> = {};
  try {
    themeParams = JSON.parse(stored.get('tgWebAppThemeParams') ?? '{}') as Record<string, string>;
  } catch {
    themeParams = {};
  }
  return { initData, languageCode, startParam: data.get('start_param') ?? undefined, themeParams, platform: stored.get('tgWebAppPlatform') ?? 'unknown' };
}

function safeStorage(): Storage | undefined {
  try {
    return sessionStorage;
  } catch {
    return undefined;
  }
}

/** Telegram's theme as CSS variables, the names telegram-web-app.js itself sets (`--tg-theme-bg-color`, …). */
export function applyTheme(themeParams: Readonly<Record<string, string>>): void {
  const root = document.documentElement.style;
  for (const [key, value] of Object.entries(themeParams)) {
    if (/^[a-z_]+$/.test(key) && /^#[0-9a-f]{3,8}$/i.test(value)) root.setProperty(`--tg-theme-${key.replace(/_/g, '-')}`, value);
  }
  const bg = themeParams.bg_color;
  if (bg !== undefined) document.documentElement.dataset.scheme = isDark(bg) ? 'dark' : 'light';
}

function isDark(hex: string): boolean {
  const value = hex.replace('#', '');
  const full = value.length === 3 ? [...value].map((c) => c + c).join('') : value.slice(0, 6);
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16) / 255) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5;
}

let loading: Promise<WebApp | undefined> | undefined;

/** Loads telegram-web-app.js once; resolves with WebApp inside Telegram, undefined in a plain browser. */
export function loadWebApp(): Promise<WebApp | undefined> {
  loading ??= new Promise((resolve) => {
    const script = document.createElement('script');
    script.src = TELEGRAM_SCRIPT;
    script.async = true;
    script.onload = () => {
      const webApp = (window as { Telegram?: { WebApp?: WebApp } }).Telegram?.WebApp;
      // A plain browser gets the script but no Telegram around it: the page keeps its own buttons.
      resolve(webApp && webApp.platform !== 'unknown' ? webApp : undefined);
    };
    script.onerror = () => resolve(undefined);
    document.head.append(script);
  });
  return loading;
}

/** Haptic feedback on actions, where Telegram offers it. */
export function haptic(webApp: WebApp | undefined, kind: 'success' | 'error' | 'warning' | 'tap' | 'select'): void {
  const feedback = webApp?.HapticFeedback;
  if (!feedback) return;
  if (kind === 'tap') feedback.impactOccurred('light');
  else if (kind === 'select') feedback.selectionChanged();
  else feedback.notificationOccurred(kind);
}

/** Telegram's own phone sharing: undefined when the person declined or Telegram cannot ask. */
export function requestContact(webApp: WebApp | undefined): Promise<ContactShared | undefined> {
  return new Promise((resolve) => {
    if (!webApp?.requestContact || !webApp.isVersionAtLeast('6.9')) return resolve(undefined);
    webApp.requestContact((shared, answer) => {
      const signed = answer?.response;
      const phone = answer?.responseUnsafe?.contact?.phone_number;
      resolve(shared && signed && phone ? { signed, phone } : undefined);
    });
  });
}

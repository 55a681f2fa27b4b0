// A stand-in for https://telegram.org/js/telegram-web-app.js in a headless browser (the tests, the
// bench, the screenshots), served by request interception. It does what Telegram's script does with
// the launch parameters in the hash, and plays the Telegram app around the page: MainButton and
// BackButton appear as buttons at the bottom and top (as the phone app draws them), haptic feedback
// and requestContact are recorded in `window.__telegram` for the tests to read and answer.
export const TELEGRAM_STUB_SCRIPT = String.raw`(() => {
  const params = new URLSearchParams(location.hash.slice(1));
  let theme = {};
  try { theme = JSON.parse(params.get('tgWebAppThemeParams') || '{}'); } catch (e) { theme = {}; }
  const record = { events: [], haptics: [], contact: undefined, mainClicks: 0 };
  window.__telegram = record;
  const bar = (id, place) => {
    const button = document.createElement('button');
    button.id = id;
    button.type = 'button';
    button.hidden = true;
    Object.assign(button.style, { position: 'fixed', left: '0', right: '0', [place]: '0', padding: '14px', border: '0', font: '600 16px sans-serif', zIndex: '10',
      background: theme.button_color || '#2481cc', color: theme.button_text_color || '#fff' });
    document.body.append(button);
    return button;
  };
  const main = bar('tg-main-button', 'bottom');
  const back = bar('tg-back-button', 'top');
  back.textContent = '← Back';
  Object.assign(back.style, { right: 'auto', background: 'transparent', color: theme.link_color || '#2481cc', padding: '6px 12px' });
  const clickers = (button) => {
    const handlers = new Set();
    button.addEventListener('click', () => { if (!button.disabled) handlers.forEach((h) => h()); });
    return handlers;
  };
  const mainHandlers = clickers(main);
  const backHandlers = clickers(back);
  const MainButton = {
    get text() { return main.textContent; },
    get isVisible() { return !main.hidden; },
    setText(text) { main.textContent = text; record.events.push('main:text:' + text); return MainButton; },
    show() { main.hidden = false; return MainButton; },
    hide() { main.hidden = true; return MainButton; },
    enable() { main.disabled = false; main.style.opacity = '1'; return MainButton; },
    disable() { main.disabled = true; main.style.opacity = '0.5'; return MainButton; },
    showProgress() { main.dataset.progress = '1'; return MainButton; },
    hideProgress() { delete main.dataset.progress; return MainButton; },
    onClick(h) { mainHandlers.add(h); return MainButton; },
    offClick(h) { mainHandlers.delete(h); return MainButton; },
  };
  const BackButton = {
    show() { back.hidden = false; return BackButton; },
    hide() { back.hidden = true; return BackButton; },
    onClick(h) { backHandlers.add(h); return BackButton; },
    offClick(h) { backHandlers.delete(h); return BackButton; },
  };
  // Telegram draws its Back button in its own header, above the page: the page starts below it.
  const header = document.createElement('div');
  Object.assign(header.style, { position: 'fixed', top: '0', left: '0', right: '0', height: '40px', zIndex: '10',
    background: theme.secondary_bg_color || '#efeff3' });
  document.body.prepend(header);
  document.body.style.paddingTop = '40px';
  Object.assign(back.style, { top: '4px', zIndex: '11' });
  const version = params.get('tgWebAppVersion') || '6.0';
  const atLeast = (wanted) => {
    const a = version.split('.').map(Number); const b = wanted.split('.').map(Number);
    for (let i = 0; i < Math.max(a.length, b.length); i++) { const d = (a[i] || 0) - (b[i] || 0); if (d !== 0) return d > 0; }
    return true;
  };
  for (const [key, value] of Object.entries(theme)) document.documentElement.style.setProperty('--tg-theme-' + key.replace(/_/g, '-'), value);
  document.documentElement.style.setProperty('--tg-viewport-stable-height', window.innerHeight + 'px');
  window.Telegram = { WebApp: {
    initData: params.get('tgWebAppData') || '',
    platform: params.get('tgWebAppPlatform') || 'unknown',
    version,
    themeParams: theme,
    colorScheme: 'light',
    isVersionAtLeast: atLeast,
    ready() { record.events.push('ready'); },
    expand() { record.events.push('expand'); },
    onEvent() {},
    offEvent() {},
    MainButton,
    BackButton,
    HapticFeedback: {
      impactOccurred(style) { record.haptics.push('impact:' + style); },
      notificationOccurred(type) { record.haptics.push('notification:' + type); },
      selectionChanged() { record.haptics.push('selection'); },
    },
    requestContact(callback) {
      record.events.push('requestContact');
      const answer = record.contact;
      setTimeout(() => callback(Boolean(answer), answer ? { status: 'sent', response: answer.signed, responseUnsafe: { contact: { phone_number: answer.phone } } } : { status: 'cancelled' }), 0);
    },
    downloadFile(params, callback) { record.events.push('download:' + params.file_name); if (callback) callback(true); },
  } };
})();`;

// The Mini App on loopback, for the sandbox (npm start), the tests, the bench and the screenshots:
// the built page served with its production headers, the real API router, and Telegram's side
// played honestly (launch data signed with the bot's token, as Telegram's servers sign it).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { sign, signData } from '@telegram-apps/init-data-node';
import type { BuiltPage } from '../build/mini-app-page.js';

export interface LaunchUser {
  readonly id: number;
  readonly firstName: string;
  readonly username?: string;
  readonly languageCode?: string;
}

/** Telegram's `initData` for a person, signed with the bot token (the tests' and the sandbox's). */
export function signLaunch(options: { readonly token: string; readonly user: LaunchUser; readonly authDate?: Date; readonly startParam?: string }): string {
  const { user } = options;
  const data = {
    user: {
      id: user.id,
      first_name: user.firstName,
      ...(user.username !== undefined && { username: user.username }),
      ...(user.languageCode !== undefined && { language_code: user.languageCode }),
      allows_write_to_pm: true,
    },
    chat_type: 'sender',
    chat_instance: '-1000000000000',
    ...(options.startParam !== undefined && { start_param: options.startParam }),
  };
  return sign(data as unknown as Parameters<typeof sign>[0], options.token, options.authDate ?? new Date());
}

/** What `WebApp.requestContact` hands back: the contact, signed by Telegram as initData is. */
export function signContact(options: { readonly token: string; readonly userId: number; readonly phone: string; readonly firstName?: string; readonly authDate?: Date }): string {
  const fields = new URLSearchParams({
    contact: JSON.stringify({ user_id: options.userId, phone_number: options.phone, first_name: options.firstName ?? 'Ada' }),
    auth_date: String(Math.floor((options.authDate ?? new Date()).getTime() / 1000)),
  });
  const checkString = [...fields.keys()].sort().map((key) => `${key}=${fields.get(key) ?? ''}`).join('\n');
  fields.set('hash', signData(checkString, options.token));
  return fields.toString();
}

/** Telegram's theme in the light and dark of its phone apps. */
export const LIGHT_THEME: Readonly<Record<string, string>> = {
  bg_color: '#ffffff',
  text_color: '#000000',
  hint_color: '#999999',
  link_color: '#2481cc',
  button_color: '#2481cc',
  button_text_color: '#ffffff',
  secondary_bg_color: '#efeff3',
  destructive_text_color: '#e53935',
};
export const DARK_THEME: Readonly<Record<string, string>> = {
  bg_color: '#17212b',
  text_color: '#f5f5f5',
  hint_color: '#708499',
  link_color: '#6ab3f3',
  button_color: '#5288c1',
  button_text_color: '#ffffff',
  secondary_bg_color: '#232e3c',
  destructive_text_color: '#ec3942',
};

/** The URL Telegram opens: the page, its query (`?request=`), and the launch parameters in the hash. */
export function launchUrl(
  base: string,
  initData: string,
  options: { readonly theme?: Readonly<Record<string, string>>; readonly platform?: string; readonly request?: string } = {},
): string {
  const hash = new URLSearchParams({
    tgWebAppData: initData,
    tgWebAppVersion: '8.0',
    tgWebAppPlatform: options.platform ?? 'android',
    tgWebAppThemeParams: JSON.stringify(options.theme ?? LIGHT_THEME),
  });
  const query = options.request === undefined ? '' : `?request=${encodeURIComponent(options.request)}`;
  return `${base.replace(/\/+$/, '')}/app${query}#${hash.toString()}`;
}

/**
 * Serves the built page (with the headers production sends) and hands `/api/app/*` to the API
 * router. Returns false for any other path, for the caller's own routes.
 */
export function serveMiniApp(page: BuiltPage, handleApi: (req: IncomingMessage, res: ServerResponse) => Promise<void>) {
  // Gzipped as Vercel's edge sends static files to a browser that accepts it.
  const gzipped = new Map([page.html, page.script].map((file) => [file, gzipSync(file.body, { level: 9 })]));
  return (req: IncomingMessage, res: ServerResponse): Promise<void> | false => {
    const path = new URL(req.url ?? '/', 'http://sandbox.invalid').pathname;
    if (path.startsWith('/api/app/')) return handleApi(req, res);
    const file = path === '/app' || path === '/app/' || path === '/app/index.html' ? page.html : path === page.script.path ? page.script : undefined;
    if (file === undefined) return false;
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? (gzipped.get(file) as Buffer) : file.body;
    res.writeHead(200, {
      'content-type': file.contentType,
      'content-length': String(body.length),
      vary: 'accept-encoding',
      ...(gzip && { 'content-encoding': 'gzip' }),
      ...file.headers,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return Promise.resolve();
  };
}

import { en, type Messages } from './en.js';
import { ru } from './ru.js';

export type { Messages } from './en.js';

/** Adding a language is adding a file and a line here. */
const catalogues = { en, ru } satisfies Record<string, Messages>;

export type Lang = keyof typeof catalogues;
export const LANGS = Object.keys(catalogues) as Lang[];
export const DEFAULT_LANG: Lang = 'en';

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && Object.hasOwn(catalogues, value);
}

export function messages(lang: Lang): Messages {
  return catalogues[lang];
}

/** Telegram's `language_code` is an IETF tag such as `ru` or `en-GB`; unknown ones fall back to English. */
export function langFromCode(code: string | undefined): Lang {
  const base = code?.toLowerCase().split('-')[0];
  return isLang(base) ? base : DEFAULT_LANG;
}

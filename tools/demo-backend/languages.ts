/**
 * The demo backend speaks English and Russian: it answers in the language a read asks for with
 * `Accept-Language` (the bot sends the person's), and English when it names neither, as a backend
 * that knows one language answers whatever is asked.
 */
export const DEMO_LANGUAGES = ['en', 'ru'] as const;
export type DemoLanguage = (typeof DEMO_LANGUAGES)[number];

/** The best of our languages in an `Accept-Language` header (RFC 9110: tags with optional `q`), else English. */
export function preferredLanguage(header: string | undefined): DemoLanguage {
  const ranked = (header ?? '')
    .split(',')
    .map((part, order) => {
      const [tag = '', ...parameters] = part.trim().split(';');
      const q = parameters.map((parameter) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(parameter)).find((match) => match !== null);
      return { base: tag.trim().toLowerCase().split('-')[0] ?? '', q: q ? Number(q[1]) : 1, order };
    })
    .filter((entry) => entry.base !== '' && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  const found = ranked.find((entry) => (DEMO_LANGUAGES as readonly string[]).includes(entry.base));
  return (found?.base as DemoLanguage | undefined) ?? 'en';
}

/** The language a request's person uses in Telegram, for what the demo pushes unasked (notifications). */
export function languageOfCode(code: string | undefined): DemoLanguage {
  return preferredLanguage(code);
}

/** What the demo itself writes in status histories, in Russian; anything else (an agent's own words) stays as written. */
const COMMENTS_RU: Readonly<Record<string, string>> = {
  'A specialist has been assigned to your request.': 'Назначен специалист по вашей заявке.',
  'The work is done. Reply within 7 days if anything is still wrong.': 'Работа выполнена. Если что-то не так, ответьте в течение 7 дней.',
  'The work is done. Tell us whether it is solved.': 'Работа выполнена. Скажите, решена ли проблема.',
};

export function translateComment(comment: string, lang: DemoLanguage): string {
  return lang === 'ru' ? (COMMENTS_RU[comment] ?? comment) : comment;
}

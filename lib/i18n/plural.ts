/** The forms a counted word takes; `Intl.PluralRules` says which one a count needs in a language. */
export type PluralForms = { readonly other: string } & Partial<Record<Exclude<Intl.LDMLPluralRule, 'other'>, string>>;

/**
 * A counter for one language: `count(2, { one: 'file', other: 'files' })` gives `2 files`; in Russian
 * `count(2, { one: 'файл', few: 'файла', many: 'файлов', other: 'файла' })` gives `2 файла`. Each
 * language file makes its own once, so adding a language brings its own plural rules.
 */
export function pluralOf(locale: string): (count: number, forms: PluralForms) => string {
  const rules = new Intl.PluralRules(locale);
  return (count, forms) => `${count} ${forms[rules.select(count)] ?? forms.other}`;
}

// One search box over the whole catalogue: every word typed must appear in the service's type, side,
// name or description (in the person's language or the other one), in any order, ignoring case and the Cyrillic ё/е and Latin accents.
import type { CatalogueEntry } from './api.js';

export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ё/g, 'е');
}

export interface Indexed {
  readonly entry: CatalogueEntry;
  readonly haystack: string;
  readonly name: string;
}

export function indexCatalogue(items: readonly CatalogueEntry[]): Indexed[] {
  return items.map((entry) => ({ entry, haystack: fold(`${entry.name} ${entry.type} ${entry.side} ${entry.description ?? ''} ${entry.also ?? ''}`), name: fold(entry.name) }));
}

/** Matches, the ones whose service name starts with a word of the query first. */
export function search(index: readonly Indexed[], query: string): CatalogueEntry[] {
  const words = fold(query).split(/\s+/).filter((word) => word !== '');
  if (words.length === 0) return index.map((item) => item.entry);
  const hits = index.filter((item) => words.every((word) => item.haystack.includes(word)));
  const rank = (item: Indexed) => (words.some((word) => item.name.startsWith(word) || item.name.includes(` ${word}`)) ? 0 : 1);
  return hits.sort((a, b) => rank(a) - rank(b)).map((item) => item.entry);
}

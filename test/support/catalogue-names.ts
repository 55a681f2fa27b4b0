// The demo catalogue answers in the person's language (Accept-Language): tests tap its names as a
// person of that language reads them, named by their English ones.
import { createDemoCatalogue } from '../../tools/demo-backend/catalogue.js';
import { preferredLanguage } from '../../tools/demo-backend/languages.js';

const catalogue = createDemoCatalogue();

/** `demoName('Plumbing', 'ru')` is `Сантехника`: a request type, side or service of the demo catalogue. */
export function demoName(english: string, languageCode = 'en'): string {
  const lang = preferredLanguage(languageCode);
  for (const type of catalogue.listRequestTypes()) {
    if (type.name === english) return catalogue.requestTypeName(type.id, lang) ?? english;
    for (const side of catalogue.listSides(type.id) ?? []) {
      if (side.name === english) return catalogue.sideName(side.id, lang) ?? english;
      const category = catalogue.listCategories(type.id, side.id)?.find((candidate) => candidate.name === english);
      if (category) return catalogue.findCategory(type.id, side.id, category.id, lang)?.name ?? english;
    }
  }
  throw new Error(`the demo catalogue has no ${english}`);
}

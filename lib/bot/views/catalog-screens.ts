import type { RequestType, ServiceCategory, Side } from '../../backend/schemas.js';
import type { Lang, Messages } from '../../i18n/index.js';
import type { CallbackAction } from '../callback-data.js';
import { escapeHtml } from './html.js';
import { button, type Button, type Screen } from './screen.js';

/** Telegram shows long keyboards fine, but more than 8 choices is hard to scan on a phone. */
export const PAGE_SIZE = 8;

/**
 * Where the catalogue screens lead: a new request (the default) or an admin's QR link. The screens
 * are the same; only their buttons' actions and the first screen's title differ.
 */
export interface CatalogRoute {
  readonly typesTitle: (t: Messages) => string;
  readonly types: (lang: Lang) => CallbackAction;
  readonly sides: (lang: Lang, typeId: number) => CallbackAction;
  readonly categories: (lang: Lang, typeId: number, sideId: number, page: number) => CallbackAction;
  readonly pick: (typeId: number, sideId: number, categoryId: number) => CallbackAction;
}

export const NEW_REQUEST_ROUTE: CatalogRoute = {
  typesTitle: (t) => t.chooseRequestType,
  types: (lang) => ({ kind: 'types', lang }),
  sides: (lang, typeId) => ({ kind: 'sides', lang, typeId }),
  categories: (lang, typeId, sideId, page) => ({ kind: 'categories', lang, typeId, sideId, page }),
  pick: (typeId, sideId, categoryId) => ({ kind: 'pick', typeId, sideId, categoryId }),
};

export function requestTypesScreen(t: Messages, lang: Lang, types: readonly RequestType[], route = NEW_REQUEST_ROUTE): Screen {
  return {
    text: types.length > 0 ? route.typesTitle(t) : t.nothingToChoose,
    buttons: [
      ...types.map((type) => [button(type.name, route.sides(lang, type.id))]),
      [button(t.buttonBack, { kind: 'menu', lang }), button(t.buttonCancel, { kind: 'cancel' })],
    ],
  };
}

export function sidesScreen(t: Messages, lang: Lang, type: RequestType, sides: readonly Side[], route = NEW_REQUEST_ROUTE): Screen {
  return {
    text: sides.length > 0 ? t.chooseSide(escapeHtml(type.name)) : t.nothingToChoose,
    buttons: [
      ...sides.map((side) => [button(side.name, route.categories(lang, type.id, side.id, 0))]),
      [button(t.buttonBack, route.types(lang)), button(t.buttonCancel, { kind: 'cancel' })],
    ],
  };
}

export function categoriesScreen(
  t: Messages,
  lang: Lang,
  type: RequestType,
  side: Side,
  categories: readonly ServiceCategory[],
  requestedPage: number,
  route = NEW_REQUEST_ROUTE,
): Screen {
  const pages = Math.max(1, Math.ceil(categories.length / PAGE_SIZE));
  const page = Math.min(requestedPage, pages - 1);
  const shown = categories.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
  const at = (p: number) => route.categories(lang, type.id, side.id, p);
  const paging: Button[] = [];
  if (page > 0) paging.push(button(t.buttonPrev, at(page - 1)));
  if (page < pages - 1) paging.push(button(t.buttonNext, at(page + 1)));
  return {
    text:
      categories.length > 0
        ? t.chooseCategory(escapeHtml(type.name), escapeHtml(side.name), page + 1, pages) +
          // A long list is searched by typing (a new request's lists only; /link's are not).
          (pages > 1 && route === NEW_REQUEST_ROUTE ? `\n${t.searchHint}` : '')
        : t.nothingToChoose,
    buttons: [
      ...shown.map((category) => [
        button(category.name, route.pick(type.id, side.id, category.id)),
      ]),
      ...(paging.length > 0 ? [paging] : []),
      [button(t.buttonBack, route.sides(lang, type.id)), button(t.buttonCancel, { kind: 'cancel' })],
    ],
  };
}

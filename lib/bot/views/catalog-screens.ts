import type { RequestType, ServiceCategory, Side } from '../../backend/schemas.js';
import type { Lang, Messages } from '../../i18n/index.js';
import { escapeHtml } from './html.js';
import { button, type Button, type Screen } from './screen.js';

/** Telegram shows long keyboards fine, but more than 8 choices is hard to scan on a phone. */
export const PAGE_SIZE = 8;

export function requestTypesScreen(t: Messages, lang: Lang, types: readonly RequestType[]): Screen {
  return {
    text: types.length > 0 ? t.chooseRequestType : t.nothingToChoose,
    buttons: [
      ...types.map((type) => [button(type.name, { kind: 'sides', lang, typeId: type.id })]),
      [button(t.buttonBack, { kind: 'menu', lang }), button(t.buttonCancel, { kind: 'cancel' })],
    ],
  };
}

export function sidesScreen(t: Messages, lang: Lang, type: RequestType, sides: readonly Side[]): Screen {
  return {
    text: sides.length > 0 ? t.chooseSide(escapeHtml(type.name)) : t.nothingToChoose,
    buttons: [
      ...sides.map((side) => [button(side.name, { kind: 'categories', lang, typeId: type.id, sideId: side.id, page: 0 })]),
      [button(t.buttonBack, { kind: 'types', lang }), button(t.buttonCancel, { kind: 'cancel' })],
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
): Screen {
  const pages = Math.max(1, Math.ceil(categories.length / PAGE_SIZE));
  const page = Math.min(requestedPage, pages - 1);
  const shown = categories.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
  const at = (p: number) => ({ kind: 'categories', lang, typeId: type.id, sideId: side.id, page: p }) as const;
  const paging: Button[] = [];
  if (page > 0) paging.push(button(t.buttonPrev, at(page - 1)));
  if (page < pages - 1) paging.push(button(t.buttonNext, at(page + 1)));
  return {
    text:
      categories.length > 0
        ? t.chooseCategory(escapeHtml(type.name), escapeHtml(side.name), page + 1, pages)
        : t.nothingToChoose,
    buttons: [
      ...shown.map((category) => [
        button(category.name, { kind: 'pick', typeId: type.id, sideId: side.id, categoryId: category.id }),
      ]),
      ...(paging.length > 0 ? [paging] : []),
      [button(t.buttonBack, { kind: 'sides', lang, typeId: type.id }), button(t.buttonCancel, { kind: 'cancel' })],
    ],
  };
}

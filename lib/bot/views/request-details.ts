import { isOpenStatus, type RequestDetails } from '../../backend/schemas.js';
import type { Lang, Messages } from '../../i18n/index.js';
import { myRequestsAction, requestAction, type ListPosition } from '../callback-data.js';
import { requestActionButtons } from './request-actions.js';
import { MAX_FILE_BUTTONS, renderRequestPage } from './request-thread.js';
import { appButton, button, type Button, type Screen } from './screen.js';

/**
 * One page of a request's details and thread, with its files, paging, Add comment, what the
 * status allows (cancel, Solved / Still a problem, rating), Refresh and Back. `list`: the page of
 * My requests it was opened from; paging and Refresh carry it on, Back returns to it. `timeZone`:
 * the organisation's (TIME_ZONE), for every date shown.
 */
export function requestDetailsScreen(
  t: Messages,
  lang: Lang,
  details: RequestDetails,
  page: number,
  options: { readonly notice?: string; readonly list?: ListPosition; readonly timeZone?: string } = {},
): Screen {
  const { notice, list } = options;
  const rendered = renderRequestPage(t, lang, details, page, notice, options.timeZone);
  const requestId = details.id;
  const files = rendered.files.slice(0, MAX_FILE_BUTTONS).map((file) => [
    button(`📎 ${shorten(file.name, 40)}`, { kind: 'file', lang, requestId, commentIndex: file.commentIndex, fileIndex: file.fileIndex }),
  ]);
  const paging: Button[] = [];
  if (rendered.index < rendered.pages - 1) paging.push(button(t.buttonEarlier, requestAction(lang, requestId, { page: rendered.index + 1, list })));
  if (rendered.index > 0) paging.push(button(t.buttonLater, requestAction(lang, requestId, { page: rendered.index - 1, list })));
  return {
    text: rendered.text,
    about: { requestId, number: details.number },
    buttons: [
      ...files,
      ...(paging.length > 0 ? [paging] : []),
      ...(isOpenStatus(details.status) ? [[button(t.buttonAddComment, { kind: 'comment', requestId })]] : []),
      ...requestActionButtons(t, lang, details),
      [button(t.buttonRefresh, requestAction(lang, requestId, { page: rendered.index, list })), button(t.buttonBack, myRequestsAction(lang, list))],
      // Last, so the rows above keep their places: the whole thread with its photos is easier to read there.
      [appButton(t.buttonOpenInApp, { request: requestId })],
    ],
  };
}

function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

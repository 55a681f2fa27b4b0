import { isLang, type Lang } from '../i18n/index.js';
import { isFilePlace, type FilePlace } from '../requests/request-files.js';
import { isTextPlace, type TextPlace } from '../requests/request-texts.js';

/**
 * Everything a button can ask for, and its compact wire form (Telegram allows 64 bytes).
 *
 * Navigation buttons carry their whole position (type, side, page, language), so a tap needs
 * no session: it re-renders a screen from the cached catalogue, and rendering the same screen
 * twice is harmless. Buttons that change a draft carry the draft id, so a button from an old
 * draft is recognised as expired instead of acting on the new one.
 */
export type CallbackAction =
  | { readonly kind: 'menu'; readonly lang: Lang }
  | { readonly kind: 'help'; readonly lang: Lang }
  /**
   * The catalogue of a new request. `draft`: shown while a draft exists, so the tap is stateful: the
   * session learns which list is on display (see on-screen.ts). Without a draft it costs nothing.
   */
  | { readonly kind: 'types'; readonly lang: Lang; readonly draft?: true }
  | { readonly kind: 'sides'; readonly lang: Lang; readonly typeId: number; readonly draft?: true }
  | { readonly kind: 'categories'; readonly lang: Lang; readonly typeId: number; readonly sideId: number; readonly page: number; readonly draft?: true }
  | { readonly kind: 'my-requests'; readonly lang: Lang }
  /**
   * A request's details; `page` of its thread, 0 (the newest) when omitted; `list`: the page of My
   * requests it was opened from, where Back returns (the newest of All when omitted).
   */
  | { readonly kind: 'request'; readonly lang: Lang; readonly requestId: string; readonly page?: number; readonly list?: ListPosition }
  /** From a notification: details open as a new message, so the notification stays in the chat. */
  | { readonly kind: 'open-request'; readonly lang: Lang; readonly requestId: string }
  | { readonly kind: 'pick'; readonly typeId: number; readonly sideId: number; readonly categoryId: number }
  /** Skip and Back on a draft step's prompt; the step name tells a stale button from the current one. */
  | { readonly kind: 'skip'; readonly draftId: string; readonly step: string }
  | { readonly kind: 'back'; readonly draftId: string; readonly step: string }
  /** Yes (`replace`) or No on "Replace the description with this?", asked at the summary. */
  | { readonly kind: 'replace-description'; readonly draftId: string; readonly replace: boolean }
  /** Keep on a step shown again with what was given (Back, a new service): the draft moves on with it. */
  | { readonly kind: 'keep'; readonly draftId: string; readonly step: string }
  | { readonly kind: 'confirm'; readonly draftId: string }
  /** On "You have a request in progress": back to the step where the draft stopped, or drop it. */
  | { readonly kind: 'continue'; readonly draftId: string }
  | { readonly kind: 'discard'; readonly draftId: string }
  | { readonly kind: 'edit'; readonly draftId: string }
  /** Cancel; on a draft's screens it names the draft, so a tap after the draft was sent or replaced is told apart. */
  | { readonly kind: 'cancel'; readonly draftId?: string }
  | { readonly kind: 'set-lang'; readonly lang: Lang }
  /** Add comment (details) and Reply (an agent's comment): the next message goes to the request. */
  | { readonly kind: 'comment'; readonly requestId: string }
  | { readonly kind: 'reply'; readonly requestId: string }
  /** Try again after a comment failed with an unknown outcome: the same Idempotency-Key. */
  | { readonly kind: 'retry-comment'; readonly requestId: string }
  /** A file of the request: submitted with it, in a comment or with a change of status (FilePlace). */
  | { readonly kind: 'file'; readonly lang: Lang; readonly requestId: string; readonly place: FilePlace; readonly fileIndex: number }
  /** A text of the request too long for its page (TextPlace), sent in full as messages. */
  | { readonly kind: 'full-text'; readonly lang: Lang; readonly requestId: string; readonly place: TextPlace }
  | { readonly kind: 'cache-clear' }
  /**
   * A page of My requests: the filter, and where the page starts (none: the newest). The backend's
   * cursor travels in the button when it fits, else the button names a copy kept in the store.
   */
  | { readonly kind: 'requests-page'; readonly lang: Lang; readonly openOnly: boolean; readonly cursor?: string; readonly cursorRef?: string }
  /** Lifecycle of the person's own request; the id is checked against its owner every time. */
  | { readonly kind: 'cancel-ask'; readonly lang: Lang; readonly requestId: string }
  | { readonly kind: 'cancel-yes'; readonly requestId: string }
  /** Skip on the prompt for a cancellation's reason (the request was cancelled at Yes). */
  | { readonly kind: 'cancel-send'; readonly requestId: string }
  | { readonly kind: 'solved'; readonly requestId: string }
  | { readonly kind: 'reopen'; readonly requestId: string }
  | { readonly kind: 'rate'; readonly requestId: string; readonly score: number }
  /** Skip on the prompt for a rating's comment (the rating went at the star); Send rating before that. */
  | { readonly kind: 'rate-send'; readonly requestId: string }
  /** Never mind on a question the bot asked (a reason, a comment, a location). */
  | { readonly kind: 'drop-pending' }
  /** `/link` (admins): the catalogue, browsed like a new request, ends in a link and its QR code. */
  | { readonly kind: 'link-types'; readonly lang: Lang }
  | { readonly kind: 'link-sides'; readonly lang: Lang; readonly typeId: number }
  | { readonly kind: 'link-categories'; readonly lang: Lang; readonly typeId: number; readonly sideId: number; readonly page: number }
  | { readonly kind: 'link-pick'; readonly typeId: number; readonly sideId: number; readonly categoryId: number }
  | { readonly kind: 'link-skip' }
  /** Back on the location step: the question is over, the service list again. */
  | { readonly kind: 'link-back'; readonly typeId: number; readonly sideId: number; readonly categoryId: number }
  /** Keep on "Clear the shared cache?": nothing is cleared. */
  | { readonly kind: 'cache-keep' };

export type CallbackKind = CallbackAction['kind'];

/** A page of My requests: the filter, and where the page starts (none: the newest). */
export interface ListPosition {
  readonly openOnly: boolean;
  readonly cursor?: string;
  readonly cursorRef?: string;
}

/** Actions that only render: they need neither the session nor cross-instance de-duplication. */
const STATELESS = new Set<CallbackKind>([
  'menu',
  'help',
  'types',
  'sides',
  'categories',
  'my-requests',
  'request',
  // 'open-request' is not: it posts the details as a new message below whatever is on display, so
  // the session must learn of it (a draft's prompt above it is parked).
  'file',
  'full-text',
  'requests-page',
  'cancel-ask',
  'link-types',
  'link-sides',
  'link-categories',
]);

export function isStateless(action: CallbackAction): boolean {
  return STATELESS.has(action.kind) && !('draft' in action && action.draft === true);
}

const MAX_BYTES = 64;
const ID = /^[1-9]\d{0,9}$/;
const DRAFT_ID = /^[A-Za-z0-9_-]{4,24}$/;
/**
 * A request id every button about the request can carry (the longest, a thread file's
 * `fl:<lang>:<id>:c<comment>:<file>`, still fits 64 bytes); ids the backend pushes are checked with it.
 */
export const BUTTON_REQUEST_ID = /^[A-Za-z0-9_-]{1,48}$/;
const REQUEST_ID = BUTTON_REQUEST_ID;
const STEP = /^[a-z_]{1,16}$/;
/** A backend cursor that can travel in a button as it is (no `:`, which separates the fields). */
const CURSOR = /^[A-Za-z0-9_.=+/-]{1,56}$/;
const CURSOR_REF = /^[A-Za-z0-9_-]{8,16}$/;
const SCORE = /^[1-5]$/;

/** Whether a page button can carry this backend cursor itself (else it carries a stored copy's name). */
export function cursorFitsInButton(cursor: string): boolean {
  return CURSOR.test(cursor) && Buffer.byteLength(`rp:xx:o:${cursor}`) <= MAX_BYTES;
}

export function encodeCallback(action: CallbackAction): string {
  const data = encodeParts(action);
  if (Buffer.byteLength(data) > MAX_BYTES) throw new RangeError(`callback_data over ${MAX_BYTES} bytes: ${action.kind}`);
  return data;
}

function encodeParts(action: CallbackAction): string {
  const parts = ((): (string | number)[] => {
    switch (action.kind) {
      case 'menu':
        return ['m', action.lang];
      case 'help':
        return ['h', action.lang];
      // Upper case: the same screen shown while a draft exists (a stateful tap).
      case 'types':
        return [action.draft ? 'T' : 't', action.lang];
      case 'sides':
        return [action.draft ? 'S' : 's', action.lang, action.typeId];
      case 'categories':
        return [action.draft ? 'C' : 'c', action.lang, action.typeId, action.sideId, action.page];
      case 'my-requests':
        return ['r', action.lang];
      case 'request': {
        const list = action.list === undefined ? [] : [listField(action.list)];
        return action.page || list.length > 0 ? ['d', action.lang, action.requestId, action.page ?? 0, ...list] : ['d', action.lang, action.requestId];
      }
      case 'open-request':
        return ['o', action.lang, action.requestId];
      case 'pick':
        return ['p', action.typeId, action.sideId, action.categoryId];
      case 'skip':
        return ['sk', action.draftId, action.step];
      case 'back':
        return ['bk', action.draftId, action.step];
      case 'keep':
        return ['kp', action.draftId, action.step];
      case 'replace-description':
        return [action.replace ? 'rd' : 'nd', action.draftId];
      case 'confirm':
        return ['ok', action.draftId];
      case 'continue':
        return ['go', action.draftId];
      case 'discard':
        return ['dd', action.draftId];
      case 'edit':
        return ['ed', action.draftId];
      case 'cancel':
        return action.draftId === undefined ? ['x'] : ['x', action.draftId];
      case 'set-lang':
        return ['l', action.lang];
      case 'cache-clear':
        return ['cc'];
      case 'comment':
        return ['cm', action.requestId];
      case 'reply':
        return ['ry', action.requestId];
      case 'retry-comment':
        return ['cr', action.requestId];
      case 'file':
        return ['fl', action.lang, action.requestId, action.place, action.fileIndex];
      case 'full-text':
        return ['ft', action.lang, action.requestId, action.place];
      case 'requests-page': {
        const start = action.cursor ?? (action.cursorRef !== undefined ? `~${action.cursorRef}` : undefined);
        return ['rp', action.lang, action.openOnly ? 'o' : 'a', ...(start !== undefined ? [start] : [])];
      }
      case 'cancel-ask':
        return ['ca', action.lang, action.requestId];
      case 'cancel-yes':
        return ['cy', action.requestId];
      case 'cancel-send':
        return ['cn', action.requestId];
      case 'solved':
        return ['sv', action.requestId];
      case 'reopen':
        return ['ro', action.requestId];
      case 'rate':
        return ['rt', action.requestId, action.score];
      case 'rate-send':
        return ['rs', action.requestId];
      case 'drop-pending':
        return ['dp'];
      case 'link-types':
        return ['lt', action.lang];
      case 'link-sides':
        return ['ls', action.lang, action.typeId];
      case 'link-categories':
        return ['lc', action.lang, action.typeId, action.sideId, action.page];
      case 'link-pick':
        return ['lp', action.typeId, action.sideId, action.categoryId];
      case 'link-skip':
        return ['lk'];
      case 'link-back':
        return ['lb', action.typeId, action.sideId, action.categoryId];
      case 'cache-keep':
        return ['ck'];
    }
  })();
  return parts.join(':');
}

/**
 * A request's button that remembers the page of My requests it was opened from, as far as 64 bytes
 * allow: the whole position, else the filter alone (Back then returns to that filter's newest page).
 */
export function requestAction(lang: Lang, requestId: string, options: { readonly page?: number; readonly list?: ListPosition } = {}): CallbackAction {
  const { page, list } = options;
  const fits = (action: CallbackAction) => Buffer.byteLength(encodeParts(action)) <= MAX_BYTES;
  const base = { kind: 'request', lang, requestId, ...(page ? { page } : {}) } as const;
  if (list === undefined || (!list.openOnly && list.cursor === undefined && list.cursorRef === undefined)) return base;
  const whole: CallbackAction = { ...base, list };
  if (fits(whole)) return whole;
  const filterOnly: CallbackAction = { ...base, list: { openOnly: list.openOnly } };
  return fits(filterOnly) ? filterOnly : base;
}

/** My requests at a position (the page a request was opened from), or the newest of All. */
export function myRequestsAction(lang: Lang, list: ListPosition | undefined): CallbackAction {
  return list === undefined ? { kind: 'my-requests', lang } : { kind: 'requests-page', lang, ...list };
}

/** `o` or `a` (the filter), then the cursor itself or `~` and the name of its stored copy. */
function listField(list: ListPosition): string {
  const start = list.cursor ?? (list.cursorRef !== undefined ? `~${list.cursorRef}` : '');
  return `${list.openOnly ? 'o' : 'a'}${start}`;
}

function parseListField(field: string): ListPosition | undefined {
  const openOnly = field.startsWith('o') ? true : field.startsWith('a') ? false : undefined;
  if (openOnly === undefined) return undefined;
  const start = field.slice(1);
  if (start === '') return { openOnly };
  if (start.startsWith('~')) return CURSOR_REF.test(start.slice(1)) ? { openOnly, cursorRef: start.slice(1) } : undefined;
  return CURSOR.test(start) ? { openOnly, cursor: start } : undefined;
}

/** Parses button data; anything forged, truncated or from an older version of the bot gives `undefined`. */
export function decodeCallback(data: unknown): CallbackAction | undefined {
  if (typeof data !== 'string' || Buffer.byteLength(data) > MAX_BYTES) return undefined;
  const [code, a, b, c, d, ...rest] = data.split(':');
  if (rest.length > 0) return undefined;
  const id = (s: string | undefined) => (s !== undefined && ID.test(s) ? Number(s) : undefined);
  const small = (s: string | undefined) => (s !== undefined && /^\d{1,3}$/.test(s) ? Number(s) : undefined);
  const lang = isLang(a) ? a : undefined;
  const draftId = a !== undefined && DRAFT_ID.test(a) && b === undefined ? a : undefined;
  const only = (count: number) => [a, b, c, d].filter((x) => x !== undefined).length === count;

  switch (code) {
    case 'm':
      return lang && only(1) ? { kind: 'menu', lang } : undefined;
    case 'h':
      return lang && only(1) ? { kind: 'help', lang } : undefined;
    case 't':
    case 'T':
      return lang && only(1) ? { kind: 'types', lang, ...(code === 'T' && { draft: true as const }) } : undefined;
    case 'r':
      return lang && only(1) ? { kind: 'my-requests', lang } : undefined;
    case 's':
    case 'S': {
      const typeId = id(b);
      return lang && typeId && only(2) ? { kind: 'sides', lang, typeId, ...(code === 'S' && { draft: true as const }) } : undefined;
    }
    case 'c':
    case 'C': {
      const typeId = id(b);
      const sideId = id(c);
      const page = d !== undefined && /^\d{1,3}$/.test(d) ? Number(d) : undefined;
      return lang && typeId && sideId && page !== undefined
        ? { kind: 'categories', lang, typeId, sideId, page, ...(code === 'C' && { draft: true as const }) }
        : undefined;
    }
    case 'd': {
      const page = c === undefined ? 0 : small(c);
      const list = d === undefined ? undefined : parseListField(d);
      if (!lang || b === undefined || !REQUEST_ID.test(b) || page === undefined || (d !== undefined && !list)) return undefined;
      return { kind: 'request', lang, requestId: b, ...(page > 0 && { page }), ...(list && { list }) };
    }
    case 'o':
      return lang && b !== undefined && REQUEST_ID.test(b) && only(2) ? { kind: 'open-request', lang, requestId: b } : undefined;
    case 'cm':
    case 'ry':
    case 'cr': {
      if (a === undefined || !REQUEST_ID.test(a) || !only(1)) return undefined;
      const kind = code === 'cm' ? 'comment' : code === 'ry' ? 'reply' : 'retry-comment';
      return { kind, requestId: a };
    }
    case 'fl': {
      // A bare number: a button sent before files had places (a comment's).
      const place = c !== undefined && /^\d{1,3}$/.test(c) ? `c${c}` : c;
      const fileIndex = small(d);
      return lang && b !== undefined && REQUEST_ID.test(b) && place !== undefined && isFilePlace(place) && fileIndex !== undefined
        ? { kind: 'file', lang, requestId: b, place, fileIndex }
        : undefined;
    }
    case 'ft':
      return lang && b !== undefined && REQUEST_ID.test(b) && c !== undefined && isTextPlace(c) && only(3)
        ? { kind: 'full-text', lang, requestId: b, place: c }
        : undefined;
    case 'p': {
      const typeId = id(a);
      const sideId = id(b);
      const categoryId = id(c);
      return typeId && sideId && categoryId && only(3) ? { kind: 'pick', typeId, sideId, categoryId } : undefined;
    }
    case 'sk':
    case 'bk':
    case 'kp': {
      const draft = a !== undefined && DRAFT_ID.test(a) ? a : undefined;
      const step = b !== undefined && STEP.test(b) ? b : undefined;
      const kinds = { sk: 'skip', bk: 'back', kp: 'keep' } as const;
      return draft && step && only(2) ? { kind: kinds[code], draftId: draft, step } : undefined;
    }
    // Skip on the photo prompt before the steps were listed in one place; chats still show it.
    case 'sp':
      return draftId ? { kind: 'skip', draftId, step: 'photo' } : undefined;
    case 'ok':
      return draftId ? { kind: 'confirm', draftId } : undefined;
    case 'go':
      return draftId ? { kind: 'continue', draftId } : undefined;
    case 'rd':
    case 'nd':
      return draftId ? { kind: 'replace-description', draftId, replace: code === 'rd' } : undefined;
    case 'dd':
      return draftId ? { kind: 'discard', draftId } : undefined;
    case 'ed':
      return draftId ? { kind: 'edit', draftId } : undefined;
    case 'x':
      if (only(0)) return { kind: 'cancel' };
      return draftId ? { kind: 'cancel', draftId } : undefined;
    case 'l':
      return lang && only(1) ? { kind: 'set-lang', lang } : undefined;
    case 'cc':
      return only(0) ? { kind: 'cache-clear' } : undefined;
    case 'rp': {
      const openOnly = b === 'o' ? true : b === 'a' ? false : undefined;
      if (!lang || openOnly === undefined || d !== undefined) return undefined;
      if (c === undefined) return { kind: 'requests-page', lang, openOnly };
      if (c.startsWith('~')) return CURSOR_REF.test(c.slice(1)) ? { kind: 'requests-page', lang, openOnly, cursorRef: c.slice(1) } : undefined;
      return CURSOR.test(c) ? { kind: 'requests-page', lang, openOnly, cursor: c } : undefined;
    }
    case 'ca':
      return lang && b !== undefined && REQUEST_ID.test(b) && only(2) ? { kind: 'cancel-ask', lang, requestId: b } : undefined;
    case 'cy':
    case 'cn':
    case 'sv':
    case 'ro':
    case 'rs': {
      if (a === undefined || !REQUEST_ID.test(a) || !only(1)) return undefined;
      const kinds = { cy: 'cancel-yes', cn: 'cancel-send', sv: 'solved', ro: 'reopen', rs: 'rate-send' } as const;
      return { kind: kinds[code], requestId: a };
    }
    case 'rt':
      return a !== undefined && REQUEST_ID.test(a) && b !== undefined && SCORE.test(b) && only(2)
        ? { kind: 'rate', requestId: a, score: Number(b) }
        : undefined;
    case 'dp':
      return only(0) ? { kind: 'drop-pending' } : undefined;
    case 'lk':
      return only(0) ? { kind: 'link-skip' } : undefined;
    case 'ck':
      return only(0) ? { kind: 'cache-keep' } : undefined;
    case 'lt':
      return lang && only(1) ? { kind: 'link-types', lang } : undefined;
    case 'ls': {
      const typeId = id(b);
      return lang && typeId && only(2) ? { kind: 'link-sides', lang, typeId } : undefined;
    }
    case 'lc': {
      const typeId = id(b);
      const sideId = id(c);
      const page = d !== undefined && /^\d{1,3}$/.test(d) ? Number(d) : undefined;
      return lang && typeId && sideId && page !== undefined ? { kind: 'link-categories', lang, typeId, sideId, page } : undefined;
    }
    case 'lp':
    case 'lb': {
      const typeId = id(a);
      const sideId = id(b);
      const categoryId = id(c);
      return typeId && sideId && categoryId && only(3) ? { kind: code === 'lp' ? 'link-pick' : 'link-back', typeId, sideId, categoryId } : undefined;
    }
    default:
      return undefined;
  }
}

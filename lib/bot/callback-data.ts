import { isLang, type Lang } from '../i18n/index.js';

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
  | { readonly kind: 'types'; readonly lang: Lang }
  | { readonly kind: 'sides'; readonly lang: Lang; readonly typeId: number }
  | { readonly kind: 'categories'; readonly lang: Lang; readonly typeId: number; readonly sideId: number; readonly page: number }
  | { readonly kind: 'my-requests'; readonly lang: Lang }
  /** A request's details; `page` of its thread, 0 (the newest) when omitted. */
  | { readonly kind: 'request'; readonly lang: Lang; readonly requestId: string; readonly page?: number }
  /** From a notification: details open as a new message, so the notification stays in the chat. */
  | { readonly kind: 'open-request'; readonly lang: Lang; readonly requestId: string }
  | { readonly kind: 'pick'; readonly typeId: number; readonly sideId: number; readonly categoryId: number }
  /** Skip and Back on a draft step's prompt; the step name tells a stale button from the current one. */
  | { readonly kind: 'skip'; readonly draftId: string; readonly step: string }
  | { readonly kind: 'back'; readonly draftId: string; readonly step: string }
  | { readonly kind: 'confirm'; readonly draftId: string }
  | { readonly kind: 'edit'; readonly draftId: string }
  | { readonly kind: 'cancel' }
  | { readonly kind: 'set-lang'; readonly lang: Lang }
  /** Add comment (details) and Reply (an agent's comment): the next message goes to the request. */
  | { readonly kind: 'comment'; readonly requestId: string }
  | { readonly kind: 'reply'; readonly requestId: string }
  /** Try again after a comment failed with an unknown outcome: the same Idempotency-Key. */
  | { readonly kind: 'retry-comment'; readonly requestId: string }
  /** A file of the thread, by its place in the request's comments. */
  | { readonly kind: 'file'; readonly lang: Lang; readonly requestId: string; readonly commentIndex: number; readonly fileIndex: number }
  | { readonly kind: 'cache-clear' };

export type CallbackKind = CallbackAction['kind'];

/** Actions that only render: they need neither the session nor cross-instance de-duplication. */
const STATELESS = new Set<CallbackKind>(['menu', 'help', 'types', 'sides', 'categories', 'my-requests', 'request', 'open-request', 'file']);

export function isStateless(action: CallbackAction): boolean {
  return STATELESS.has(action.kind);
}

const MAX_BYTES = 64;
const ID = /^[1-9]\d{0,9}$/;
const DRAFT_ID = /^[A-Za-z0-9_-]{4,24}$/;
const REQUEST_ID = /^[A-Za-z0-9_-]{1,48}$/;
const STEP = /^[a-z_]{1,16}$/;

export function encodeCallback(action: CallbackAction): string {
  const parts = ((): (string | number)[] => {
    switch (action.kind) {
      case 'menu':
        return ['m', action.lang];
      case 'help':
        return ['h', action.lang];
      case 'types':
        return ['t', action.lang];
      case 'sides':
        return ['s', action.lang, action.typeId];
      case 'categories':
        return ['c', action.lang, action.typeId, action.sideId, action.page];
      case 'my-requests':
        return ['r', action.lang];
      case 'request':
        return action.page ? ['d', action.lang, action.requestId, action.page] : ['d', action.lang, action.requestId];
      case 'open-request':
        return ['o', action.lang, action.requestId];
      case 'pick':
        return ['p', action.typeId, action.sideId, action.categoryId];
      case 'skip':
        return ['sk', action.draftId, action.step];
      case 'back':
        return ['bk', action.draftId, action.step];
      case 'confirm':
        return ['ok', action.draftId];
      case 'edit':
        return ['ed', action.draftId];
      case 'cancel':
        return ['x'];
      case 'set-lang':
        return ['l', action.lang];
      case 'cache-clear':
        return ['cc'];
      case 'comment':
        return ['cm', action.requestId];
      case 'reply':
        return ['rp', action.requestId];
      case 'retry-comment':
        return ['cr', action.requestId];
      case 'file':
        return ['fl', action.lang, action.requestId, action.commentIndex, action.fileIndex];
    }
  })();
  const data = parts.join(':');
  if (Buffer.byteLength(data) > MAX_BYTES) throw new RangeError(`callback_data over ${MAX_BYTES} bytes: ${action.kind}`);
  return data;
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
      return lang && only(1) ? { kind: 'types', lang } : undefined;
    case 'r':
      return lang && only(1) ? { kind: 'my-requests', lang } : undefined;
    case 's': {
      const typeId = id(b);
      return lang && typeId && only(2) ? { kind: 'sides', lang, typeId } : undefined;
    }
    case 'c': {
      const typeId = id(b);
      const sideId = id(c);
      const page = d !== undefined && /^\d{1,3}$/.test(d) ? Number(d) : undefined;
      return lang && typeId && sideId && page !== undefined ? { kind: 'categories', lang, typeId, sideId, page } : undefined;
    }
    case 'd': {
      const page = c === undefined ? 0 : small(c);
      if (!lang || b === undefined || !REQUEST_ID.test(b) || page === undefined || d !== undefined) return undefined;
      return page > 0 ? { kind: 'request', lang, requestId: b, page } : { kind: 'request', lang, requestId: b };
    }
    case 'o':
      return lang && b !== undefined && REQUEST_ID.test(b) && only(2) ? { kind: 'open-request', lang, requestId: b } : undefined;
    case 'cm':
    case 'rp':
    case 'cr': {
      if (a === undefined || !REQUEST_ID.test(a) || !only(1)) return undefined;
      const kind = code === 'cm' ? 'comment' : code === 'rp' ? 'reply' : 'retry-comment';
      return { kind, requestId: a };
    }
    case 'fl': {
      const commentIndex = small(c);
      const fileIndex = small(d);
      return lang && b !== undefined && REQUEST_ID.test(b) && commentIndex !== undefined && fileIndex !== undefined
        ? { kind: 'file', lang, requestId: b, commentIndex, fileIndex }
        : undefined;
    }
    case 'p': {
      const typeId = id(a);
      const sideId = id(b);
      const categoryId = id(c);
      return typeId && sideId && categoryId && only(3) ? { kind: 'pick', typeId, sideId, categoryId } : undefined;
    }
    case 'sk':
    case 'bk': {
      const draft = a !== undefined && DRAFT_ID.test(a) ? a : undefined;
      const step = b !== undefined && STEP.test(b) ? b : undefined;
      return draft && step && only(2) ? { kind: code === 'sk' ? 'skip' : 'back', draftId: draft, step } : undefined;
    }
    // Skip on the photo prompt before the steps were listed in one place; chats still show it.
    case 'sp':
      return draftId ? { kind: 'skip', draftId, step: 'photo' } : undefined;
    case 'ok':
      return draftId ? { kind: 'confirm', draftId } : undefined;
    case 'ed':
      return draftId ? { kind: 'edit', draftId } : undefined;
    case 'x':
      return only(0) ? { kind: 'cancel' } : undefined;
    case 'l':
      return lang && only(1) ? { kind: 'set-lang', lang } : undefined;
    case 'cc':
      return only(0) ? { kind: 'cache-clear' } : undefined;
    default:
      return undefined;
  }
}

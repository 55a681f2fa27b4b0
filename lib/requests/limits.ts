/**
 * What a person may send, in characters: one source for the chat, the Mini App's API and its page
 * (which bundles this file, so it imports nothing).
 */
export const DESCRIPTION_MIN = 10;
export const DESCRIPTION_MAX = 2000;
/** Longest comment text: one Telegram message leaves room for the thread's header. */
export const MAX_COMMENT_LENGTH = 4000;
/** Longest reason (cancel, reopen) or rating comment we send. */
export const MAX_REASON_LENGTH = 1000;
/**
 * Longest text of an agent's comment the backend may send to /api/notify (and store), in bytes of
 * UTF-8: what fits the notify body (16 KB) beside the event's other fields. The bot sends a long
 * text as several messages, never shortened.
 */
export const MAX_AGENT_TEXT_BYTES = 12 * 1024;

import { MAX_LOCATION_LENGTH } from '../backend/schemas.js';

/**
 * The `/start` payload of a deep link that opens a new request for one service, e.g. from a QR
 * poster on a door, a lift or a machine (`https://t.me/<bot>?start=<payload>`):
 *
 *     n<type>-<side>-<category>[-<location>]       n1-10-100-QnVpbGRpbmcgMywgbGlmdCBC
 *
 * Ids are decimal catalogue ids. The optional location (up to 32 characters) is base64url of its
 * windows-1251 bytes: one byte per Latin or Cyrillic character, so 32 of them take 43 characters
 * and the payload stays within Telegram's 64 characters of `A-Za-z0-9_-`. The leading `n` names the
 * kind of link, so other kinds can be added without mistaking old posters for them.
 */
export interface StartPayload {
  readonly typeId: number;
  readonly sideId: number;
  readonly categoryId: number;
  readonly location?: string;
}

/** Telegram's limit for a deep-link parameter. */
export const MAX_START_PAYLOAD_LENGTH = 64;

export type StartPayloadProblem = 'location-too-long' | 'location-unsupported' | 'payload-too-long';

/** A payload that cannot be made: the location does not fit or has characters the code page lacks. */
export class StartPayloadError extends Error {
  override readonly name = 'StartPayloadError';
  constructor(readonly problem: StartPayloadProblem) {
    super(`cannot make a start payload: ${problem}`);
  }
}

const PAYLOAD = /^n([1-9]\d{0,9})-([1-9]\d{0,9})-([1-9]\d{0,9})(?:-([A-Za-z0-9_-]+))?$/;
const CODE_PAGE = 'windows-1251';
// Letters, digits, punctuation, symbols and the plain space: no control characters, no invisible ones.
const VISIBLE = /^[\p{L}\p{N}\p{P}\p{S} ]$/u;

/** windows-1251 byte of each character it encodes; built once per instance (256 entries). */
const BYTE_OF: ReadonlyMap<string, number> = (() => {
  const decoder = new TextDecoder(CODE_PAGE);
  const map = new Map<string, number>();
  for (let byte = 0x20; byte <= 0xff; byte++) {
    const char = decoder.decode(Uint8Array.of(byte));
    if (VISIBLE.test(char)) map.set(char, byte);
  }
  return map;
})();

/** Trims and collapses white space, as the location is printed and shown. */
export function normalizeLocation(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

/** Why a location cannot travel in a link, or undefined when it can. */
export function locationProblem(location: string): StartPayloadProblem | undefined {
  const chars = [...normalizeLocation(location)];
  if (chars.length === 0 || chars.some((char) => !BYTE_OF.has(char))) return 'location-unsupported';
  return chars.length > MAX_LOCATION_LENGTH ? 'location-too-long' : undefined;
}

/** The payload for a service (and a location); throws `StartPayloadError` when it cannot be made. */
export function encodeStartPayload(payload: StartPayload): string {
  const ids = `n${payload.typeId}-${payload.sideId}-${payload.categoryId}`;
  if (!PAYLOAD.test(ids)) throw new RangeError('catalogue ids must be whole numbers from 1 to 9999999999');
  let text = ids;
  if (payload.location !== undefined) {
    const location = normalizeLocation(payload.location);
    const problem = locationProblem(location);
    if (problem) throw new StartPayloadError(problem);
    const bytes = Uint8Array.from([...location], (char) => BYTE_OF.get(char) ?? 0);
    text += `-${Buffer.from(bytes).toString('base64url')}`;
  }
  if (text.length > MAX_START_PAYLOAD_LENGTH) throw new StartPayloadError('payload-too-long');
  return text;
}

/** Reads a payload; anything malformed, over-long, or with a location it cannot read gives `undefined`. */
export function decodeStartPayload(text: string): StartPayload | undefined {
  if (text.length > MAX_START_PAYLOAD_LENGTH) return undefined;
  const match = PAYLOAD.exec(text);
  if (!match) return undefined;
  const [, type, side, category, encoded] = match;
  const ids = { typeId: Number(type), sideId: Number(side), categoryId: Number(category) };
  if (encoded === undefined) return ids;
  const bytes = Buffer.from(encoded, 'base64url');
  // Node skips what is not base64url; only the canonical form of the bytes is the location.
  if (bytes.length === 0 || bytes.toString('base64url') !== encoded) return undefined;
  const location = new TextDecoder(CODE_PAGE).decode(bytes);
  if (location !== normalizeLocation(location) || locationProblem(location) !== undefined) return undefined;
  return { ...ids, location };
}

/** The link people open (or scan): Telegram opens the chat and sends `/start <payload>`. */
export function deepLink(botUsername: string, payload: string): string {
  return `https://t.me/${botUsername}?start=${payload}`;
}

/**
 * The Mini App's link with the same payload (`t.me/<bot>/<app>?startapp=<payload>`): Telegram opens
 * the app (the short name given to @BotFather /newapp) at the description step of that service.
 */
export function miniAppLink(botUsername: string, shortName: string, payload: string): string {
  return `https://t.me/${botUsername}/${shortName}?startapp=${payload}`;
}

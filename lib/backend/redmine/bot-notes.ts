/**
 * What the bot writes into Redmine text (a description or a note): the person's words, then a
 * footer after a `---` line with `Key: value` lines an agent can read and the bot can parse back.
 * `Ref` is the Idempotency-Key: the marker found after an unknown outcome. `Kind` says what a note
 * of the bot is (a comment, a rating, a cancellation's reason).
 */
export type BotNoteKind = 'comment' | 'cancel' | 'cancel-reason' | 'confirm' | 'reopen' | 'rating' | 'rating-comment' | 'request';

export interface BotText {
  readonly text: string;
  readonly fields: Readonly<Record<string, string>>;
}

const SEPARATOR = '\n\n---\n';
const FIELD_LINE = /^([A-Z][A-Za-z ]{0,30}): (.*)$/;

/** `text` with the footer; fields with an undefined value are left out. */
export function writeBotText(text: string, fields: Readonly<Record<string, string | undefined>>): string {
  const lines = Object.entries(fields)
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .map(([name, value]) => `${name}: ${value.replace(/\s+/g, ' ')}`);
  return lines.length === 0 ? text : `${text}${SEPARATOR}${lines.join('\n')}`;
}

/** The person's words and the footer's fields; text without a footer is all words. */
export function readBotText(raw: string): BotText {
  const normalized = raw.replace(/\r\n/g, '\n');
  const at = normalized.lastIndexOf(SEPARATOR);
  if (at < 0) return { text: normalized, fields: {} };
  const footer = normalized.slice(at + SEPARATOR.length).split('\n');
  const fields: Record<string, string> = {};
  for (const line of footer) {
    const match = FIELD_LINE.exec(line.trim());
    if (match === null) return { text: normalized, fields: {} };
    fields[match[1] as string] = match[2] as string;
  }
  return { text: normalized.slice(0, at), fields };
}

/** The text a bot note names its key with (a substring search finds it in journals and descriptions). */
export function refLine(key: string): string {
  return `Ref: ${key}`;
}

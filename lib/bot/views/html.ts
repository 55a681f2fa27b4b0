/** Telegram HTML parse mode needs only these three escaped; everything from people or the backend goes through it. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The text escaped and, when that is longer than `room` characters, shortened (at a character,
 * never inside an HTML entity) and followed by `shortened`: Telegram's message limit counts what we send.
 */
export function escapeHtmlWithin(text: string, room: number, shortened: string): string {
  const escaped = escapeHtml(text);
  if (escaped.length <= room) return escaped;
  const chars = [...text];
  let low = 0;
  let high = chars.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (escapeHtml(chars.slice(0, mid).join('')).length + shortened.length <= room) low = mid;
    else high = mid - 1;
  }
  return escapeHtml(chars.slice(0, low).join('')) + shortened;
}

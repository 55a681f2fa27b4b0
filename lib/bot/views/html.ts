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

/**
 * The text escaped and split into parts of at most `room` characters each (as sent), in order and
 * whole: nothing is left out. A part ends at a line break, else at a space, in its second half
 * when there is one; else at a character (never inside an HTML entity).
 */
export function escapeHtmlInParts(text: string, room: number): string[] {
  if (room < 8) throw new RangeError(`room for a part must be at least 8 characters, got ${room}`);
  const parts: string[] = [];
  let rest = [...text];
  while (rest.length > 0) {
    const whole = escapeHtml(rest.join(''));
    if (whole.length <= room) {
      parts.push(whole);
      break;
    }
    // The longest prefix that fits, found by halving (escaping only grows a text).
    let low = 1;
    let high = rest.length;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (escapeHtml(rest.slice(0, mid).join('')).length <= room) low = mid;
      else high = mid - 1;
    }
    const fits = rest.slice(0, low);
    const breakAt = Math.max(fits.lastIndexOf('\n'), -1);
    const spaceAt = fits.lastIndexOf(' ');
    const cut = breakAt >= low / 2 ? breakAt + 1 : spaceAt >= low / 2 ? spaceAt + 1 : low;
    parts.push(escapeHtml(rest.slice(0, cut).join('')));
    rest = rest.slice(cut);
  }
  return parts;
}

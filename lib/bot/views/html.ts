/** Telegram HTML parse mode needs only these three escaped; everything from people or the backend goes through it. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

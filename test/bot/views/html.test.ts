import { describe, expect, test } from 'vitest';
import { escapeHtml, escapeHtmlInParts } from '../../../lib/bot/views/html.js';

const unescape = (html: string) => html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('escapeHtmlInParts', () => {
  test('a text that fits is one part, escaped', () => {
    expect(escapeHtmlInParts('a < b & c', 100)).toEqual([escapeHtml('a < b & c')]);
  });

  test.each([
    ['spaces', Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ')],
    ['lines', Array.from({ length: 300 }, (_, i) => `line ${i} <&>`).join('\n')],
    ['no breaks, all escaped', '<&>'.repeat(500)],
    ['emoji and Cyrillic', 'Кран течёт 🚰 & капает '.repeat(80)],
  ])('%s: whole, in order, every part within room, no entity split', (_, text) => {
    const room = 200;
    const parts = escapeHtmlInParts(text, room);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(room);
      expect(part).not.toMatch(/&(?!lt;|gt;|amp;)/);
    }
    expect(parts.map(unescape).join('')).toBe(text);
  });
});

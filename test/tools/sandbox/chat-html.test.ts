import { describe, expect, it } from 'vitest';
import { chatPageHtml, chatState } from '../../../tools/sandbox/chat-html.js';
import type { TranscriptEntry } from '../../../tools/sandbox/render.js';

function message(messageId: number, html: string, extra: Partial<Extract<TranscriptEntry, { kind: 'message' }>> = {}): TranscriptEntry {
  return { kind: 'message', messageId, edited: false, html, text: html, photo: false, buttons: [], ...extra };
}

describe('the chat as Telegram shows it at the end', () => {
  it('changes an edited message in place, drops a deleted one, and leaves no bubble for a tap', () => {
    const state = chatState([
      { turn: { kind: 'typed', text: '/start' }, entries: [message(1, 'Hello'), message(2, 'Old news')] },
      { turn: { kind: 'other' }, entries: [{ kind: 'you', text: 'you tapped [1] New request' }, message(1, 'Step 1', { edited: true })] },
      { turn: { kind: 'other' }, entries: [{ kind: 'deleted', messageId: 2 }, { kind: 'toast', text: 'Done', alert: false }] },
    ]);
    expect(state.bubbles).toEqual([
      { from: 'person', text: '/start' },
      { from: 'bot', messageId: 1, html: 'Step 1', photo: false, buttons: [] },
    ]);
  });

  it("shows a shared contact as the person's bubble and keeps the reply keyboard only while its message is the newest", () => {
    const keyboard = [[{ label: 'Share my phone number', requestContact: true }]];
    const asked = chatState([{ turn: { kind: 'other' }, entries: [message(3, 'Can we call you?', { replyKeyboard: keyboard })] }]);
    expect(asked.replyKeyboard).toEqual(keyboard);

    const answered = chatState([
      { turn: { kind: 'other' }, entries: [message(3, 'Can we call you?', { replyKeyboard: keyboard })] },
      { turn: { kind: 'other' }, entries: [{ kind: 'you', text: 'you shared your phone number +15555550123' }, message(4, 'Phone number added.')] },
    ]);
    expect(answered.replyKeyboard).toBeUndefined();
    expect(answered.bubbles[1]).toEqual({ from: 'person', text: '📞 +15555550123' });
  });

  it("escapes what the person typed and button labels, and keeps the bot's Telegram HTML as sent", () => {
    const html = chatPageHtml(
      chatState([
        { turn: { kind: 'typed', text: '<script>alert(1)</script>' }, entries: [message(1, '<b>Type:</b> Repair', { buttons: [[{ number: 1, label: 'A & <B>' }]] })] },
      ]),
      { title: 'Service desk', lang: 'en' },
    );
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<b>Type:</b> Repair');
    expect(html).toContain('A &amp; &lt;B&gt;');
  });
});

import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeQrPng } from '../../support/qr.js';
import { htmlToText, numberInlineButtons, renderEntry, replyKeyboardOf } from '../../../tools/sandbox/render.js';
import { startSandbox, type Sandbox, type TranscriptEntry } from '../../../tools/sandbox/sandbox.js';

type MessageEntry = Extract<TranscriptEntry, { kind: 'message' }>;

const messagesIn = (entries: readonly TranscriptEntry[]) => entries.filter((entry): entry is MessageEntry => entry.kind === 'message');
const errorsIn = (entries: readonly TranscriptEntry[]) => entries.filter((entry) => entry.kind === 'error');
const textOf = (entries: readonly TranscriptEntry[]) => messagesIn(entries).map((message) => message.text).join('\n');

/** Plays the person: remembers the newest buttons shown, and taps them by label. */
function person(sandbox: Sandbox) {
  let screen: MessageEntry | undefined;
  const seen = (entries: TranscriptEntry[]) => {
    screen = messagesIn(entries).filter((message) => message.buttons.length > 0).at(-1) ?? screen;
    return entries;
  };
  return {
    send: async (input: string) => seen(await sandbox.send(input)),
    collect: () => seen(sandbox.collect()),
    /** Sends the number of the button whose label matches, as a person reading the screen would. */
    async tap(label: RegExp) {
      const button = screen?.buttons.flat().find((b) => label.test(b.label));
      if (!button) throw new Error(`no button ${String(label)} on the screen: ${JSON.stringify(screen)}`);
      return seen(await sandbox.send(String(button.number)));
    },
  };
}

describe('sandbox', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());

  test('a whole request: catalogue, description, contact, confirm, My requests, a status notification', async () => {
    const you = person(sandbox);
    const all: TranscriptEntry[] = [];
    const step = async (entries: Promise<TranscriptEntry[]> | TranscriptEntry[]) => {
      const got = await entries;
      all.push(...got);
      return got;
    };

    const welcome = await step(you.send('/start'));
    expect(textOf(welcome)).toContain('Hello, Alex!');
    expect(messagesIn(welcome)[0]?.buttons.flat().map((b) => `[${b.number}] ${b.label}`)).toEqual([
      '[1] 📝 New request',
      '[2] 📋 My requests',
      '[3] ❓ Help',
      // The sandbox serves the Mini App, so the menu opens it.
      '[4] 📱 Open the app',
    ]);

    const types = await step(you.tap(/New request/));
    expect(types).toContainEqual({ kind: 'you', text: 'you tapped [1] 📝 New request' });
    expect(messagesIn(types)).toEqual([expect.objectContaining({ edited: true, text: expect.stringContaining('choose the request type') })]);
    await step(you.tap(/^Repair$/));
    await step(you.tap(/^Individual$/));
    const described = await step(you.tap(/^Plumbing$/));
    expect(textOf(described)).toContain('describe the problem');

    const photo = await step(you.send('The kitchen tap drips all night long'));
    expect(messagesIn(photo)).toEqual([expect.objectContaining({ edited: false, text: expect.stringContaining('add a photo') })]);

    const contact = await step(you.tap(/Skip/));
    const keyboard = messagesIn(contact).at(-1)?.replyKeyboard?.flat();
    expect(keyboard).toContainEqual({ label: '📱 Share my phone number', requestContact: true });

    const summary = await step(you.send('/contact'));
    expect(summary[0]).toEqual({ kind: 'you', text: `you shared your phone number ${sandbox.person.phone}` });
    expect(textOf(summary)).toContain('Phone: shared');
    expect(textOf(summary)).not.toContain('<b>');

    const confirmed = await step(you.tap(/Confirm/));
    expect(confirmed).toContainEqual({ kind: 'toast', text: '⏳ Sending your request…', alert: false });
    const number = /Your request (SR-\d+) has been created/.exec(textOf(confirmed))?.[1];
    expect(number).toMatch(/^SR-\d+$/);

    const list = await step(you.tap(/My requests/));
    expect(messagesIn(list)[0]?.buttons.flat().map((b) => b.label)).toContain(`${number} · New · Plumbing`);

    // The demo backend moves the request on and POSTs to /api/notify; the bot tells the person.
    let woken = 0;
    const stop = sandbox.onActivity(() => woken++);
    const moved = await sandbox.backend.advanceStatuses();
    stop();
    expect(moved.map((n) => [n.number, n.status])).toEqual([[number, 'in_progress']]);
    expect(woken).toBeGreaterThan(0);
    const arrived = await step(you.collect());
    expect(arrived[0]).toEqual({ kind: 'notice', text: `demo backend: ${number} is now in_progress` });
    expect(textOf(arrived)).toContain(`Your request ${number} is now: In progress.`);

    const details = await step(you.tap(new RegExp(`View ${number}`)));
    expect(textOf(details)).toContain(`Request ${number}`);
    expect(textOf(details)).toContain('Status: In progress');

    expect(errorsIn(all)).toEqual([]);
    expect(sandbox.botApi.calls.filter((call) => (call.status ?? 0) >= 400)).toEqual([]);
  });

  test('typing the contact button of the reply keyboard shares the contact; /photo sends a photo', async () => {
    const you = person(sandbox);
    await you.send('/new');
    await you.tap(/^Repair$/);
    await you.tap(/^Business$/);
    await you.tap(/^Lifts$/);
    await you.send('The goods lift stops between floors');
    const photo = await you.send('/photo');
    expect(photo[0]).toEqual({ kind: 'you', text: 'you sent a photo' });
    expect(textOf(photo)).toContain('Photo added');
    const summary = await you.send('📱 Share my phone number');
    expect(summary[0]).toEqual({ kind: 'you', text: `you shared your phone number ${sandbox.person.phone}` });
    expect(textOf(summary)).toContain('Files: 1');
    expect(textOf(summary)).toContain('Phone: shared');
    expect(errorsIn(summary)).toEqual([]);
  });

  test('the two-way loop offline: /agent --file, /swipe, Reply and /document', async () => {
    const you = person(sandbox);
    await you.send('/new');
    await you.tap(/Repair/);
    await you.tap(/Individual/);
    await you.tap(/Plumbing/);
    await you.send('The bathroom tap drips all night long');
    await you.tap(/Skip/);
    await you.send('Skip ⏭');
    await you.tap(/Confirm/);
    const asked = await you.send('/agent --file Which floor is it on?');
    expect(errorsIn(asked)).toEqual([]);
    expect(textOf(asked)).toContain('Which floor is it on?');
    expect(messagesIn(asked).map((m) => (m.photo ? 'photo' : (m.document ?? 'text')))).toEqual(['text', 'inspection-report.pdf', 'photo']);
    const swiped = await you.send('/swipe Second floor, flat 12');
    expect(textOf(swiped)).toContain('Added to');
    expect(textOf(swiped)).toContain('Second floor, flat 12');
    await you.send('/agent Thanks, we come at 9.');
    await you.tap(/Reply/);
    const documented = await you.send('/document');
    expect(errorsIn(documented)).toEqual([]);
    expect(textOf(documented)).toContain('📎 report.pdf');
  });

  test('issue 11: /start <payload> as typed, /resolve, Solved and a rating; /link saves its QR poster to a file', async () => {
    const you = person(sandbox);
    const link = await you.send('/start n1-10-100-QnVpbGRpbmcgMywgbGlmdCBC');
    expect(textOf(link)).toContain('Location: Building 3, lift B');
    await you.send('The lift door does not close at all');
    await you.tap(/Skip/);
    await you.send('/contact');
    const confirmed = await you.send(String(1));
    const number = /Your request (SR-\d+) has been created/.exec(textOf(confirmed))?.[1];
    expect(number).toMatch(/^SR-\d+$/);
    expect(sandbox.backend.requests().find((request) => request.number === number)?.location).toBe('Building 3, lift B');

    const resolved = await you.send('/resolve');
    expect(resolved[0]).toEqual({ kind: 'notice', text: `demo backend: ${number} is now resolved` });
    expect(messagesIn(resolved).at(-1)?.buttons.flat().map((b) => b.label)).toEqual([`🔎 View ${number}`, '✅ Solved', '↩️ Still a problem']);
    await you.tap(/Solved/);
    const thanks = await you.tap(/^4⭐$/);
    expect(textOf(thanks)).toContain(`Thank you! Your rating of ${number}: ⭐⭐⭐⭐`);
    expect(sandbox.backend.requests().find((request) => request.number === number)?.rating?.score).toBe(4);
    await you.tap(/Skip/);
    // Earlier tests left requests in progress: /resolve takes the newest of them, one at a time, then says none is left.
    let last: TranscriptEntry[] = [];
    for (let i = 0; i < 5 && !(last[0]?.kind === 'notice' && last[0].text.includes('no request')); i++) last = await you.send('/resolve');
    expect(last).toEqual([{ kind: 'notice', text: 'demo backend: no request in progress to resolve' }]);

    await you.send('/link');
    await you.tap(/^Repair$/);
    await you.tap(/^Individual$/);
    await you.tap(/^Plumbing$/);
    const poster = await you.send('Building 3, lift B');
    const saved = poster.find((entry) => entry.kind === 'notice' && entry.text.startsWith('the photo is saved as '));
    const path = saved?.kind === 'notice' ? saved.text.replace('the photo is saved as ', '') : '';
    expect(decodeQrPng(await readFile(path))).toBe('https://t.me/service_desk_test_bot?start=n1-10-100-QnVpbGRpbmcgMywgbGlmdCBC');
    expect(errorsIn([...link, ...confirmed, ...resolved, ...thanks, ...poster])).toEqual([]);
  });

  test('a number that is no button is an error and sends nothing', async () => {
    await sandbox.send('/start');
    const calls = sandbox.botApi.calls.length;
    const entries = await sandbox.send('42');
    expect(entries).toEqual([{ kind: 'error', text: 'there is no button [42]: the newest message with buttons has [1] to [4]' }]);
    expect(sandbox.botApi.calls.length).toBe(calls);
  });

  test('a Bot API call the sandbox cannot serve comes back as an error entry', async () => {
    sandbox.collect();
    const telegram = sandbox.app.bot.telegram;
    await telegram.callApi('sendDice', { chat_id: sandbox.person.id }).catch(() => undefined);
    expect(sandbox.collect()).toEqual([
      { kind: 'error', text: 'the sandbox Bot API could not serve sendDice: 404 Not Found: method not found' },
    ]);
  });

  test('an error the bot logs comes back as an error entry', async () => {
    sandbox.backend.setFault('GET /requests', '500');
    try {
      const entries = await sandbox.send('/my');
      expect(textOf(entries)).toContain('cannot be loaded');
      expect(errorsIn(entries)).toContainEqual({ kind: 'error', text: expect.stringContaining('the bot logged an error: listing requests failed') });
    } finally {
      sandbox.backend.setFault('GET /requests', 'none');
    }
  });
});

describe('render', () => {
  test('Telegram HTML becomes readable text; bold only when asked', () => {
    const html = '<b>Request SR-1</b> &amp; <i>more</i>: a &lt;tag&gt; &#128512; <a href="https://example.test">link</a>';
    expect(htmlToText(html)).toBe('Request SR-1 & more: a <tag> 😀 link (https://example.test)');
    expect(htmlToText('<b>bold</b> plain', { bold: true })).toBe('\u001b[1mbold\u001b[22m plain');
  });

  test('inline buttons are numbered row by row; reply keyboards are read', () => {
    const markup = { inline_keyboard: [[{ text: 'A', callback_data: 'a' }], [{ text: 'B', callback_data: 'b' }, { text: 'Site', url: 'https://x.test' }]] };
    expect(numberInlineButtons(markup)).toEqual([
      [{ number: 1, label: 'A', callbackData: 'a' }],
      [{ number: 2, label: 'B', callbackData: 'b' }, { number: 3, label: 'Site', url: 'https://x.test' }],
    ]);
    expect(replyKeyboardOf({ keyboard: [[{ text: 'Phone', request_contact: true }], ['Skip']] })).toEqual([
      [{ label: 'Phone', requestContact: true }],
      [{ label: 'Skip', requestContact: false }],
    ]);
    expect(replyKeyboardOf(markup)).toBeUndefined();
  });

  test('a message shows as its text with its buttons; edits are marked', () => {
    const lines = renderEntry({
      kind: 'message',
      messageId: 3,
      edited: true,
      html: '<b>Menu</b>\nChoose:',
      text: 'Menu\nChoose:',
      photo: false,
      buttons: numberInlineButtons({ inline_keyboard: [[{ text: 'New', callback_data: 'n' }, { text: 'Mine', callback_data: 'm' }]] }),
    });
    expect(lines).toEqual(['bot (edited): Menu', '    Choose:', '    [1] New  [2] Mine']);
    expect(renderEntry({ kind: 'toast', text: 'Saved', alert: false })).toEqual(['  [toast] Saved']);
  });
});

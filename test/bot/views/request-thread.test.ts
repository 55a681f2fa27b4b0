import { describe, expect, test } from 'vitest';
import type { RequestDetails } from '../../../lib/backend/schemas.js';
import { messages } from '../../../lib/i18n/index.js';
import { MAX_FILE_BUTTONS, MESSAGE_LIMIT, renderRequestPage } from '../../../lib/bot/views/request-thread.js';

const t = messages('en');

function details(comments: RequestDetails['comments']): RequestDetails {
  return {
    id: 'req-1',
    number: 'SR-1042',
    status: 'waiting_for_customer',
    category_name: 'Plumbing',
    created_at: '2026-11-01T08:00:00.000Z',
    updated_at: '2026-11-30T08:00:00.000Z',
    status_history: [
      { status: 'new', at: '2026-11-01T08:00:00.000Z', comment: undefined },
      { status: 'waiting_for_customer', at: '2026-11-01T09:00:00.000Z', comment: 'Which floor is it on?' },
    ],
    telegram_user_id: 1,
    description: undefined,
    request_type_name: undefined,
    side_name: undefined,
    attachments: undefined,
    comments,
  };
}

function comment(i: number, text: string, files = 0): RequestDetails['comments'][number] {
  return {
    id: `c${i}`,
    author: i % 2 === 0 ? 'agent' : 'customer',
    author_name: i % 2 === 0 ? 'Anna <Support> & Co' : undefined,
    text,
    attachments: Array.from({ length: files }, (_, f) => ({ url: `https://files.example/${i}-${f}.pdf`, file_name: `report-${i}-${f}.pdf`, mime_type: 'application/pdf' })),
    at: new Date(Date.UTC(2026, 10, 2) + i * 60_000).toISOString(),
  };
}

/** Every page, oldest first, as the person would page through them with Older. */
function allPages(d: RequestDetails, notice?: string) {
  const first = renderRequestPage(t, 'en', d, 0, notice);
  return Array.from({ length: first.pages }, (_, i) => renderRequestPage(t, 'en', d, first.pages - 1 - i, notice));
}

describe('the thread, page by page', () => {
  test('200 comments: every page within 4096 characters, every comment exactly once, newest last', () => {
    const d = details(Array.from({ length: 200 }, (_, i) => comment(i, `Comment number ${i} & <some> detail: ${'x'.repeat(i % 7 === 0 ? 900 : 60)}`)));
    const pages = allPages(d);
    expect(pages.length).toBeGreaterThan(5);
    for (const page of pages) expect(page.text.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    const seen = pages.flatMap((page) => [...page.text.matchAll(/Comment number (\d+) /g)].map((m) => Number(m[1])));
    expect(seen).toEqual(Array.from({ length: 200 }, (_, i) => i));
    // The newest page is page 0 and it ends with the newest comment.
    expect(renderRequestPage(t, 'en', d, 0).text.trimEnd().endsWith('x'.repeat(60))).toBe(true);
    expect(pages.at(-1)?.index).toBe(0);
  });

  test('a comment longer than a page is shortened, never cut inside an HTML entity', () => {
    const d = details([comment(1, '&'.repeat(4000))]);
    const page = renderRequestPage(t, 'en', d, 0, '✅ Added to <b>SR-1042</b>.');
    expect(page.text.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(page.text).toContain(t.threadShortened);
    expect(page.text).not.toMatch(/&(?!amp;|lt;|gt;)/);
  });

  test('names and texts from either side are escaped', () => {
    const page = renderRequestPage(t, 'en', details([comment(2, 'Is it <b>fixed</b>?')]), 0);
    expect(page.text).toContain('Anna &lt;Support&gt; &amp; Co');
    expect(page.text).toContain('Is it &lt;b&gt;fixed&lt;/b&gt;?');
  });

  test('no page carries more file buttons than fit under it', () => {
    const d = details(Array.from({ length: 12 }, (_, i) => comment(i, `with files ${i}`, 3)));
    const pages = allPages(d);
    for (const page of pages) expect(page.files.length).toBeLessThanOrEqual(MAX_FILE_BUTTONS);
    expect(pages.flatMap((page) => page.files)).toHaveLength(36);
  });

  test('a page number past the end shows the oldest page', () => {
    const d = details(Array.from({ length: 200 }, (_, i) => comment(i, `Comment number ${i} ${'y'.repeat(200)}`)));
    const oldest = renderRequestPage(t, 'en', d, 999);
    expect(oldest.index).toBe(oldest.pages - 1);
    expect(oldest.text).toContain('Comment number 0 ');
  });
});

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { cursorFitsInButton, decodeCallback, encodeCallback, isStateless, requestAction, type CallbackAction } from '../../lib/bot/callback-data.js';

const id = fc.integer({ min: 1, max: 9_999_999_999 });
const lang = fc.constantFrom('en' as const, 'ru' as const);
const draftId = fc.stringMatching(/^[A-Za-z0-9_-]{12}$/);
const requestId = fc.oneof(fc.uuid(), fc.stringMatching(/^[A-Za-z0-9_-]{1,48}$/));
const cursor = fc.stringMatching(/^[A-Za-z0-9_.=+/-]{1,56}$/);
const action: fc.Arbitrary<CallbackAction> = fc.oneof(
  lang.map((l) => ({ kind: 'menu', lang: l }) as const),
  lang.map((l) => ({ kind: 'types', lang: l }) as const),
  fc.tuple(lang, id).map(([l, typeId]) => ({ kind: 'sides', lang: l, typeId }) as const),
  fc.tuple(lang, id, id, fc.integer({ min: 0, max: 999 })).map(([l, typeId, sideId, page]) => ({ kind: 'categories', lang: l, typeId, sideId, page }) as const),
  fc.tuple(lang, fc.uuid()).map(([l, requestId]) => ({ kind: 'request', lang: l, requestId }) as const),
  fc.tuple(id, id, id).map(([typeId, sideId, categoryId]) => ({ kind: 'pick', typeId, sideId, categoryId }) as const),
  draftId.map((d) => ({ kind: 'confirm', draftId: d }) as const),
  fc.tuple(draftId, fc.stringMatching(/^[a-z_]{1,16}$/)).map(([d, step]) => ({ kind: 'skip', draftId: d, step }) as const),
  fc.tuple(draftId, fc.stringMatching(/^[a-z_]{1,16}$/)).map(([d, step]) => ({ kind: 'back', draftId: d, step }) as const),
  draftId.map((d) => ({ kind: 'edit', draftId: d }) as const),
  fc.constant({ kind: 'cancel' } as const),
  draftId.map((d) => ({ kind: 'cancel', draftId: d }) as const),
  // Issue 11: lifecycle, paging, /link. Request ids up to 48 characters, as the contract allows.
  fc.tuple(lang, fc.boolean()).map(([l, openOnly]) => ({ kind: 'requests-page', lang: l, openOnly }) as const),
  fc.tuple(lang, fc.boolean(), cursor).map(([l, openOnly, c]) => ({ kind: 'requests-page', lang: l, openOnly, cursor: c }) as const),
  fc.tuple(lang, fc.boolean(), fc.stringMatching(/^[A-Za-z0-9_-]{12}$/)).map(
    ([l, openOnly, cursorRef]) => ({ kind: 'requests-page', lang: l, openOnly, cursorRef }) as const,
  ),
  fc.tuple(lang, requestId).map(([l, r]) => ({ kind: 'cancel-ask', lang: l, requestId: r }) as const),
  requestId.map((r) => ({ kind: 'cancel-yes', requestId: r }) as const),
  requestId.map((r) => ({ kind: 'cancel-send', requestId: r }) as const),
  requestId.map((r) => ({ kind: 'solved', requestId: r }) as const),
  requestId.map((r) => ({ kind: 'reopen', requestId: r }) as const),
  fc.tuple(requestId, fc.integer({ min: 1, max: 5 })).map(([r, score]) => ({ kind: 'rate', requestId: r, score }) as const),
  requestId.map((r) => ({ kind: 'rate-send', requestId: r }) as const),
  fc.constant({ kind: 'drop-pending' } as const),
  lang.map((l) => ({ kind: 'link-types', lang: l }) as const),
  fc.tuple(lang, id).map(([l, typeId]) => ({ kind: 'link-sides', lang: l, typeId }) as const),
  fc.tuple(lang, id, id, fc.integer({ min: 0, max: 999 })).map(([l, typeId, sideId, page]) => ({ kind: 'link-categories', lang: l, typeId, sideId, page }) as const),
  fc.tuple(id, id, id).map(([typeId, sideId, categoryId]) => ({ kind: 'link-pick', typeId, sideId, categoryId }) as const),
  fc.constant({ kind: 'link-skip' } as const),
  fc.tuple(id, id, id).map(([typeId, sideId, categoryId]) => ({ kind: 'link-back', typeId, sideId, categoryId }) as const),
  fc.constant({ kind: 'cache-keep' } as const),
  // Where messages and taps go: catalogue buttons shown with a draft, the draft's own buttons.
  lang.map((l) => ({ kind: 'types', lang: l, draft: true }) as const),
  fc.tuple(lang, id).map(([l, typeId]) => ({ kind: 'sides', lang: l, typeId, draft: true }) as const),
  fc.tuple(lang, id, id, fc.integer({ min: 0, max: 999 })).map(([l, typeId, sideId, page]) => ({ kind: 'categories', lang: l, typeId, sideId, page, draft: true }) as const),
  draftId.map((d) => ({ kind: 'continue', draftId: d }) as const),
  draftId.map((d) => ({ kind: 'discard', draftId: d }) as const),
  draftId.map((d) => ({ kind: 'cancel', draftId: d }) as const),
  fc.tuple(draftId, fc.boolean()).map(([d, replace]) => ({ kind: 'replace-description', draftId: d, replace }) as const),
  fc.tuple(draftId, fc.stringMatching(/^[a-z_]{1,16}$/)).map(([d, step]) => ({ kind: 'keep', draftId: d, step }) as const),
  // A request's button that remembers its page of My requests, as far as it fits.
  fc
    .tuple(lang, requestId, fc.integer({ min: 0, max: 999 }), fc.boolean(), fc.option(cursor, { nil: undefined }))
    .map(([l, r, page, openOnly, c]) => requestAction(l, r, { page, list: { openOnly, ...(c !== undefined && { cursor: c }) } })),
);

describe('callback data', () => {
  test('every action round-trips within 64 bytes', () => {
    fc.assert(
      fc.property(action, (a) => {
        const data = encodeCallback(a);
        expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
        expect(decodeCallback(data)).toEqual(a);
      }),
      { numRuns: 500 },
    );
  });

  test('forged, truncated or foreign data decodes to nothing', () => {
    for (const data of ['', 'x:1', 's:en', 's:de:1', 'c:en:1:10', 'p:0:1:1', 'p:1:1:1:1', 'ok:a', 'ok:' + 'a'.repeat(30), 'd:en:../etc', 'zz', 'x'.repeat(65)]) {
      expect(decodeCallback(data)).toBeUndefined();
    }
  });

  test("yesterday's buttons still work: Skip on the photo prompt before the step list", () => {
    expect(decodeCallback('sp:abcdef123456')).toEqual({ kind: 'skip', draftId: 'abcdef123456', step: 'photo' });
    expect(decodeCallback('ed:abcdef123456')).toEqual({ kind: 'edit', draftId: 'abcdef123456' });
    for (const data of ['sk:abcdef123456', 'sk:abcdef123456:Photo', 'bk:abcdef123456:photo:1', 'sk::photo']) expect(decodeCallback(data)).toBeUndefined();
  });

  test('lifecycle data: forged, truncated or out of range decodes to nothing', () => {
    for (const data of ['rt:abc:0', 'rt:abc:6', 'rt:abc', 'rt::3', 'sv:', 'sv:a:b', 'cy:' + 'a'.repeat(49), 'ca:de:abc', 'rp:en', 'rp:en:x', 'rp:en:o:~short', 'rp:en:o:a:b', 'dp:1', 'lk:1', 'lp:1:10', 'lc:en:1:10']) {
      expect(decodeCallback(data), data).toBeUndefined();
    }
  });

  test('a cursor rides in the button only when it fits; the page buttons stay stateless, the actions do not', () => {
    expect(cursorFitsInButton('czI0')).toBe(true);
    expect(cursorFitsInButton('a'.repeat(56))).toBe(true);
    expect(cursorFitsInButton('a'.repeat(57))).toBe(false);
    expect(cursorFitsInButton('has:colon')).toBe(false);
    expect(cursorFitsInButton('~starts-with-tilde')).toBe(false);
    expect(isStateless({ kind: 'requests-page', lang: 'en', openOnly: true, cursor: 'czI0' })).toBe(true);
    expect(isStateless({ kind: 'cancel-ask', lang: 'en', requestId: 'a' })).toBe(true);
    for (const kind of ['cancel-yes', 'cancel-send', 'solved', 'reopen', 'rate-send'] as const) expect(isStateless({ kind, requestId: 'a' })).toBe(false);
    expect(isStateless({ kind: 'rate', requestId: 'a', score: 5 })).toBe(false);
    expect(isStateless({ kind: 'link-pick', typeId: 1, sideId: 10, categoryId: 100 })).toBe(false);
  });

  test('a request remembers its page of My requests: the whole position, else the filter, else nothing', () => {
    const uuid = '0b0e8c3e-4a57-4c2a-9a51-6a0e1f3c2d11';
    expect(encodeCallback(requestAction('en', uuid, { list: { openOnly: true, cursor: 'czI0' } }))).toBe(`d:en:${uuid}:0:oczI0`);
    expect(encodeCallback(requestAction('en', uuid, { page: 2, list: { openOnly: false, cursorRef: 'abcdefgh1234' } }))).toBe(`d:en:${uuid}:2:a~abcdefgh1234`);
    expect(requestAction('en', uuid, { list: { openOnly: true, cursor: 'c'.repeat(40) } })).toEqual({ kind: 'request', lang: 'en', requestId: uuid, list: { openOnly: true } });
    expect(requestAction('en', 'r'.repeat(48), { page: 999, list: { openOnly: true, cursor: 'c'.repeat(20) } })).toEqual({ kind: 'request', lang: 'en', requestId: 'r'.repeat(48), page: 999, list: { openOnly: true } });
    // The newest page of All is the default: nothing to carry, the button is as before.
    expect(encodeCallback(requestAction('en', uuid, { list: { openOnly: false } }))).toBe(`d:en:${uuid}`);
    for (const data of [`d:en:${uuid}:0:x`, `d:en:${uuid}:0:o~short`, `d:en:${uuid}:0:o:extra`]) expect(decodeCallback(data), data).toBeUndefined();
  });

  test('catalogue buttons shown with a draft are stateful; without one they cost nothing', () => {
    expect(encodeCallback({ kind: 'categories', lang: 'en', typeId: 1, sideId: 10, page: 1, draft: true })).toBe('C:en:1:10:1');
    expect(isStateless({ kind: 'categories', lang: 'en', typeId: 1, sideId: 10, page: 1, draft: true })).toBe(false);
    expect(isStateless({ kind: 'types', lang: 'en', draft: true })).toBe(false);
    expect(isStateless({ kind: 'types', lang: 'en' })).toBe(true);
  });

  test('navigation is stateless; draft changes are not', () => {
    expect(isStateless({ kind: 'categories', lang: 'en', typeId: 1, sideId: 2, page: 0 })).toBe(true);
    expect(isStateless({ kind: 'pick', typeId: 1, sideId: 2, categoryId: 3 })).toBe(false);
    expect(isStateless({ kind: 'confirm', draftId: 'abcdef' })).toBe(false);
  });
});

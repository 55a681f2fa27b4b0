import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeCallback, encodeCallback, isStateless, type CallbackAction } from '../../lib/bot/callback-data.js';

const id = fc.integer({ min: 1, max: 9_999_999_999 });
const lang = fc.constantFrom('en' as const, 'ru' as const);
const draftId = fc.stringMatching(/^[A-Za-z0-9_-]{12}$/);
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

  test('navigation is stateless; draft changes are not', () => {
    expect(isStateless({ kind: 'categories', lang: 'en', typeId: 1, sideId: 2, page: 0 })).toBe(true);
    expect(isStateless({ kind: 'pick', typeId: 1, sideId: 2, categoryId: 3 })).toBe(false);
    expect(isStateless({ kind: 'confirm', draftId: 'abcdef' })).toBe(false);
  });
});

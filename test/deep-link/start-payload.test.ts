import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  decodeStartPayload,
  deepLink,
  encodeStartPayload,
  locationProblem,
  MAX_START_PAYLOAD_LENGTH,
  StartPayloadError,
} from '../../lib/deep-link/start-payload.js';

const id = fc.integer({ min: 1, max: 99_999 });
// What a poster says: Latin and Cyrillic letters, digits, spaces and the punctuation of addresses.
const locationChar = fc.constantFrom(...'ABCxyz019 ,.-/#№«»()АБВЖЯабвжяЁё'.split(''));
const location = fc
  .array(locationChar, { minLength: 1, maxLength: 32 })
  .map((chars) => chars.join('').trim().replace(/\s+/g, ' '))
  .filter((text) => text !== '');

describe('start payload', () => {
  test('every service and location round-trips within 64 characters of A-Za-z0-9_-', () => {
    fc.assert(
      fc.property(id, id, id, fc.option(location, { nil: undefined }), (typeId, sideId, categoryId, place) => {
        const payload = encodeStartPayload({ typeId, sideId, categoryId, ...(place !== undefined && { location: place }) });
        expect(payload.length).toBeLessThanOrEqual(MAX_START_PAYLOAD_LENGTH);
        expect(payload).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(decodeStartPayload(payload)).toEqual({ typeId, sideId, categoryId, ...(place !== undefined && { location: place }) });
      }),
      { numRuns: 500 },
    );
  });

  test('the examples of docs/deep-links.md', () => {
    expect(encodeStartPayload({ typeId: 1, sideId: 10, categoryId: 100 })).toBe('n1-10-100');
    expect(encodeStartPayload({ typeId: 1, sideId: 10, categoryId: 100, location: '  Building 3,   lift B ' })).toBe('n1-10-100-QnVpbGRpbmcgMywgbGlmdCBC');
    expect(decodeStartPayload('n1-10-100-yu7w7_PxIDMsIOvo9PIgwQ')).toEqual({ typeId: 1, sideId: 10, categoryId: 100, location: 'Корпус 3, лифт Б' });
    expect(deepLink('service_desk_test_bot', 'n1-10-100')).toBe('https://t.me/service_desk_test_bot?start=n1-10-100');
  });

  test('a location that cannot travel is refused with its reason', () => {
    expect(locationProblem('x'.repeat(33))).toBe('location-too-long');
    expect(locationProblem('Здание 3, лифт Б')).toBeUndefined();
    for (const text of ['', '   ', '東京', 'lift 🚪', 'Gebäude 3']) expect(locationProblem(text)).toBe('location-unsupported');
    const error = (() => {
      try {
        encodeStartPayload({ typeId: 1, sideId: 10, categoryId: 100, location: 'x'.repeat(40) });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(StartPayloadError);
    expect((error as StartPayloadError).problem).toBe('location-too-long');
    // Ten-digit ids leave no room for 32 characters of location.
    expect(() => encodeStartPayload({ typeId: 9_999_999_999, sideId: 9_999_999_999, categoryId: 9_999_999_999, location: 'x'.repeat(32) })).toThrow(
      StartPayloadError,
    );
    expect(() => encodeStartPayload({ typeId: 0, sideId: 10, categoryId: 100 })).toThrow(RangeError);
  });

  test('every malformed kind decodes to nothing', () => {
    const malformed = [
      '',
      'n',
      'n1-10',
      'n1-10-100-',
      'n1-10-100-x', // one base64 character is no byte
      'n1-10-100-QR', // not the canonical form of its byte (QQ is)
      'n1-10-100-AAEC', // control characters
      'n1-10-100-ICB4', // leading spaces: not how a location is written
      'n01-10-100',
      'n0-10-100',
      'n1-10-100-1-2',
      'x1-10-100',
      '1-10-100',
      'N1-10-100',
      'n1_10_100',
      'n1-10-100 ',
      'n1-10-100!',
      'n1-10-100-QnVp bGRp',
      'n1-10-100-%41',
      'n12345678901-10-100',
      `n1-10-100-${'A'.repeat(55)}`, // 65 characters
      `n1-10-100-${Buffer.from('x'.repeat(33)).toString('base64url')}`, // 33 characters of location
      'Привет',
    ];
    for (const text of malformed) expect(decodeStartPayload(text), text).toBeUndefined();
  });

  test('decoding anything never throws and never gives what it would not encode', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const decoded = decodeStartPayload(text);
        if (decoded !== undefined) expect(encodeStartPayload(decoded)).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });
});

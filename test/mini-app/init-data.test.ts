import { sign, validate } from '@telegram-apps/init-data-node';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createSignedDataVerifier } from '../../lib/mini-app/init-data.js';
import { signContact, signLaunch } from '../../tools/sandbox/mini-app.js';

const TOKEN = '123456:abcdefghijklmnopqrstuvwxyz-_0123';
const NOW = 1_800_000_000;
const verifier = createSignedDataVerifier({ botToken: TOKEN, maxAgeSeconds: 3600, now: () => NOW });
const at = (seconds: number) => new Date(seconds * 1000);
const ada = { id: 42, firstName: 'Ada', username: 'ada', languageCode: 'ru' };

describe('initData', () => {
  test('what Telegram signs is accepted, and the person comes from it', () => {
    const result = verifier.initData(signLaunch({ token: TOKEN, user: ada, authDate: at(NOW - 60), startParam: 'n1-10-100' }));
    expect(result).toEqual({ ok: true, data: { user: { id: 42, firstName: 'Ada', username: 'ada', languageCode: 'ru' }, authDate: NOW - 60, startParam: 'n1-10-100' } });
  });

  test('missing, malformed, forged, another bot\'s, stale', () => {
    const genuine = signLaunch({ token: TOKEN, user: ada, authDate: at(NOW - 60) });
    const problem = (raw: string | undefined) => {
      const result = verifier.initData(raw);
      return result.ok ? 'ok' : result.problem;
    };
    expect(problem(undefined)).toBe('missing');
    expect(problem('   ')).toBe('missing');
    expect(problem('user=%7B%7D&auth_date=1')).toBe('malformed');
    expect(problem(`${genuine}&auth_date=1`)).toBe('malformed');
    expect(problem(genuine.replace('%22id%22%3A42', '%22id%22%3A43'))).toBe('forged');
    expect(problem(signLaunch({ token: '654321:zyxwvutsrqponmlkjihgfedcba-_9876', user: ada, authDate: at(NOW - 60) }))).toBe('forged');
    expect(problem(signLaunch({ token: TOKEN, user: ada, authDate: at(NOW - 3601) }))).toBe('stale');
    expect(problem(signLaunch({ token: TOKEN, user: ada, authDate: at(NOW + 3600) }))).toBe('stale');
    expect(problem(signLaunch({ token: TOKEN, user: ada, authDate: at(NOW - 3600) }))).toBe('ok');
  });

  test('agrees with @telegram-apps/init-data-node on genuine and altered data', () => {
    fc.assert(
      fc.property(
        fc.record({ id: fc.integer({ min: 1, max: 2 ** 40 }), name: fc.string(), start: fc.option(fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/)) }),
        fc.integer({ min: 0, max: 40 }),
        (data, flip) => {
          const signed = sign(
            { user: { id: data.id, first_name: data.name }, ...(data.start !== null && { start_param: data.start }) } as unknown as Parameters<typeof sign>[0],
            TOKEN,
            at(NOW - 10),
          );
          const altered = flip === 0 ? signed : signed.replace(/hash=([0-9a-f])/, (_, c: string) => `hash=${c === '0' ? '1' : '0'}`);
          let library = true;
          try {
            validate(altered, TOKEN, { expiresIn: 0 });
          } catch {
            library = false;
          }
          expect(verifier.verify(altered).ok).toBe(library);
        },
      ),
      { numRuns: 200 },
    );
  });

  test('a shared contact: signed by Telegram, the phone taken from it', () => {
    expect(verifier.contact(signContact({ token: TOKEN, userId: 42, phone: '+15555550123', authDate: at(NOW) }))).toEqual({ ok: true, contact: { userId: 42, phoneNumber: '+15555550123' } });
    const forged = signContact({ token: TOKEN, userId: 42, phone: '+15555550123', authDate: at(NOW) }).replace('0123', '0999');
    expect(verifier.contact(forged)).toEqual({ ok: false, problem: 'forged' });
  });
});

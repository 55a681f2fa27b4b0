// Issue 6.6: anything may arrive at the webhook. Generated bodies and updates (random JSON, wrong
// types, huge texts, unknown update kinds, edited messages, channel posts, group chats, stickers,
// documents, forged, oversized or unknown callback_data, valid-looking callback_data with random
// ids) go through the real webhook handler over HTTP. Only 200, 400 or 413 come back (each as
// predicted from the body), nothing crashes, and no session is corrupted: a real person's draft
// on the same Redis is byte for byte what it was, and their conversation continues.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { messages } from '../../lib/i18n/index.js';
import { keyNamespace } from '../../lib/store/key-namespace.js';
import { MAX_UPDATE_BYTES } from '../../lib/webhook/telegram-webhook.js';
import { startHarness, updateLines, type BotInstance, type Harness } from '../support/bot-harness.js';
import { Person } from '../support/person.js';
import { createTally, isIntactSession, rawSession, redisOf, toDescription, watchUnhandledRejections } from '../support/reliability.js';
import { TEST_BOT_TOKEN, textUpdate } from '../support/updates.js';

/** Fixed, so a failure replays; FUZZ_SEED=<n> explores another corner. */
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_606);
const UPDATE_RUNS = 900;
const BODY_RUNS = 400;
/** Far from the fuzzed users' ids, which are small. */
const PERSON_ID = 987_654_321;
const FUZZ_USERS = { min: 700_000, max: 700_199 };
/** Above the ids the update builders hand out (100M-900M), so no fuzzed update_id collides with the person's. */
const FUZZ_UPDATE_IDS = { min: 1_000_000_000, max: 1_999_999_999 };

let harness: Harness;
let bot: BotInstance;
let person: Person;
let sessionBefore: string | null;
const tally = createTally('fuzz');
const rejections = watchUnhandledRejections();
const statuses = new Map<number, number>();

beforeAll(async () => {
  harness = await startHarness();
  bot = await harness.startInstance();
  // A real person mid-draft (description and photo given, phone next) before the fuzz starts.
  person = new Person(harness, bot, PERSON_ID);
  await toDescription(person);
  await person.say('Mould is spreading on the bathroom ceiling');
  await person.sendPhoto();
  sessionBefore = await rawSession(redisOf(harness), PERSON_ID);
});
afterAll(async () => {
  rejections.stop();
  console.log(`[reliability] fuzz: seed ${SEED}; statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  tally.report([harness]);
  await harness.close();
});

// ---- generators ----------------------------------------------------------------------------

const lang = fc.constantFrom('en', 'ru', 'de', 'xx', '');
const smallId = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constantFrom(100, 101, 110, 200, 10, 20, 99_999_999_999));
const requestId = fc.oneof(fc.uuid(), fc.stringMatching(/^[A-Za-z0-9_-]{1,60}$/), fc.constant('SR-1001'));
const draftId = fc.stringMatching(/^[A-Za-z0-9_-]{1,30}$/);

const callbackData: fc.Arbitrary<string | undefined> = fc.oneof(
  // Valid-looking, with random ids.
  fc.tuple(lang, requestId).map(([l, id]) => `d:${l}:${id}`),
  fc.tuple(lang, requestId).map(([l, id]) => `o:${l}:${id}`),
  fc.tuple(smallId, smallId, smallId).map(([t, s, c]) => `p:${t}:${s}:${c}`),
  fc.tuple(lang, smallId, smallId, fc.integer({ min: 0, max: 1200 })).map(([l, t, s, page]) => `c:${l}:${t}:${s}:${page}`),
  fc.tuple(lang, smallId).map(([l, t]) => `s:${l}:${t}`),
  fc.tuple(fc.constantFrom('ok', 'ed', 'sp'), draftId).map(([code, id]) => `${code}:${id}`),
  fc.tuple(fc.constantFrom('m', 'h', 't', 'r', 'l'), lang).map(([code, l]) => `${code}:${l}`),
  fc.constantFrom('x', 'cc', 'ok', 'p', ':', '::::', 'd:en:', 'x:1'),
  // Forged, oversized, unknown.
  fc.string({ maxLength: 64 }),
  fc.string({ minLength: 65, maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.constant(undefined),
);

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: 10, maxLength: 200 }),
  fc.constantFrom('/start', '/new', '/my', '/cancel', '/help', '/language', '/stats', '/cache_stats', '/cache_clear', '/skip', 'skip', '/start@service_desk_test_bot', '/unknown'),
  fc.integer({ min: 2_000, max: 40_000 }).map((n) => 'ж'.repeat(n)),
);

const chatType = fc.constantFrom('private', 'private', 'private', 'group', 'supergroup', 'channel');

interface Who {
  readonly userId: number;
  readonly chatType: string;
  readonly languageCode: string | undefined;
}
const who: fc.Arbitrary<Who> = fc.record({
  userId: fc.integer(FUZZ_USERS),
  chatType,
  languageCode: fc.option(fc.constantFrom('en', 'ru', 'ru-RU', 'en-GB', 'zz', ''), { nil: undefined }),
});

function userOf(w: Who) {
  return { id: w.userId, is_bot: false, first_name: 'Fuzz', ...(w.languageCode !== undefined && { language_code: w.languageCode }) };
}
function chatOf(w: Who) {
  return w.chatType === 'private' ? { id: w.userId, type: 'private', first_name: 'Fuzz' } : { id: -1_000_000 - w.userId, type: w.chatType, title: 'Group' };
}

/** What a message carries besides its envelope. */
const content: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  text.map((t) => ({ text: t, ...(t.startsWith('/') && { entities: [{ type: 'bot_command', offset: 0, length: t.split(' ')[0]?.length ?? 1 }] }) })),
  fc.constant({ sticker: { file_id: 'CAACAgIAAx', file_unique_id: 'AgAD', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false } }),
  fc.constant({ document: { file_id: 'BQACAgIAAx', file_unique_id: 'AgADdoc', file_name: 'report.pdf', mime_type: 'application/pdf' } }),
  fc.constant({ photo: [{ file_id: 'AgACfuzz-90', file_unique_id: 'u90', width: 90, height: 90 }, { file_id: 'AgACfuzz', file_unique_id: 'u1280', width: 1280, height: 960 }] }),
  fc.constant({ photo: [] }),
  fc.record({ contact: fc.record({ phone_number: fc.string({ maxLength: 20 }), first_name: fc.string({ maxLength: 10 }), user_id: fc.option(fc.integer(FUZZ_USERS), { nil: undefined }) }) }),
  fc.constant({ location: { latitude: 51.5, longitude: -0.12 } }),
  fc.constant({ voice: { file_id: 'AwACvoice', file_unique_id: 'v', duration: 3 } }),
  fc.constant({ dice: { emoji: '🎲', value: 4 } }),
  fc.record({ caption: text, document: fc.constant({ file_id: 'BQAC2', file_unique_id: 'd2' }) }),
);

const message = fc.tuple(who, content, fc.integer({ min: 1, max: 1_000_000 })).map(([w, c, messageId]) => ({
  message_id: messageId,
  ...(w.chatType !== 'channel' && { from: userOf(w) }),
  chat: chatOf(w),
  date: 1_780_000_000,
  ...c,
}));

const callbackQuery = fc.tuple(who, callbackData, fc.boolean(), fc.integer({ min: 1, max: 1_000_000 })).map(([w, data, withMessage, messageId]) => ({
  id: `cq-${w.userId}-${messageId}`,
  from: userOf(w),
  chat_instance: '-4000',
  ...(data !== undefined ? { data } : { game_short_name: 'game' }),
  ...(withMessage
    ? { message: { message_id: messageId, chat: chatOf({ ...w, chatType: w.chatType === 'channel' ? 'private' : w.chatType }), date: 1_780_000_000, text: '…' } }
    : { inline_message_id: 'inline-1' }),
}));

/** A well-formed update of any kind Telegram has (and some it has not). */
const update = fc.tuple(fc.integer(FUZZ_UPDATE_IDS), fc.oneof(
  { weight: 4, arbitrary: message.map((m) => ({ message: m })) },
  { weight: 5, arbitrary: callbackQuery.map((q) => ({ callback_query: q })) },
  { weight: 1, arbitrary: message.map((m) => ({ edited_message: { ...m, edit_date: 1_780_000_100 } })) },
  { weight: 1, arbitrary: message.map((m) => ({ channel_post: { ...m, chat: { id: -100_123, type: 'channel', title: 'News' } } })) },
  { weight: 1, arbitrary: message.map((m) => ({ edited_channel_post: m })) },
  { weight: 1, arbitrary: who.map((w) => ({ inline_query: { id: 'iq', from: userOf(w), query: 'x', offset: '' } })) },
  { weight: 1, arbitrary: who.map((w) => ({ my_chat_member: { chat: chatOf(w), from: userOf(w), date: 1, old_chat_member: { status: 'member', user: userOf(w) }, new_chat_member: { status: 'kicked', user: userOf(w), until_date: 0 } } })) },
  { weight: 1, arbitrary: fc.constant({ poll: { id: 'p', question: '?', options: [], total_voter_count: 0, is_closed: true, is_anonymous: true, type: 'regular', allows_multiple_answers: false } }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }) },
)).map(([updateId, body]) => ({ update_id: updateId, ...body }) as Record<string, unknown>);

/** Places in an update where a wrong type does the most damage. */
const MUTABLE_PATHS = [
  ['message'], ['message', 'from'], ['message', 'from', 'id'], ['message', 'chat'], ['message', 'chat', 'id'], ['message', 'chat', 'type'],
  ['message', 'text'], ['message', 'entities'], ['message', 'photo'], ['message', 'contact'], ['message', 'from', 'language_code'],
  ['callback_query'], ['callback_query', 'data'], ['callback_query', 'from'], ['callback_query', 'from', 'id'], ['callback_query', 'message'],
  ['callback_query', 'message', 'chat'], ['callback_query', 'id'],
] as const;

/** A well-formed update with one field replaced by a random JSON value of any type. */
const wrongTypes = fc.tuple(update, fc.constantFrom(...MUTABLE_PATHS), fc.jsonValue({ maxDepth: 2 })).map(([u, path, value]) => {
  const copy = structuredClone(u) as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path.at(-1) as string] = value;
  return copy;
});

/** Bodies that are not Telegram updates at all, or too big to be one. */
const body: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.json({ maxDepth: 3 }) },
  { weight: 3, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 1 }).map((id) => JSON.stringify({ update_id: id, message: { text: '/start' } })) },
  { weight: 1, arbitrary: fc.constantFrom(-1, 1.5, 2 ** 53, 1e300, -0).map((id) => JSON.stringify({ update_id: id })) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '[]', 'null', '{}', '{"update_id": 1', '\u0000', '{"update_id":1}{"update_id":2}') },
  { weight: 1, arbitrary: fc.constantFrom(MAX_UPDATE_BYTES - 100, MAX_UPDATE_BYTES + 1, 2 * MAX_UPDATE_BYTES).map((size) => JSON.stringify({ update_id: 1_500_000_000, message: { text: 'x'.repeat(size) } })) },
);

/** What the webhook must answer for this raw body, judged independently of the handler. */
function expectedStatus(raw: string): number {
  if (Buffer.byteLength(raw) > MAX_UPDATE_BYTES) return 413;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return 400;
  }
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(value)) return 400;
  const { update_id: id, ...fields } = value;
  // An update is its integer id plus object fields (message, callback_query, …).
  return Number.isSafeInteger(id) && (id as number) >= 0 && Object.values(fields).every(isObject) ? 200 : 400;
}

async function deliver(raw: string): Promise<void> {
  // The person's own updates are theirs; the fuzz speaks only for its own users.
  fc.pre(!raw.includes(String(PERSON_ID)));
  const answer = await bot.send(undefined, { rawBody: raw });
  tally.fuzzed();
  statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
  expect([200, 400, 413]).toContain(answer.status);
  expect(answer.status).toBe(expectedStatus(raw));
}

// ---- properties ----------------------------------------------------------------------------

describe('fuzz', () => {
  test(`${UPDATE_RUNS} updates`, async () => {
    const input = fc.oneof({ weight: 3, arbitrary: update }, { weight: 1, arbitrary: wrongTypes }).map((u) => JSON.stringify(u));
    await fc.assert(fc.asyncProperty(input, deliver), { numRuns: UPDATE_RUNS, seed: SEED, endOnFailure: true });
  }, 60_000);

  test(`${BODY_RUNS} bodies`, async () => {
    await fc.assert(fc.asyncProperty(body, deliver), { numRuns: BODY_RUNS, seed: SEED, endOnFailure: true });
  }, 60_000);

  test('still answering', async () => {
    const fresh = await bot.send(textUpdate({ userId: FUZZ_USERS.max + 1, text: '/start' }));
    expect(fresh.status).toBe(200);
    expect(harness.telegram.sentTexts(FUZZ_USERS.max + 1)).toEqual([messages('en').welcome('Test')]);
    expect(rejections.seen).toEqual([]);
  });

  test('every session intact', async () => {
    const redis = redisOf(harness);
    const keys = await redis.keys(`${keyNamespace({ token: TEST_BOT_TOKEN })}:session:*`);
    expect(keys.length).toBeGreaterThan(1);
    const values = await Promise.all(keys.map((key) => redis.get<string>(key)));
    const broken = keys.filter((_, i) => !isIntactSession(values[i] ?? ''));
    expect(broken).toEqual([]);
    console.log(`[reliability] fuzz: ${keys.length} sessions in Redis, all valid`);
  });

  test('the person’s draft intact, the conversation continues', async () => {
    expect(sessionBefore).not.toBeNull();
    expect(await rawSession(redisOf(harness), PERSON_ID)).toBe(sessionBefore);
    await person.shareContact();
    expect(person.screen().text).toContain('Mould is spreading on the bathroom ceiling');
    await person.tap('Confirm');
    const created = harness.backend.requests();
    expect(created).toHaveLength(1); // the fuzz cannot guess a draft id, so it created nothing
    expect(created[0]).toMatchObject({
      description: 'Mould is spreading on the bathroom ceiling',
      contact_phone: '+15555550123',
      attachments: [{ telegram_file_id: 'photo-file-id-1', kind: 'photo' }],
      telegram: { user_id: PERSON_ID },
    });
    tally.expectRequests(1);
    expect(updateLines(harness).filter((line) => line.update_id !== undefined).length).toBeGreaterThan(UPDATE_RUNS / 2);
  });

  test('no handler failed on any of it', () => {
    // Whatever arrives, the bot either handles it or ignores it: no update ends in "handler failed".
    const failures = harness.logs
      .filter((line) => line.msg === 'handler failed' || line.msg === 'update processing failed')
      .map((line) => `${String(line.handler)}: ${String((line.err as { message?: string } | undefined)?.message)}`);
    expect(failures).toEqual([]);
  });
});

// What the simulated people do. Each step is built from the screen the person sees (the bot's
// latest message with buttons, as the fake Bot API holds it), so a tap uses the very
// callback_data the bot rendered, and a screen the bot failed to show fails the journey.
import type { Update } from 'telegraf/types';
import { decodeCallback, encodeCallback, type CallbackAction } from '../../lib/bot/callback-data.js';
import { PAGE_SIZE } from '../../lib/bot/views/catalog-screens.js';
import { createDemoCatalogue } from '../demo-backend/catalogue.js';
import { messages } from '../../lib/i18n/index.js';
import type { BotApiServer } from '../sandbox/bot-api-server.js';
import { callbackUpdate, photoUpdate, textUpdate } from '../sandbox/updates.js';
import type { Mode } from './modes.js';

export const WORKLOADS = ['browse', 'submit', 'status', 'burst'] as const;
export type WarmWorkload = (typeof WORKLOADS)[number];

export interface Person {
  readonly index: number;
  readonly userId: number;
}

export interface StepContext {
  readonly person: Person;
  readonly mode: Mode;
  readonly telegram: BotApiServer;
}

export interface Step {
  readonly name: string;
  build(ctx: StepContext): Update;
}

/** A journey step could not be built: the screen the person should see is not there. */
export class JourneyError extends Error {
  override readonly name = 'JourneyError';
}

interface Screen {
  readonly messageId: number;
  readonly text: string;
  readonly replyMarkup: { inline_keyboard: { text: string; callback_data?: string }[][] };
  readonly actions: { readonly data: string; readonly action: CallbackAction }[];
}

/** The newest message with inline buttons in the person's chat. */
export function currentScreen(telegram: BotApiServer, chatId: number): Screen | undefined {
  const list = telegram.messagesOf(chatId);
  for (let i = list.length - 1; i >= 0; i--) {
    const message = list[i] as Record<string, unknown>;
    const markup = message.reply_markup as Screen['replyMarkup'] | undefined;
    if (!markup || !Array.isArray(markup.inline_keyboard)) continue;
    const actions: Screen['actions'][number][] = [];
    for (const row of markup.inline_keyboard) {
      for (const button of row) {
        const action = decodeCallback(button.callback_data);
        if (action && button.callback_data) actions.push({ data: button.callback_data, action });
      }
    }
    const text = typeof message.text === 'string' ? message.text : '';
    return { messageId: Number(message.message_id), text, replyMarkup: markup, actions };
  }
  return undefined;
}

/**
 * Taps the first button whose action `matches`. The floor mode renders nothing, so it gets an
 * update of the same shape built from `stand_in` instead.
 */
function tap(name: string, matches: (action: CallbackAction) => boolean, standIn: CallbackAction): Step {
  return {
    name,
    build({ person, mode, telegram }) {
      if (mode === 'floor') return callbackUpdate({ userId: person.userId, data: encodeCallback(standIn), messageId: 1 });
      const screen = currentScreen(telegram, person.userId);
      const found = screen?.actions.find((candidate) => matches(candidate.action));
      if (!screen || !found) {
        const shown = screen ? screen.actions.map((a) => a.data).join(' ') : 'no message with buttons';
        throw new JourneyError(`${name}: no matching button for user ${person.userId} (${shown})`);
      }
      return callbackUpdate({
        userId: person.userId,
        data: found.data,
        messageId: screen.messageId,
        messageText: screen.text,
        replyMarkup: screen.replyMarkup as never,
      });
    },
  };
}

function say(name: string, text: string): Step {
  return { name, build: ({ person }) => textUpdate({ userId: person.userId, text }) };
}

function sendPhoto(name: string): Step {
  return { name, build: ({ person }) => photoUpdate({ userId: person.userId }) };
}

const catalogue = createDemoCatalogue();
const TYPES = catalogue.listRequestTypes();
const EN = messages('en');
const STAND_IN_DRAFT = 'benchDraft01';

/** The request type and side person `i` browses: every combination is used, one of them has two pages. */
function choice(person: Person): { typeId: number; sideId: number; pages: number; firstCategoryId: number } {
  const type = TYPES[person.index % TYPES.length];
  if (!type) throw new Error('the demo catalogue has no request types');
  const sides = catalogue.listSides(type.id) ?? [];
  const side = sides[Math.floor(person.index / TYPES.length) % sides.length];
  if (!side) throw new Error(`the demo catalogue has no sides for type ${type.id}`);
  const categories = catalogue.listCategories(type.id, side.id) ?? [];
  const first = categories[0];
  if (!first) throw new Error(`the demo catalogue has no categories for ${type.id}/${side.id}`);
  return { typeId: type.id, sideId: side.id, pages: Math.ceil(categories.length / PAGE_SIZE), firstCategoryId: first.id };
}

/** Steps that put the person on the main menu; not measured. */
export function setupSteps(): Step[] {
  return [say('/start', '/start')];
}

/** types → type → side → categories (→ next page → previous page) → back → back → menu. */
export function browseCycle(person: Person): Step[] {
  const { typeId, sideId, pages } = choice(person);
  const steps = [
    tap('types', (a) => a.kind === 'types', { kind: 'types', lang: 'en' }),
    tap('type', (a) => a.kind === 'sides' && a.typeId === typeId, { kind: 'sides', lang: 'en', typeId }),
    tap('side', (a) => a.kind === 'categories' && a.sideId === sideId && a.page === 0, { kind: 'categories', lang: 'en', typeId, sideId, page: 0 }),
  ];
  if (pages > 1) {
    steps.push(
      tap('next page', (a) => a.kind === 'categories' && a.page === 1, { kind: 'categories', lang: 'en', typeId, sideId, page: 1 }),
      tap('previous page', (a) => a.kind === 'categories' && a.page === 0, { kind: 'categories', lang: 'en', typeId, sideId, page: 0 }),
    );
  }
  steps.push(
    tap('back to sides', (a) => a.kind === 'sides', { kind: 'sides', lang: 'en', typeId }),
    tap('back to types', (a) => a.kind === 'types', { kind: 'types', lang: 'en' }),
    tap('back to menu', (a) => a.kind === 'menu', { kind: 'menu', lang: 'en' }),
  );
  return steps;
}

/** The whole new-request flow: catalogue → category → description → photo or skip → contact skipped → Confirm. */
export function submitCycle(person: Person): Step[] {
  const { typeId, sideId, firstCategoryId } = choice(person);
  const withPhoto = person.index % 2 === 1;
  return [
    tap('types', (a) => a.kind === 'types', { kind: 'types', lang: 'en' }),
    tap('type', (a) => a.kind === 'sides' && a.typeId === typeId, { kind: 'sides', lang: 'en', typeId }),
    tap('side', (a) => a.kind === 'categories' && a.sideId === sideId && a.page === 0, { kind: 'categories', lang: 'en', typeId, sideId, page: 0 }),
    tap('category', (a) => a.kind === 'pick', { kind: 'pick', typeId, sideId, categoryId: firstCategoryId }),
    say('description', `Benchmark request from person ${person.index}: the kitchen tap keeps dripping.`),
    withPhoto ? sendPhoto('photo') : tap('skip photo', (a) => a.kind === 'skip' && a.step === 'photo', { kind: 'skip', draftId: STAND_IN_DRAFT, step: 'photo' }),
    say('skip contact', EN.buttonSkip),
    tap('confirm', (a) => a.kind === 'confirm', { kind: 'confirm', draftId: STAND_IN_DRAFT }),
  ];
}

/** My requests → one request's details → back to the list → menu. */
export function statusCycle(): Step[] {
  return [
    tap('my requests', (a) => a.kind === 'my-requests', { kind: 'my-requests', lang: 'en' }),
    tap('request details', (a) => a.kind === 'request', { kind: 'request', lang: 'en', requestId: 'bench-request-1' }),
    tap('back to list', (a) => a.kind === 'my-requests', { kind: 'my-requests', lang: 'en' }),
    tap('back to menu', (a) => a.kind === 'menu', { kind: 'menu', lang: 'en' }),
  ];
}

/** Everyone at once: My requests (always the backend) → menu → types (cached) → menu. */
export function burstCycle(): Step[] {
  return [
    tap('my requests', (a) => a.kind === 'my-requests', { kind: 'my-requests', lang: 'en' }),
    tap('back to menu', (a) => a.kind === 'menu', { kind: 'menu', lang: 'en' }),
    tap('types', (a) => a.kind === 'types', { kind: 'types', lang: 'en' }),
    tap('back to menu', (a) => a.kind === 'menu', { kind: 'menu', lang: 'en' }),
  ];
}

export function cycleOf(workload: WarmWorkload, person: Person): Step[] {
  switch (workload) {
    case 'browse':
      return browseCycle(person);
    case 'submit':
      return submitCycle(person);
    case 'status':
      return statusCycle();
    case 'burst':
      return burstCycle();
  }
}

/** Updates per journey, as the bench's people make them (browse: averaged over the catalogue's combinations). */
export function averageJourneyUpdates(): { browse: number; submit: number; status: number } {
  const sample = Array.from({ length: 60 }, (_, index) => browseCycle({ index, userId: index + 1 }).length);
  return {
    browse: sample.reduce((a, b) => a + b, 0) / sample.length,
    submit: submitCycle({ index: 0, userId: 1 }).length,
    status: statusCycle().length,
  };
}

/** The update a cold instance gets first: `/start` from a person the bot has not met (no session yet). */
export function coldUpdate(userId: number): Update {
  return textUpdate({ userId, text: '/start' });
}

/** A request as the backend contract takes it, for seeding the status workload. */
export function seedRequestBody(person: Person, n: number) {
  const { typeId, sideId, firstCategoryId } = choice(person);
  return {
    request_type_id: typeId,
    side_id: sideId,
    category_id: firstCategoryId,
    description: `Seeded request ${n} of person ${person.index} for the status workload.`,
    telegram: { user_id: person.userId, chat_id: person.userId },
  };
}

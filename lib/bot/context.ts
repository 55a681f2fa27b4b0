import type { Context, Telegram } from 'telegraf';
import type { UserFromGetMe } from 'telegraf/types';
import type { BackendClient } from '../backend/backend-client.js';
import type { TwoTierCache } from '../cache/two-tier-cache.js';
import type { Catalog } from '../catalog/catalog.js';
import type { Attachment, SendAttachmentExtra, SendAttachmentOptions, SendAttachmentResult } from '../files/send-attachment.js';
import type { Lang, Messages } from '../i18n/index.js';
import type { Logger } from '../logger.js';
import type { MetricsRecorder } from '../metrics/metrics-recorder.js';
import type { SubmissionLimiter } from '../rate-limit/submission-limiter.js';
import type { Session } from '../session/session.js';
import type { KvCommand, KvStore } from '../store/kv-store.js';
import type { CallbackAction } from './callback-data.js';

/** What handlers may use. Built once per instance by `createApp` and shared by every update. */
export interface BotDeps {
  readonly logger: Logger;
  readonly store: KvStore;
  readonly backend: BackendClient;
  readonly catalog: Catalog;
  readonly cache: TwoTierCache;
  readonly metrics: MetricsRecorder;
  readonly submissionLimiter: SubmissionLimiter;
  readonly adminUserIds: ReadonlySet<number>;
  /** The organisation's time zone (TIME_ZONE): every date the bot shows is in it, named. */
  readonly timeZone: string;
  /** Sends a file of a thread to a chat: a person's by file_id, an agent's downloaded from its URL. */
  readonly sendAttachment: (telegram: Telegram, chatId: number, attachment: Attachment, extra?: SendAttachmentExtra, options?: SendAttachmentOptions) => Promise<SendAttachmentResult>;
  /** The Mini App's page (MINI_APP_URL): its buttons appear in the main menu and a request's details when set. */
  readonly miniAppUrl?: string;
  /** The Mini App's short name for `t.me/<bot>/<app>?startapp=` links (MINI_APP_SHORT_NAME). */
  readonly miniAppShortName?: string;
  /** The bot's full identity (its username for deep links) once known; `ctx.botInfo` when omitted. */
  readonly identity?: () => Promise<UserFromGetMe>;
}

/** Per-update state, set by the middleware before any handler runs. */
export interface BotContext extends Context {
  deps: BotDeps;
  /** Child logger carrying `update_id`; log ids and counts, never what people typed. */
  log: Logger;
  /** The person's session; `{}` and never saved for stateless navigation taps. */
  session: Session;
  lang: Lang;
  t: Messages;
  /** A notification was posted below the chat's screen since the last stateful update (on-screen.ts). */
  screenMoved: boolean;
  /** The value of `updateState`'s prefetched key (null: absent), when the update asked for one. */
  prefetched: string | null | undefined;
  /**
   * Store commands a handler adds to the update's last round trip (the session write and the
   * "done" marker), so that remembering something costs no round trip of its own. Dropped for a
   * stateless tap and while the store is down.
   */
  storeWrites: KvCommand[];
  /** The decoded button, for callback queries. */
  action: CallbackAction | undefined;
  /** Name of the handler that took the update, for the per-update log line and metrics. */
  handler: string;
  /** The button's answer, made as the update's last call (see `acknowledge`). */
  callbackAnswer: { readonly text: string | undefined } | undefined;
  /** The button was answered already (`acknowledgeNow`, or the last call was made). */
  callbackAnswered: boolean;
  /** This update showed a screen (`show`); see on-screen.ts. */
  screenShown: boolean;
  /** This update recorded what it showed in the session (`recordOnScreen`). */
  screenRecorded: boolean;
}

import * as v from 'valibot';

/**
 * Everything the product reads from its environment, validated once.
 * Only this file touches `process.env`; every other module receives a `Config`.
 */
export interface Config {
  readonly version: string;
  /** `production`, `preview`, `development` on Vercel; undefined elsewhere. */
  readonly vercelEnv: string | undefined;
  readonly logLevel: LogLevel;
  readonly telegram: {
    readonly token: string;
    readonly webhookSecret: string | undefined;
    /**
     * TELEGRAM_WEBHOOK_INSECURE_NO_SECRET=1: a local run accepts updates without a secret. Refused on
     * a Vercel deployment; without it and without a secret the webhook refuses every update (503).
     */
    readonly insecureWithoutSecret: boolean;
    readonly apiRoot: string;
  };
  /** Which backend the bot speaks to (BACKEND_KIND): our REST contract, or a Redmine directly. */
  readonly backendKind: BackendKind;
  readonly backend: {
    /** BACKEND_URL, or REDMINE_URL when the backend is a Redmine (agents' files come from there). */
    readonly url: string;
    readonly apiKey: string | undefined;
    readonly timeoutMs: number;
    readonly maxConnections: number;
    readonly slowCallMs: number;
  };
  /** The Redmine the bot speaks to when BACKEND_KIND is `redmine`; undefined otherwise. */
  readonly redmine: RedmineConfig | undefined;
  /**
   * Where agents' files may be downloaded from besides BACKEND_URL's origin (FILE_ORIGINS): listed
   * origins are trusted like the backend (they may be on a private network); `anyPublic` (`*`)
   * also admits any other https origin whose addresses are public.
   */
  readonly fileOrigins: { readonly origins: readonly string[]; readonly anyPublic: boolean };
  /** Upstash Redis REST endpoint; undefined means the in-memory store (one instance only). */
  readonly redis: { readonly url: string; readonly token: string } | undefined;
  /** Put before the bot's id in every Redis key (see lib/store/key-namespace.ts). */
  readonly redisKeyPrefix: string | undefined;
  readonly adminUserIds: ReadonlySet<number>;
  /**
   * How long an update's de-dup marker is a lease while it is processed: a delivery of the same
   * update within it waits (503); after it, a resend is processed (the first one died).
   */
  readonly updateLeaseSeconds: number;
  readonly notifySecret: string | undefined;
  /**
   * Bearer secret the backend presents on `GET /api/files/{id}`: FILES_SECRET, else NOTIFY_SECRET,
   * so one shared secret is enough and a separate one can be rotated on its own.
   */
  readonly filesSecret: string | undefined;
  readonly cronSecret: string | undefined;
  /**
   * Hours a request waits for the person (`waiting_for_customer`) before the bot reminds them,
   * once per waiting period; 0 turns reminders off.
   */
  readonly remindAfterHours: number;
  /** The organisation's time zone (TIME_ZONE, an IANA name): every date the bot shows is in it, named. */
  readonly timeZone: string;
  /** The Mini App (a web page Telegram opens inside the chat, signed with the person's identity). */
  readonly miniApp: {
    /**
     * Where the page is served (`https://<deployment>/app`): MINI_APP_URL, else derived from Vercel's
     * own variables; undefined means no Mini App buttons in the chat.
     */
    readonly url: string | undefined;
    /** The app's short name from @BotFather /newapp, for `t.me/<bot>/<short name>?startapp=` links. */
    readonly shortName: string | undefined;
    /** How old Telegram's signed `initData` may be before the app's API refuses it (401). */
    readonly maxAgeSeconds: number;
  };
  readonly cache: {
    readonly maxEntries: number;
    readonly defaultTtlSeconds: number;
    readonly catalogTtlSeconds: number;
  };
}

export const BACKEND_KINDS = ['rest', 'redmine'] as const;
export type BackendKind = (typeof BACKEND_KINDS)[number];

/** A Redmine as the backend (docs/redmine.md). */
export interface RedmineConfig {
  readonly url: string;
  /** The API key of the bot's own Redmine user: what it creates is the customers' side. */
  readonly apiKey: string;
  /** The project's identifier; its subprojects are the sides. */
  readonly project: string;
  /** The issue custom field holding the person's Telegram id: its id, or its name. */
  readonly telegramField: string;
  /** REDMINE_STATUS_MAP: Redmine status name → the bot's status, over the defaults by name. */
  readonly statusMap: Readonly<Record<string, string>>;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type Env = Readonly<Record<string, string | undefined>>;

/** One error naming every bad or missing variable, so a deploy is fixed in one pass. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((problem) => `  - ${problem}`).join('\n') +
        '\nSet these in the Vercel project settings (or .env for local scripts); see .env.example.',
    );
  }
}

const TOKEN_PATTERN = /^\d+:[A-Za-z0-9_-]{20,}$/;
// Telegram accepts 1-256 characters of A-Z, a-z, 0-9, _ and - as a webhook secret_token.
const SECRET_TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * Shortest bearer secrets accepted: the two the backend holds guard every person's notifications and
 * files; CRON_SECRET as Vercel advises (at least 16 characters).
 */
const MIN_SECRET_LENGTHS: Readonly<Record<string, number>> = { NOTIFY_SECRET: 32, FILES_SECRET: 32, CRON_SECRET: 16 };

const optionalText = v.optional(v.pipe(v.string(), v.trim(), v.transform((s) => (s === '' ? undefined : s))));

function integer(name: string, fallback: number, min: number, max: number) {
  return v.pipe(
    v.optional(v.string(), String(fallback)),
    v.trim(),
    v.regex(/^\d+$/, `${name} must be a whole number from ${min} to ${max}`),
    v.transform(Number),
    v.minValue(min, `${name} must be at least ${min}`),
    v.maxValue(max, `${name} must be at most ${max}`),
  );
}

function httpUrl(name: string, example: string) {
  return v.pipe(
    v.optional(v.string(), ''),
    v.trim(),
    v.nonEmpty(`${name} is required (for example ${example})`),
    v.url(`${name} must be an absolute URL such as ${example}`),
    v.regex(/^https?:\/\//, `${name} must start with http:// or https://`),
    v.transform((url) => url.replace(/\/+$/, '')),
  );
}

const EnvSchema = v.object({
  TELEGRAM_BOT_TOKEN: v.pipe(
    v.optional(v.string(), ''),
    v.trim(),
    v.nonEmpty('TELEGRAM_BOT_TOKEN is required: create a bot with @BotFather and copy its token'),
    v.regex(TOKEN_PATTERN, 'TELEGRAM_BOT_TOKEN does not look like a BotFather token (<digits>:<secret>)'),
  ),
  TELEGRAM_WEBHOOK_SECRET: v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.regex(SECRET_TOKEN_PATTERN, 'TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -'),
    ),
  ),
  TELEGRAM_WEBHOOK_INSECURE_NO_SECRET: v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.literal('1', 'TELEGRAM_WEBHOOK_INSECURE_NO_SECRET must be 1 or unset (it lets a local run accept updates without a webhook secret)'),
    ),
  ),
  TELEGRAM_API_ROOT: v.optional(httpUrl('TELEGRAM_API_ROOT', 'https://api.telegram.org'), 'https://api.telegram.org'),
  BACKEND_KIND: v.optional(v.picklist(BACKEND_KINDS, `BACKEND_KIND must be one of ${BACKEND_KINDS.join(', ')}`), 'rest'),
  BACKEND_URL: v.optional(httpUrl('BACKEND_URL', 'https://backend.example.com/v1')),
  REDMINE_URL: v.optional(httpUrl('REDMINE_URL', 'https://redmine.example.com')),
  REDMINE_API_KEY: optionalText,
  REDMINE_PROJECT: optionalText,
  REDMINE_TELEGRAM_FIELD: optionalText,
  REDMINE_STATUS_MAP: optionalText,
  BACKEND_API_KEY: optionalText,
  FILE_ORIGINS: optionalText,
  UPSTASH_REDIS_REST_URL: v.optional(httpUrl('UPSTASH_REDIS_REST_URL', 'https://eu1-example.upstash.io')),
  UPSTASH_REDIS_REST_TOKEN: optionalText,
  REDIS_KEY_PREFIX: v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.regex(/^[A-Za-z0-9_-]{1,32}$/, 'REDIS_KEY_PREFIX must be 1-32 characters of A-Z, a-z, 0-9, _ and - (e.g. staging)'),
    ),
  ),
  ADMIN_USER_IDS: v.pipe(
    v.optional(v.string(), ''),
    v.trim(),
    v.regex(/^(\d+(\s*,\s*\d+)*)?$/, 'ADMIN_USER_IDS must be comma-separated Telegram user ids, e.g. 12345,67890'),
    v.transform((list) => new Set(list === '' ? [] : list.split(',').map((id) => Number(id.trim())))),
  ),
  NOTIFY_SECRET: optionalText,
  FILES_SECRET: optionalText,
  CRON_SECRET: optionalText,
  MINI_APP_URL: v.optional(httpUrl('MINI_APP_URL', 'https://my-bot.vercel.app/app')),
  MINI_APP_SHORT_NAME: v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      // BotFather's rule for a Web App's short name.
      v.regex(/^[A-Za-z0-9_]{3,30}$/, 'MINI_APP_SHORT_NAME must be the 3-30 characters of A-Z, a-z, 0-9 and _ given to @BotFather /newapp'),
    ),
  ),
  MINI_APP_MAX_AGE_S: integer('MINI_APP_MAX_AGE_S', 3600, 60, 604_800),
  // Set by Vercel on every deployment: the Mini App's address when MINI_APP_URL is not set.
  VERCEL_PROJECT_PRODUCTION_URL: optionalText,
  VERCEL_URL: optionalText,
  HTTP_TIMEOUT_MS: integer('HTTP_TIMEOUT_MS', 8000, 100, 300_000),
  HTTP_MAX_CONNECTIONS: integer('HTTP_MAX_CONNECTIONS', 50, 1, 1000),
  CACHE_MAX_ENTRIES: integer('CACHE_MAX_ENTRIES', 1000, 1, 1_000_000),
  CACHE_DEFAULT_TTL_S: integer('CACHE_DEFAULT_TTL_S', 300, 1, 86_400),
  CATALOG_TTL_S: integer('CATALOG_TTL_S', 600, 1, 86_400),
  SLOW_CALL_MS: integer('SLOW_CALL_MS', 1000, 1, 300_000),
  // At least the telegram function's maxDuration (vercel.json), so a running update is never taken twice.
  UPDATE_LEASE_S: integer('UPDATE_LEASE_S', 70, 1, 3_600),
  REMIND_AFTER_H: integer('REMIND_AFTER_H', 24, 0, 720),
  TIME_ZONE: v.pipe(
    v.optional(v.string(), 'UTC'),
    v.trim(),
    v.check(isTimeZone, 'TIME_ZONE must be an IANA time zone name such as Europe/Berlin, America/New_York or UTC (the tz database)'),
  ),
  LOG_LEVEL: v.optional(
    v.picklist(LOG_LEVELS, `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`),
    'info',
  ),
  VERCEL_ENV: optionalText,
  npm_package_version: optionalText,
});

/** A name the runtime's time zone database knows (Intl refuses any other with a RangeError). */
function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * FILE_ORIGINS: `https://cdn.example.com, http://10.0.0.5:9000, *`. Each entry an origin alone (a
 * path, query or credentials would suggest a narrower rule than the one applied); `*` for any public
 * https origin.
 */
function parseFileOrigins(list: string | undefined): Config['fileOrigins'] | { readonly bad: readonly number[] } {
  const entries = (list ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  const origins: string[] = [];
  // Positions, not values: an entry with credentials in it must not reach a log.
  const bad: number[] = [];
  let anyPublic = false;
  for (const [index, entry] of entries.entries()) {
    if (entry === '*') {
      anyPublic = true;
      continue;
    }
    const origin = originAlone(entry);
    if (origin === undefined) bad.push(index + 1);
    else origins.push(origin);
  }
  return bad.length > 0 ? { bad } : { origins, anyPublic };
}

/** The origin an entry names, when it names nothing more (no path, query, fragment or credentials). */
function originAlone(entry: string): string | undefined {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return undefined;
  }
  const alone =
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.username === '' &&
    url.password === '' &&
    url.pathname === '/' &&
    url.search === '' &&
    url.hash === '' &&
    !/[?#]$/.test(entry);
  return alone ? url.origin : undefined;
}

/** Empty strings mean "not set": Vercel and .env files often carry `NAME=`. */
function withoutEmpty(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') out[key] = value;
  }
  return out;
}

/**
 * Validates an environment and returns the product's configuration.
 * Pure: pass `process.env` in production, a literal object in tests.
 * @throws ConfigError listing every problem at once.
 */
export function loadConfig(env: Env): Config {
  const input = withoutEmpty(env);
  // Vercel's Upstash integration names its variables KV_REST_API_*; accept both.
  input.UPSTASH_REDIS_REST_URL ??= input.KV_REST_API_URL as string;
  input.UPSTASH_REDIS_REST_TOKEN ??= input.KV_REST_API_TOKEN as string;
  if (input.UPSTASH_REDIS_REST_URL === undefined) delete input.UPSTASH_REDIS_REST_URL;
  if (input.UPSTASH_REDIS_REST_TOKEN === undefined) delete input.UPSTASH_REDIS_REST_TOKEN;

  const parsed = v.safeParse(EnvSchema, input, { abortPipeEarly: true });
  const problems = parsed.success ? [] : parsed.issues.map((issue) => issue.message);
  if (input.VERCEL_ENV === 'production' && input.TELEGRAM_WEBHOOK_SECRET === undefined) {
    problems.push(
      'TELEGRAM_WEBHOOK_SECRET is required in production: generate one (openssl rand -hex 32) and run npm run webhook:set',
    );
  }
  for (const [name, min] of Object.entries(MIN_SECRET_LENGTHS)) {
    const value = input[name]?.trim();
    if (value !== undefined && value !== '' && value.length < min) {
      problems.push(`${name} must be at least ${min} characters: a shorter one can be guessed. Generate one with openssl rand -hex ${min}`);
    }
  }
  const fileOrigins = parseFileOrigins(input.FILE_ORIGINS);
  if ('bad' in fileOrigins) {
    problems.push(
      `FILE_ORIGINS must be comma-separated origins such as https://files.example.com,https://cdn.example.net ` +
        `(scheme, host and port only; * admits any public https origin); not one: entry ${fileOrigins.bad.join(', ')}`,
    );
  }
  if (input.TELEGRAM_WEBHOOK_INSECURE_NO_SECRET !== undefined && (input.VERCEL_ENV === 'production' || input.VERCEL_ENV === 'preview')) {
    problems.push(
      'TELEGRAM_WEBHOOK_INSECURE_NO_SECRET is for local runs only: a deployment must check TELEGRAM_WEBHOOK_SECRET. ' +
        'Remove it, generate a secret (openssl rand -hex 32) and run npm run webhook:set',
    );
  }
  if ((input.UPSTASH_REDIS_REST_URL === undefined) !== (input.UPSTASH_REDIS_REST_TOKEN === undefined)) {
    problems.push('UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN must be set together (or KV_REST_API_URL/_TOKEN)');
  }
  const redmineStatusMap = parseStatusMap(input.REDMINE_STATUS_MAP);
  if (redmineStatusMap === undefined) {
    problems.push('REDMINE_STATUS_MAP must be Redmine status names with the bot\'s statuses, e.g. "Feedback=waiting_for_customer,Done=closed" ' +
      `(statuses: ${STATUS_NAMES.join(', ')})`);
  }
  if ((input.BACKEND_KIND ?? 'rest') === 'redmine') {
    for (const name of ['REDMINE_URL', 'REDMINE_API_KEY', 'REDMINE_PROJECT', 'REDMINE_TELEGRAM_FIELD']) {
      if (input[name] === undefined) problems.push(`${name} is required when BACKEND_KIND is redmine (docs/redmine.md)`);
    }
  } else if (input.BACKEND_URL === undefined) {
    problems.push('BACKEND_URL is required (for example https://backend.example.com/v1), or set BACKEND_KIND=redmine and the REDMINE_* variables');
  }
  if (!parsed.success || problems.length > 0 || 'bad' in fileOrigins || redmineStatusMap === undefined) throw new ConfigError(problems);

  const e = parsed.output;
  return {
    version: e.npm_package_version ?? '0.1.0',
    vercelEnv: e.VERCEL_ENV,
    logLevel: e.LOG_LEVEL,
    telegram: telegramOf(e),
    backendKind: e.BACKEND_KIND,
    redmine:
      e.BACKEND_KIND === 'redmine'
        ? {
            url: e.REDMINE_URL as string,
            apiKey: e.REDMINE_API_KEY as string,
            project: e.REDMINE_PROJECT as string,
            telegramField: e.REDMINE_TELEGRAM_FIELD as string,
            statusMap: redmineStatusMap,
          }
        : undefined,
    backend: {
      url: (e.BACKEND_KIND === 'redmine' ? e.REDMINE_URL : e.BACKEND_URL) as string,
      apiKey: e.BACKEND_KIND === 'redmine' ? undefined : e.BACKEND_API_KEY,
      timeoutMs: e.HTTP_TIMEOUT_MS,
      maxConnections: e.HTTP_MAX_CONNECTIONS,
      slowCallMs: e.SLOW_CALL_MS,
    },
    fileOrigins,
    redis:
      e.UPSTASH_REDIS_REST_URL !== undefined && e.UPSTASH_REDIS_REST_TOKEN !== undefined
        ? { url: e.UPSTASH_REDIS_REST_URL, token: e.UPSTASH_REDIS_REST_TOKEN }
        : undefined,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    adminUserIds: e.ADMIN_USER_IDS,
    updateLeaseSeconds: e.UPDATE_LEASE_S,
    notifySecret: e.NOTIFY_SECRET,
    filesSecret: e.FILES_SECRET ?? e.NOTIFY_SECRET,
    cronSecret: e.CRON_SECRET,
    remindAfterHours: e.REMIND_AFTER_H,
    timeZone: e.TIME_ZONE,
    miniApp: {
      url: e.MINI_APP_URL ?? deployedMiniAppUrl(e.VERCEL_ENV, e.VERCEL_PROJECT_PRODUCTION_URL, e.VERCEL_URL),
      shortName: e.MINI_APP_SHORT_NAME,
      maxAgeSeconds: e.MINI_APP_MAX_AGE_S,
    },
    cache: {
      maxEntries: e.CACHE_MAX_ENTRIES,
      defaultTtlSeconds: e.CACHE_DEFAULT_TTL_S,
      catalogTtlSeconds: e.CATALOG_TTL_S,
    },
  };
}

/**
 * The page on this deployment: production's stable domain in production, else the deployment's own
 * URL (a preview's buttons open that preview). Vercel gives host names without a scheme.
 */
function deployedMiniAppUrl(vercelEnv: string | undefined, productionHost: string | undefined, deploymentHost: string | undefined): string | undefined {
  const host = vercelEnv === 'production' && productionHost !== undefined ? productionHost : deploymentHost;
  return host === undefined ? undefined : `https://${host.replace(/^https?:\/\//, '').replace(/\/+$/, '')}/app`;
}

/**
 * Only the Telegram part of the configuration, for tools that talk to Telegram and nothing else
 * (`npm run link` asks getMe for the bot's username): the other variables are not required.
 * @throws ConfigError listing every problem of those variables.
 */
export function loadTelegramConfig(env: Env): Config['telegram'] {
  const TelegramSchema = v.pick(EnvSchema, ['TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET', 'TELEGRAM_WEBHOOK_INSECURE_NO_SECRET', 'TELEGRAM_API_ROOT']);
  const parsed = v.safeParse(TelegramSchema, withoutEmpty(env), { abortPipeEarly: true });
  if (!parsed.success) throw new ConfigError(parsed.issues.map((issue) => issue.message));
  return telegramOf(parsed.output);
}

function telegramOf(e: {
  readonly TELEGRAM_BOT_TOKEN: string;
  readonly TELEGRAM_WEBHOOK_SECRET?: string;
  readonly TELEGRAM_WEBHOOK_INSECURE_NO_SECRET?: string;
  readonly TELEGRAM_API_ROOT: string;
}): Config['telegram'] {
  return {
    token: e.TELEGRAM_BOT_TOKEN,
    webhookSecret: e.TELEGRAM_WEBHOOK_SECRET,
    insecureWithoutSecret: e.TELEGRAM_WEBHOOK_INSECURE_NO_SECRET === '1',
    apiRoot: e.TELEGRAM_API_ROOT,
  };
}

/** Every secret of a configuration, for the logger to scrub from any line. */
export function secretsOf(config: Config): (string | undefined)[] {
  return [
    config.telegram.token,
    config.telegram.webhookSecret,
    config.notifySecret,
    config.filesSecret,
    config.cronSecret,
    config.backend.apiKey,
    config.redmine?.apiKey,
    config.redis?.token,
  ];
}

/** The bot's statuses REDMINE_STATUS_MAP may name (lib/backend/schemas.ts REQUEST_STATUSES). */
const STATUS_NAMES = ['new', 'in_progress', 'waiting_for_customer', 'resolved', 'closed', 'rejected', 'cancelled'];

/** `Name=status,Other name=status`; undefined when malformed. */
function parseStatusMap(text: string | undefined): Record<string, string> | undefined {
  const map: Record<string, string> = {};
  if (text === undefined || text.trim() === '') return map;
  for (const pair of text.split(',')) {
    const at = pair.lastIndexOf('=');
    const name = pair.slice(0, at).trim();
    const status = pair.slice(at + 1).trim();
    if (at < 1 || name === '' || !STATUS_NAMES.includes(status)) return undefined;
    map[name] = status;
  }
  return map;
}

/** The environment of this process. The only place `process.env` is read. */
export function processEnv(): Env {
  return process.env;
}

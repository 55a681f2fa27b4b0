import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig, secretsOf } from '../lib/config.js';

const NOTIFY_1 = 'notify-1_0123456789abcdef0123456789';
const FILES_2 = 'files-2_0123456789abcdef0123456789';
const VALID = { TELEGRAM_BOT_TOKEN: '123456:abcdefghijklmnopqrstuvwxyz-_0123', BACKEND_URL: 'https://backend.example.com/v1/' };

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  test('defaults', () => {
    const config = loadConfig(VALID);
    expect(config.backend).toMatchObject({ url: 'https://backend.example.com/v1', timeoutMs: 8000, maxConnections: 50, slowCallMs: 1000 });
    expect(config.cache).toEqual({ maxEntries: 1000, defaultTtlSeconds: 300, catalogTtlSeconds: 600 });
    expect(config.telegram.apiRoot).toBe('https://api.telegram.org');
    expect(config.redis).toBeUndefined();
    expect(config.logLevel).toBe('info');
    expect([...config.adminUserIds]).toEqual([]);
  });

  test('BACKEND_KIND=redmine: the four REDMINE_* variables instead of BACKEND_URL; the status map checked; the key scrubbed like the others', () => {
    const redmine = {
      TELEGRAM_BOT_TOKEN: VALID.TELEGRAM_BOT_TOKEN,
      BACKEND_KIND: 'redmine',
      REDMINE_URL: 'https://redmine.example.com/',
      REDMINE_API_KEY: 'bot-key-0123',
      REDMINE_PROJECT: 'service-desk',
      REDMINE_TELEGRAM_FIELD: 'Telegram ID',
      REDMINE_STATUS_MAP: 'Done=closed, Waiting for parts=in_progress',
    };
    const config = loadConfig(redmine);
    expect(config.backendKind).toBe('redmine');
    expect(config.redmine).toEqual({
      url: 'https://redmine.example.com',
      apiKey: 'bot-key-0123',
      project: 'service-desk',
      telegramField: 'Telegram ID',
      statusMap: { Done: 'closed', 'Waiting for parts': 'in_progress' },
    });
    expect(config.backend.url).toBe('https://redmine.example.com');
    expect(secretsOf(config)).toContain('bot-key-0123');
    expect(loadConfig(VALID).redmine).toBeUndefined();
    expect(problemsOf({ TELEGRAM_BOT_TOKEN: VALID.TELEGRAM_BOT_TOKEN, BACKEND_KIND: 'redmine' })).toEqual([
      'REDMINE_URL is required when BACKEND_KIND is redmine (docs/redmine.md)',
      'REDMINE_API_KEY is required when BACKEND_KIND is redmine (docs/redmine.md)',
      'REDMINE_PROJECT is required when BACKEND_KIND is redmine (docs/redmine.md)',
      'REDMINE_TELEGRAM_FIELD is required when BACKEND_KIND is redmine (docs/redmine.md)',
    ]);
    expect(problemsOf({ ...redmine, REDMINE_STATUS_MAP: 'Done=finished' })[0]).toContain('REDMINE_STATUS_MAP must be');
    expect(problemsOf({ ...VALID, BACKEND_KIND: 'jira' })[0]).toContain('BACKEND_KIND must be one of rest, redmine');
  });

  test('TIME_ZONE: UTC by default, an IANA name, a clear error otherwise', () => {
    expect(loadConfig(VALID).timeZone).toBe('UTC');
    expect(loadConfig({ ...VALID, TIME_ZONE: ' Europe/Berlin ' }).timeZone).toBe('Europe/Berlin');
    expect(problemsOf({ ...VALID, TIME_ZONE: 'Mars/Olympus' })).toEqual([
      'TIME_ZONE must be an IANA time zone name such as Europe/Berlin, America/New_York or UTC (the tz database)',
    ]);
  });

  test('REMIND_AFTER_H: 24 hours by default, 0 turns reminders off, up to 720', () => {
    expect(loadConfig(VALID).remindAfterHours).toBe(24);
    expect(loadConfig({ ...VALID, REMIND_AFTER_H: '0' }).remindAfterHours).toBe(0);
    expect(loadConfig({ ...VALID, REMIND_AFTER_H: '48' }).remindAfterHours).toBe(48);
    expect(problemsOf({ ...VALID, REMIND_AFTER_H: '1.5' })).toEqual(['REMIND_AFTER_H must be a whole number from 0 to 720']);
    expect(problemsOf({ ...VALID, REMIND_AFTER_H: '721' })).toEqual(['REMIND_AFTER_H must be at most 720']);
  });

  test('one error names every bad or missing variable', () => {
    const problems = problemsOf({
      HTTP_TIMEOUT_MS: 'soon',
      HTTP_MAX_CONNECTIONS: '0',
      LOG_LEVEL: 'loud',
      ADMIN_USER_IDS: '12,abc',
      TELEGRAM_WEBHOOK_SECRET: 'has spaces',
      UPSTASH_REDIS_REST_URL: 'https://eu1.upstash.io',
    });
    const text = problems.join('\n');
    for (const name of [
      'TELEGRAM_BOT_TOKEN',
      'BACKEND_URL',
      'HTTP_TIMEOUT_MS',
      'HTTP_MAX_CONNECTIONS',
      'LOG_LEVEL',
      'ADMIN_USER_IDS',
      'TELEGRAM_WEBHOOK_SECRET',
      'UPSTASH_REDIS_REST_TOKEN',
    ]) {
      expect(text).toContain(name);
    }
    expect(problems).toHaveLength(8);
  });

  test('the message says how to fix and never echoes a value', () => {
    const token = 'not-a-token-but-a-secret-value';
    try {
      loadConfig({ ...VALID, TELEGRAM_BOT_TOKEN: token });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).toContain('BotFather');
      expect(String(error)).not.toContain(token);
    }
  });

  test('FILE_ORIGINS: origins alone, or * for any public https origin; a bad entry is named by position, never echoed', () => {
    expect(loadConfig(VALID).fileOrigins).toEqual({ origins: [], anyPublic: false });
    expect(loadConfig({ ...VALID, FILE_ORIGINS: ' https://CDN.example.com/ , http://10.0.0.5:9000,https://files.example.net:443 ' }).fileOrigins).toEqual({
      origins: ['https://cdn.example.com', 'http://10.0.0.5:9000', 'https://files.example.net'],
      anyPublic: false,
    });
    expect(loadConfig({ ...VALID, FILE_ORIGINS: 'https://cdn.example.com,*' }).fileOrigins).toEqual({ origins: ['https://cdn.example.com'], anyPublic: true });
    const problems = problemsOf({ ...VALID, FILE_ORIGINS: 'https://cdn.example.com,https://user:hunter2@files.example.com,ftp://x.example,https://cdn.example.com/bucket,cdn.example.com' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('FILE_ORIGINS must be comma-separated origins');
    expect(problems[0]).toContain('entry 2, 3, 4, 5');
    expect(problems[0]).not.toContain('hunter2');
  });

  test('the opt-out from the webhook secret is for local runs only: refused on a Vercel deployment', () => {
    expect(loadConfig(VALID).telegram.insecureWithoutSecret).toBe(false);
    expect(loadConfig({ ...VALID, TELEGRAM_WEBHOOK_INSECURE_NO_SECRET: '1' }).telegram.insecureWithoutSecret).toBe(true);
    for (const vercelEnv of ['production', 'preview']) {
      const problems = problemsOf({ ...VALID, VERCEL_ENV: vercelEnv, TELEGRAM_WEBHOOK_SECRET: 'abc_DEF-123', TELEGRAM_WEBHOOK_INSECURE_NO_SECRET: '1' });
      expect(problems.join(), vercelEnv).toContain('TELEGRAM_WEBHOOK_INSECURE_NO_SECRET');
    }
    expect(problemsOf({ ...VALID, TELEGRAM_WEBHOOK_INSECURE_NO_SECRET: 'yes' }).join()).toContain('TELEGRAM_WEBHOOK_INSECURE_NO_SECRET');
  });

  test('the webhook secret is required in production', () => {
    expect(problemsOf({ ...VALID, VERCEL_ENV: 'production' }).join()).toContain('TELEGRAM_WEBHOOK_SECRET is required in production');
    expect(loadConfig({ ...VALID, VERCEL_ENV: 'production', TELEGRAM_WEBHOOK_SECRET: 'abc_DEF-123' }).telegram.webhookSecret).toBe('abc_DEF-123');
  });

  test('Vercel KV variable names are accepted for Upstash', () => {
    const config = loadConfig({ ...VALID, KV_REST_API_URL: 'https://eu1-kv.upstash.io', KV_REST_API_TOKEN: 'tok' });
    expect(config.redis).toEqual({ url: 'https://eu1-kv.upstash.io', token: 'tok' });
  });

  test('empty values count as unset', () => {
    const config = loadConfig({ ...VALID, BACKEND_API_KEY: '', HTTP_TIMEOUT_MS: ' ', ADMIN_USER_IDS: '1, 2' });
    expect(config.backend.apiKey).toBeUndefined();
    expect(config.backend.timeoutMs).toBe(8000);
    expect([...config.adminUserIds]).toEqual([1, 2]);
  });

  test('NOTIFY_SECRET and FILES_SECRET at least 32 characters, CRON_SECRET at least 16: one problem for each short one, none echoed', () => {
    const short = { NOTIFY_SECRET: 'n'.repeat(31), FILES_SECRET: 'f'.repeat(31), CRON_SECRET: 'c'.repeat(15) };
    const problems = problemsOf({ ...VALID, ...short });
    expect(problems).toHaveLength(3);
    for (const [name, value] of Object.entries(short)) {
      expect(problems.filter((problem) => problem.startsWith(name))).toHaveLength(1);
      expect(problems.join('\n')).not.toContain(value);
    }
    const long = { NOTIFY_SECRET: 'n'.repeat(32), FILES_SECRET: 'f'.repeat(32), CRON_SECRET: 'c'.repeat(16) };
    expect(loadConfig({ ...VALID, ...long })).toMatchObject({ notifySecret: long.NOTIFY_SECRET, filesSecret: long.FILES_SECRET, cronSecret: long.CRON_SECRET });
  });

  test('the files secret is FILES_SECRET, else NOTIFY_SECRET, else unset', () => {
    expect(loadConfig(VALID).filesSecret).toBeUndefined();
    expect(loadConfig({ ...VALID, NOTIFY_SECRET: NOTIFY_1 }).filesSecret).toBe(NOTIFY_1);
    const both = loadConfig({ ...VALID, NOTIFY_SECRET: NOTIFY_1, FILES_SECRET: ` ${FILES_2} ` });
    expect([both.filesSecret, both.notifySecret]).toEqual([FILES_2, NOTIFY_1]);
    expect(loadConfig({ ...VALID, NOTIFY_SECRET: NOTIFY_1, FILES_SECRET: '' }).filesSecret).toBe(NOTIFY_1);
  });
  test('the Mini App: MINI_APP_URL, else the deployment\'s own address; its short name and the age of initData', () => {
    expect(loadConfig(VALID).miniApp).toEqual({ url: undefined, shortName: undefined, maxAgeSeconds: 3600 });
    expect(loadConfig({ ...VALID, MINI_APP_URL: 'https://desk.example.com/app/', MINI_APP_SHORT_NAME: 'desk', MINI_APP_MAX_AGE_S: '600' }).miniApp).toEqual({
      url: 'https://desk.example.com/app',
      shortName: 'desk',
      maxAgeSeconds: 600,
    });
    expect(loadConfig({ ...VALID, VERCEL_ENV: 'preview', VERCEL_URL: 'bot-git-x.vercel.app' }).miniApp.url).toBe('https://bot-git-x.vercel.app/app');
    expect(
      loadConfig({ ...VALID, VERCEL_ENV: 'production', TELEGRAM_WEBHOOK_SECRET: 's', VERCEL_URL: 'bot-abc.vercel.app', VERCEL_PROJECT_PRODUCTION_URL: 'desk.example.com' }).miniApp.url,
    ).toBe('https://desk.example.com/app');
    const problems = problemsOf({ ...VALID, MINI_APP_URL: 'desk', MINI_APP_SHORT_NAME: 'no spaces please', MINI_APP_MAX_AGE_S: '5' }).join('\n');
    for (const name of ['MINI_APP_URL', 'MINI_APP_SHORT_NAME', 'MINI_APP_MAX_AGE_S']) expect(problems).toContain(name);
  });
});

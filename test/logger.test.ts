import { describe, expect, test } from 'vitest';
import { createLogger } from '../lib/logger.js';

function capture(secrets: string[] = []) {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(line) }, secrets });
  return { logger, lines };
}

describe('logger', () => {
  test('one JSON line per event with a level label and time', () => {
    const { logger, lines } = capture();
    logger.child({ update_id: 42 }).info({ handler: 'start', ms: 12 }, 'update');
    const line = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'info', update_id: 42, handler: 'start', ms: 12, msg: 'update' });
    expect(typeof line.time).toBe('string');
  });

  test('phone numbers, message text and names are redacted wherever they sit', () => {
    const { logger, lines } = capture();
    logger.info({ update: { message: { text: 'my secret problem', contact: { phone_number: '+15550001111', first_name: 'Ada' } } } }, 'oops');
    logger.info({ contact_phone: '+15550002222', text: 'typed words' }, 'oops');
    const all = lines.join('\n');
    for (const leaked of ['my secret problem', '+15550001111', '+15550002222', 'typed words', 'Ada']) expect(all).not.toContain(leaked);
    expect(all).toContain('[redacted]');
  });

  test('configured secrets are scrubbed even inside error messages', () => {
    const token = '123456:AAbbccddeeffgghhiijjkkll';
    const { logger, lines } = capture([token]);
    logger.error({ err: new Error(`request to https://api.telegram.org/bot${token}/sendMessage failed`) }, 'failed');
    expect(lines.join('\n')).not.toContain(token);
    expect(lines.join('\n')).toContain('[redacted]');
  });
});

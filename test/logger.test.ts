import { describe, expect, test } from 'vitest';
import { capturingLogger } from './support/logs.js';

describe('logger', () => {
  test('one JSON line per event with a level label and time', () => {
    const { logger, lines, raw } = capturingLogger();
    logger.child({ update_id: 42 }).info({ handler: 'start', ms: 12 }, 'update');
    expect(raw).toHaveLength(1);
    const line = lines[0] ?? {};
    expect(line).toMatchObject({ level: 'info', update_id: 42, handler: 'start', ms: 12, msg: 'update' });
    expect(typeof line.time).toBe('string');
  });

  test('phone numbers, message text and names are redacted wherever they sit', () => {
    const { logger, raw } = capturingLogger();
    logger.info({ update: { message: { text: 'my secret problem', contact: { phone_number: '+15550001111', first_name: 'Ada' } } } }, 'oops');
    logger.info({ contact_phone: '+15550002222', text: 'typed words' }, 'oops');
    const all = raw.join('\n');
    for (const leaked of ['my secret problem', '+15550001111', '+15550002222', 'typed words', 'Ada']) expect(all).not.toContain(leaked);
    expect(all).toContain('[redacted]');
  });

  test('configured secrets are scrubbed even inside error messages', () => {
    const token = '123456:AAbbccddeeffgghhiijjkkll';
    const { logger, raw } = capturingLogger({ secrets: [token] });
    logger.error({ err: new Error(`request to https://api.telegram.org/bot${token}/sendMessage failed`) }, 'failed');
    expect(raw.join('\n')).not.toContain(token);
    expect(raw.join('\n')).toContain('[redacted]');
  });
});

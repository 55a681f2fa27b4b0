import { PassThrough } from 'node:stream';
import { TelegramError } from 'telegraf';
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

  test('a Telegram error is its method, code and description: never the payload (a file name, an upload stream)', () => {
    const { logger, lines, raw } = capturingLogger();
    const upload = new PassThrough();
    const error = new TelegramError(
      { error_code: 400, description: 'Bad Request: wrong file identifier' },
      { method: 'sendDocument', payload: { chat_id: 42, document: { source: upload, filename: 'Patient Ivanova.pdf' }, caption: 'for Ivanova' } },
    );
    logger.error({ err: error, event_id: 'e-1' }, 'upload failed');
    logger.warn({ err: new Error('wrapped', { cause: error }) }, 'wrapped');
    const all = raw.join('\n');
    for (const leaked of ['Ivanova', 'source', '_readableState', 'payload']) expect(all).not.toContain(leaked);
    expect(lines[0]?.err).toEqual({ type: 'TelegramError', method: 'sendDocument', code: 400, message: 'Bad Request: wrong file identifier' });
    expect(JSON.stringify(lines[1]?.err)).toContain('wrong file identifier');
  });

  test('file names are redacted wherever they sit', () => {
    const { logger, raw } = capturingLogger();
    logger.info({ file_name: 'Patient Ivanova.pdf', document: { file_name: 'Ivanova 2.pdf' }, attachment: { fileName: 'Ivanova 3.pdf', filename: 'Ivanova 4.pdf' } }, 'file');
    expect(raw.join('\n')).not.toContain('Ivanova');
  });

  test('a configured secret is scrubbed whatever its length', () => {
    const { logger, raw } = capturingLogger({ secrets: ['k3y5'] });
    logger.warn({ detail: 'backend said: bad key k3y5' }, 'refused');
    expect(raw.join('\n')).not.toContain('k3y5');
  });
});

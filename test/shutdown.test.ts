import { EventEmitter } from 'node:events';
import { describe, expect, test } from 'vitest';
import { closeOnShutdown } from '../lib/shutdown.js';
import { capturingLogger } from './support/logs.js';

/** The process as far as a signal goes: the OS is the edge, so it stands in for the real one. */
function processStandIn() {
  const emitter = new EventEmitter() as EventEmitter & { exitCode?: number; exits: number[]; exit(code?: number): void };
  emitter.exits = [];
  emitter.exit = (code = 0) => void emitter.exits.push(code);
  return emitter;
}

describe('closing on shutdown', () => {
  test('SIGTERM (Vercel retiring the instance) runs close once, then exits when nobody else listens', async () => {
    const target = processStandIn();
    const log = capturingLogger();
    let closed = 0;
    closeOnShutdown({ target, close: async () => void closed++, logger: log.logger });
    target.emit('SIGTERM');
    target.emit('SIGTERM');
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(1);
    expect(target.exits).toEqual([0]);
  });

  test('leaves exiting to another SIGTERM listener (a launcher that waits for waitUntil work)', async () => {
    const target = processStandIn();
    const log = capturingLogger();
    let closed = 0;
    target.on('SIGTERM', () => undefined);
    closeOnShutdown({ target, close: async () => void closed++, logger: log.logger });
    target.emit('SIGTERM');
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(1);
    expect(target.exits).toEqual([]);
  });

  test('a failing close is logged, and the process still exits', async () => {
    const target = processStandIn();
    const log = capturingLogger();
    closeOnShutdown({ target, close: () => Promise.reject(new Error('store down')), logger: log.logger });
    target.emit('SIGTERM');
    await new Promise((resolve) => setImmediate(resolve));
    expect(log.lines.some((line) => String(line.msg).includes('shutdown'))).toBe(true);
    expect(target.exits).toEqual([0]);
  });
});

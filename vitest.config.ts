import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start real servers on loopback ports; give them room on a 2-core machine.
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: one on a 2-core machine. Most tests wait on
    // loopback servers, Redis, Redmine or Chromium rather than compute, so three files at a time
    // overlap those waits (measured: 416 s with the default, 296 s with 3, same machine and load).
    maxWorkers: 3,
    // One line when the real-Redmine suite is skipped (tools/redmine/setup.sh makes it run).
    globalSetup: ['test/support/redmine-global-setup.ts'],
  },
});

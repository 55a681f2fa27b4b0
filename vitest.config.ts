import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start real servers on loopback ports; give them room on a 2-core machine.
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // One line when the real-Redmine suite is skipped (tools/redmine/setup.sh makes it run).
    globalSetup: ['test/support/redmine-global-setup.ts'],
  },
});

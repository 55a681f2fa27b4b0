// Finding or starting redis-server lives in lib/sandbox: the benchmark needs it too.
export * from '../../lib/sandbox/redis-server.js';

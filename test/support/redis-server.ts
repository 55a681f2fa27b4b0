// Finding or starting redis-server lives in tools/sandbox: the benchmark needs it too.
export * from '../../tools/sandbox/redis-server.js';

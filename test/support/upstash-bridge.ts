// The Upstash REST bridge over real Redis lives in lib/sandbox: the benchmark runs it too.
export * from '../../lib/sandbox/upstash-bridge.js';

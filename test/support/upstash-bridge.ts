// The Upstash REST bridge over real Redis lives in tools/sandbox: the benchmark runs it too.
export * from '../../tools/sandbox/upstash-bridge.js';

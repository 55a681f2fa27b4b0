import { coldSample } from './cold.js';
import { startFakes } from './fakes.js';
const fakes = await startFakes({ backendMs: 0, backendConnectMs: 0, redisMs: 0, telegramMs: 0 });
const launch = { script: '/tmp/perf-launcher.mjs', args: [process.argv[2] as string], node: '/work/node24/node_modules/.bin/node' };
await coldSample(launch, fakes.env(), fakes);
for (let i = 0; i < 3; i++) {
  const s = await coldSample({ ...launch, nodeArgs: ['--cpu-prof', '--cpu-prof-dir=/tmp/perf-prof', '--cpu-prof-interval=200'] }, fakes.env(), fakes);
  console.log(Math.round(s.answerMs), JSON.stringify(s.marks), fakes.take());
}
await fakes.close();
process.exit(0);

// Cold starts: a fresh Node process per update, Redis already warm (the catalogue and the bot's
// identity are in the shared cache). Timed from just before spawn() to the last byte of the
// webhook answer, here in the parent; the child reports its own phase marks on fd 3.
import { spawn } from 'node:child_process';
import { Agent, request } from 'undici';
import type { ColdMarks, ColdReport } from './cold/serve.js';
import { addCounts, WEBHOOK_SECRET, zeroCounts, type EdgeCounts, type Fakes } from './fakes.js';
import { coldUpdate } from './journeys.js';
import { applyWebhookReply } from './warm.js';
import { processEnv } from '../../lib/config.js';

export interface ColdSample {
  readonly status: number;
  /** spawn() to the webhook answer, measured by the parent. */
  readonly answerMs: number;
  /** answerMs plus the work the instance did after answering. */
  readonly doneMs: number;
  readonly marks: ColdMarks;
  readonly cpuMs: number;
  readonly maxRssMb: number;
  /** What reached Redis after the update's work was done, from SIGTERM to exit (the metrics flush). */
  readonly shutdownRedis: { readonly roundTrips: number; readonly commands: number };
}

const TIMEOUT_MS = 30_000;
// New process, new port: every sample opens a new connection, as a cold instance gets.
const dispatcher = new Agent({ keepAliveTimeout: 10, connections: 1 });
let coldUser = 0;

export interface ColdLaunch {
  readonly script: string;
  /** Arguments after the script (the launcher takes the function directory). */
  readonly args?: readonly string[];
  /** Node flags (e.g. `--cpu-prof` when looking into a cold start). */
  readonly nodeArgs?: readonly string[];
  /** The Node binary; the one running the bench when absent. */
  readonly node?: string;
  /** Extra environment (e.g. NODE_COMPILE_CACHE). */
  readonly env?: Record<string, string>;
}

export async function coldSample(launch: ColdLaunch, env: Record<string, string>, fakes: Fakes): Promise<ColdSample> {
  const update = coldUpdate(5_000_000 + ++coldUser);
  const body = JSON.stringify(update);
  const started = performance.now();
  const child = spawn(launch.node ?? process.execPath, [...(launch.nodeArgs ?? []), launch.script, ...(launch.args ?? [])], {
    env: { ...env, ...launch.env, PATH: processEnv().PATH ?? '' },
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    if (stderr.length < 10_000) stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
  try {
    const reports = readReports(child.stdio[3] as NodeJS.ReadableStream);
    const first = await reports.next();
    if (first.done || first.value.t !== 'listening') throw new Error(`cold child did not start listening:\n${stderr}`);
    const response = await request(`http://127.0.0.1:${first.value.port}/`, {
      method: 'POST',
      dispatcher,
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
      body,
    });
    const text = await response.body.text();
    const answerMs = performance.now() - started;
    applyWebhookReply(fakes, text);
    const last = await reports.next();
    if (last.done || last.value.t !== 'done') throw new Error(`cold child did not report its update as done:\n${stderr}`);
    const { marks } = last.value;
    const before = { roundTrips: fakes.bridge.stats.requests, commands: fakes.bridge.stats.commands };
    child.kill('SIGTERM');
    await exited;
    const shutdownRedis = { roundTrips: fakes.bridge.stats.requests - before.roundTrips, commands: fakes.bridge.stats.commands - before.commands };
    return {
      shutdownRedis,
      status: response.statusCode,
      answerMs,
      doneMs: answerMs + Math.max(0, marks.done - marks.answered),
      marks,
      cpuMs: last.value.cpuMs,
      maxRssMb: last.value.maxRssKb / 1024,
    };
  } finally {
    clearTimeout(killer);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

async function* readReports(stream: NodeJS.ReadableStream): AsyncGenerator<ColdReport> {
  let buffered = '';
  for await (const chunk of stream) {
    buffered += chunk.toString();
    let newline = buffered.indexOf('\n');
    while (newline !== -1) {
      yield JSON.parse(buffered.slice(0, newline)) as ColdReport;
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
    }
  }
}

export interface ColdVariant extends ColdLaunch {
  readonly name: string;
}

export interface ColdVariantResult {
  readonly name: string;
  readonly samples: ColdSample[];
  /** What the updates cost at the fakes, the shutdown writes excluded (they are in `shutdown`). */
  readonly counts: EdgeCounts;
  readonly shutdown: { roundTrips: number; commands: number };
  errors: number;
  readonly errorSamples: string[];
}

/** `samples` fresh processes per variant, the variants' order rotating from one sample to the next. */
export async function runColdVariants(
  variants: readonly ColdVariant[],
  samples: number,
  env: Record<string, string>,
  fakes: Fakes,
  progress: (line: string) => void,
  label: string,
): Promise<ColdVariantResult[]> {
  const results = variants.map(
    (variant): ColdVariantResult => ({ name: variant.name, samples: [], counts: zeroCounts(), shutdown: { roundTrips: 0, commands: 0 }, errors: 0, errorSamples: [] }),
  );
  fakes.take();
  for (let i = 0; i < samples; i++) {
    for (let k = 0; k < variants.length; k++) {
      const index = (k + i) % variants.length;
      const variant = variants[index] as ColdVariant;
      const result = results[index] as ColdVariantResult;
      let sample: ColdSample | undefined;
      try {
        sample = await coldSample(variant, env, fakes);
        if (sample.status !== 200) throw new Error(`webhook answered ${sample.status}`);
        result.samples.push(sample);
      } catch (error) {
        result.errors += 1;
        if (result.errorSamples.length < 3) result.errorSamples.push(error instanceof Error ? error.message : String(error));
      }
      const counts = fakes.take();
      if (sample) {
        counts.redisRoundTrips -= sample.shutdownRedis.roundTrips;
        counts.redisCommands -= sample.shutdownRedis.commands;
        result.shutdown.roundTrips += sample.shutdownRedis.roundTrips;
        result.shutdown.commands += sample.shutdownRedis.commands;
      }
      addCounts(result.counts, counts);
    }
    progress(`${label} sample ${i + 1}/${samples} done`);
  }
  return results;
}

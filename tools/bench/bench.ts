// The whole benchmark run: build, fakes, warm workloads, cold starts, soak; rows and report.
import { cpus, loadavg, platform } from 'node:os';
import { isWarmWorkload, type BenchOptions } from './args.js';
import { buildBench, type BenchBuild } from './build.js';
import { coldSample, runColdVariants, type ColdVariant, type ColdVariantResult } from './cold.js';
import { startFakes, type Fakes } from './fakes.js';
import { measureImports, runtimeDependencies, type ImportResult } from './imports.js';
import {
  checkTargets,
  COLD_DEPLOYED,
  coldRows,
  coldStartSummary,
  markdownReport,
  soakRow,
  warmRows,
  type BenchRow,
  type ColdStartSummary,
  type TargetCheck,
} from './report.js';
import { runSoak, type SoakResult } from './soak.js';
import { runWarmWorkload } from './warm.js';

export interface BenchResult {
  readonly rows: BenchRow[];
  readonly coldStart: ColdStartSummary[];
  readonly imports: ImportResult[];
  readonly soak: SoakResult | undefined;
  readonly targets: TargetCheck[];
  /** Problems worth a look: errors in updates, bot error logs, skipped experiments. */
  readonly errors: string[];
  readonly markdown: string;
}

export async function runBench(
  options: BenchOptions,
  context: { readonly root: string; readonly command: string; readonly progress: (line: string) => void },
): Promise<BenchResult> {
  const { progress } = context;
  const startedAt = new Date();
  const loadAtStart = loadavg()[0] ?? 0;
  const t0 = performance.now();
  const errors: string[] = [];
  const rows: BenchRow[] = [];
  let coldStart: ColdStartSummary[] = [];
  let imports: ImportResult[] = [];
  let soak: SoakResult | undefined;
  let coldStartNote: string | undefined;

  progress('building the bot processes (esbuild)…');
  const build = await buildBench(context.root);
  progress(`built in ${build.buildMs.toFixed(0)} ms`);
  let fakes: Fakes | undefined;
  try {
    fakes = await startFakes(options.latencies);
    let userBase = 0;
    for (const workload of options.workloads) {
      if (!isWarmWorkload(workload)) continue;
      const burst = workload === 'burst';
      const results = await runWarmWorkload({
        workload,
        fakes,
        build,
        people: burst ? options.burstPeople : options.people,
        concurrency: burst ? options.burstPeople : options.concurrency,
        rounds: options.rounds,
        warmupPeople: options.warmupPeople,
        userBase,
        progress,
      });
      userBase += 100_000;
      const workloadRows = warmRows(workload, results);
      rows.push(...workloadRows);
      for (const result of Object.values(results)) {
        if (result.errors > 0 || result.botErrorLogs > 0) {
          errors.push(
            `${workload}/${result.mode}: ${result.errors} failed updates, ${result.botErrorLogs} error log lines; first: ${result.errorSamples.join(' | ').slice(0, 800)}`,
          );
        }
      }
      progress(`${workload} done`);
    }

    if (options.workloads.includes('cold')) {
      // "Redis already warm": one unmeasured cold start stores the bot identity and the catalogue
      // entries the cold update reads (the warm workloads have usually done so already).
      await coldSample(build.cold.product, fakes.env(), fakes);
      fakes.take();
      const coldResults = await runColdRows(build, fakes, options, progress);
      rows.push(...coldRows(coldResults));
      noteColdErrors(coldResults, errors);
      if (options.coldExperiments) {
        const experiments = await runColdExperiments(build, fakes, options, progress);
        coldStart = experiments.map(coldStartSummary);
        noteColdErrors(experiments, errors);
        imports = await measureImports(build, runtimeDependencies(context.root), options.importSamples, progress);
        for (const item of imports) if (item.errors.length > 0) errors.push(`import probe ${item.name}: ${item.errors[0]}`);
      }
    }

    if (options.soak) {
      soak = await runSoak({
        fakes,
        build,
        updates: options.soakUpdates,
        people: 50,
        concurrency: options.concurrency,
        userBase: 900_000,
        progress,
      });
      rows.push(soakRow(soak));
      if (soak.result.errors > 0 || soak.result.botErrorLogs > 0) {
        errors.push(`soak: ${soak.result.errors} failed updates, ${soak.result.botErrorLogs} error log lines; first: ${soak.result.errorSamples.join(' | ')}`);
      }
    }
  } finally {
    await fakes?.close();
    await build.cleanup();
  }

  const targets = checkTargets({ rows, latencies: options.latencies, coldStart, soak });
  const load =
    `Load: browse/submit/status ${options.people} people each, at most ${options.concurrency} tapping at the same moment, each waiting for the bot to finish before the next tap; ` +
    `burst ${options.burstPeople} people at once on one instance; ${options.rounds} interleaved rounds after one unmeasured warm-up cycle; ` +
    `cold: ${options.coldSamples} fresh processes per mode.`;
  const markdown = markdownReport({
    command: context.command,
    startedAt,
    durationS: (performance.now() - t0) / 1000,
    environment: `${machine()} · load average ${loadAtStart.toFixed(2)} at start, ${(loadavg()[0] ?? 0).toFixed(2)} at end`,
    latencies: options.latencies,
    load,
    rows,
    coldStart,
    coldStartNote,
    imports,
    soak,
    targets,
    errors,
  });
  return { rows, coldStart, imports, soak, targets, errors, markdown };
}

/** The cold rows of the main table: each mode in a fresh process, with the injected latency. */
function runColdRows(build: BenchBuild, fakes: Fakes, options: BenchOptions, progress: (line: string) => void): Promise<ColdVariantResult[]> {
  const variants: ColdVariant[] = [
    { name: 'naive', script: build.cold.naive },
    { name: 'optimized', script: build.cold.product },
    { name: 'floor', script: build.cold.floor },
  ];
  return runColdVariants(variants, options.coldSamples, fakes.env(), fakes, progress, 'cold  ');
}

/** Cold-start variants without injected latency: how far bundling and lazy loading take it. */
async function runColdExperiments(
  build: BenchBuild,
  fakes: Fakes,
  options: BenchOptions,
  progress: (line: string) => void,
): Promise<ColdVariantResult[]> {
  const variants: ColdVariant[] = [
    { name: 'floor', script: build.cold.floor },
    { name: COLD_DEPLOYED, script: build.cold.product },
    { name: 'product, esbuild bundle (one file)', script: build.bundled },
    { name: 'product, esbuild bundle, minified', script: build.bundledMin },
    { name: 'product, esbuild bundle + code splitting', script: build.bundledSplit },
  ];
  fakes.setZeroLatency(true);
  try {
    return await runColdVariants(variants, options.coldSamples, fakes.env({ zeroLatency: true }), fakes, progress, 'cold-start experiments');
  } finally {
    fakes.setZeroLatency(false);
  }
}

function noteColdErrors(results: readonly ColdVariantResult[], errors: string[]): void {
  for (const result of results) {
    if (result.errors > 0) errors.push(`cold ${result.name}: ${result.errors} failed samples; first: ${result.errorSamples[0] ?? ''}`);
  }
}

function machine(): string {
  const list = cpus();
  return `Node ${process.version} · ${platform()} · ${list.length} × ${list[0]?.model.trim() ?? 'unknown CPU'}`;
}

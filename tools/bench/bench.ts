// The whole benchmark run: build, fakes, warm workloads, cold starts, soak; rows and report.
import { cpus, loadavg, platform } from 'node:os';
import { join } from 'node:path';
import { isWarmWorkload, type BenchOptions } from './args.js';
import { buildBench, type BenchBuild, type FunctionArtifact } from './build.js';
import { coldSample, runColdVariants, type ColdLaunch, type ColdVariant, type ColdVariantResult } from './cold.js';
import { currentNode, findNode24, type NodeBinary } from './node-binaries.js';
import { startFakes, type Fakes } from './fakes.js';
import { measureImports, runtimeDependencies, type ImportResult } from './imports.js';
import {
  checkTargets,
  COLD_PER_FILE,
  COLD_SHIPPED,
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
import { costRows, DEFAULT_PRICES } from './cost.js';
import { runWarmWorkload } from './warm.js';
import { notifyBurstMarkdown, runNotifyBurstWorkload, type NotifyBurstRow } from './notify-burst-workload.js';
import { miniAppMarkdown, miniAppTargets, runMiniAppBench, type MiniAppBench } from './mini-app.js';

export interface BenchResult {
  readonly rows: BenchRow[];
  /** notify-burst: one row per instance count and pace. */
  readonly notifyBurst: NotifyBurstRow[];
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
  // notify-burst alone needs neither the build nor the bot processes.
  if (options.workloads.every((workload) => workload === 'notify-burst') && !options.soak) return runNotifyBurstOnly(options, context);
  const startedAt = new Date();
  const loadAtStart = loadavg()[0] ?? 0;
  const t0 = performance.now();
  const errors: string[] = [];
  const rows: BenchRow[] = [];
  let coldStart: ColdStartSummary[] = [];
  let imports: ImportResult[] = [];
  let soak: SoakResult | undefined;
  const soaks: SoakResult[] = [];
  let coldStartNote: string | undefined;

  // The Mini App's budgets: its own stack and a browser; alone, nothing else is built or started.
  let miniApp: MiniAppBench | undefined;
  if (options.workloads.includes('miniapp')) {
    miniApp = await runMiniAppBench({ root: context.root, rounds: options.miniAppRounds, latencies: options.latencies, progress });
    if (options.workloads.every((workload) => workload === 'miniapp') && !options.soak) {
      const markdown = [`# Benchmark`, '', `\`${context.command}\` · ${startedAt.toISOString()} · ${machine()}`, '', miniAppMarkdown(miniApp, options.miniAppRounds)].join('\n');
      return { rows: [], notifyBurst: [], coldStart: [], imports: [], soak: undefined, targets: miniAppTargets(miniApp), errors: [], markdown };
    }
  }

  progress('building the bot processes and the Build Output directory (esbuild)…');
  const build = await buildBench(context.root, { externalArtifact: options.artifact });
  progress(`built in ${build.buildMs.toFixed(0)} ms`);
  const shipped = build.artifacts[0] as FunctionArtifact;
  // Vercel runs Node 24: the product rows run there when the bench has it, the bench's own Node beside it.
  const here = currentNode();
  const node24 = here.version.startsWith('v24.') ? here : findNode24({ flag: options.node24, install: options.installNode24, progress });
  const missing24 = node24 ? '' : ` No Node 24 binary (--node24, $BENCH_NODE24 or node@24 from npm): every row ran on ${here.version}.`;
  const primary = node24 ?? here;
  const nodes = node24 && node24.path !== here.path ? [node24, here] : [primary];
  progress(`nodes: ${nodes.map((n) => `${n.label} ${n.version}`).join(', ')}; shipped artifact: ${shipped.name}`);
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
        node: primary.path,
        funcDir: shipped.funcDir,
        funcEnv: shipped.environment,
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
      await coldSample(launchOf(build, shipped, primary), fakes.env(), fakes);
      fakes.take();
      const coldResults = await runColdRows(build, shipped, primary, fakes, options, progress);
      rows.push(...coldRows(coldResults));
      noteColdErrors(coldResults, errors);
      if (options.coldExperiments) {
        const experiments = await runColdExperiments(build, nodes, fakes, options, progress);
        coldStart = experiments.map(coldStartSummary);
        noteColdErrors(experiments, errors);
        imports = await measureImports(build, runtimeDependencies(context.root), options.importSamples, progress, primary.path);
        for (const item of imports) if (item.errors.length > 0) errors.push(`import probe ${item.name}: ${item.errors[0]}`);
      }
    }

    if (options.soak) {
      const soakRuns: { node: NodeBinary; flags: readonly string[]; env: Readonly<Record<string, string>> }[] = nodes.map((node) => ({ node, flags: [], env: {} }));
      if (options.soakNodeFlags.length > 0 || Object.keys(options.soakEnv).length > 0) {
        soakRuns.splice(1, 0, { node: primary, flags: options.soakNodeFlags, env: options.soakEnv });
      }
      for (const { node, flags, env } of soakRuns) {
        const extra = [...flags, ...Object.entries(env).map(([key, value]) => `${key}=${value}`)];
        const label = extra.length > 0 ? `${node.label} ${extra.join(' ')}` : node.label;
        const result = await runSoak({
          fakes,
          build,
          updates: options.soakUpdates,
          people: 50,
          concurrency: options.concurrency,
          userBase: 900_000 + soaks.length * 50_000,
          progress,
          node: node.path,
          nodeArgs: flags,
          funcDir: shipped.funcDir,
          funcEnv: { ...shipped.environment, ...env },
          label,
        });
        soaks.push(result);
        rows.push(soakRow(result));
        if (result.result.errors > 0 || result.result.botErrorLogs > 0) {
          errors.push(`soak ${label}: ${result.result.errors} failed updates, ${result.result.botErrorLogs} error log lines; first: ${result.result.errorSamples.join(' | ')}`);
        }
      }
      soak = soaks[0];
    }
  } finally {
    await fakes?.close();
    await build.cleanup();
  }
  const notifyBurst = options.workloads.includes('notify-burst') ? await runNotifyBurstWorkload(notifyBurstOptions(options, progress)) : [];

  const targets = [...checkTargets({ rows, latencies: options.latencies, coldStart, soaks }), ...(miniApp ? miniAppTargets(miniApp) : [])];
  const prices = { ...DEFAULT_PRICES, ...options.prices };
  const costs = costRows(rows, prices);
  const environmentNodes = `Nodes: ${nodes.map((n) => `${n.label} ${n.version}`).join(', ')}; the product rows run ${shipped.name} on ${primary.version}.${missing24}`;
  const load =
    `Load: browse/submit/status ${options.people} people each, at most ${options.concurrency} tapping at the same moment, each waiting for the bot to finish before the next tap; ` +
    `burst ${options.burstPeople} people at once on one instance; ${options.rounds} interleaved rounds after one unmeasured warm-up cycle; ` +
    `cold: ${options.coldSamples} fresh processes per mode.`;
  const markdown = markdownReport({
    command: context.command,
    startedAt,
    durationS: (performance.now() - t0) / 1000,
    environment: `${machine()} · ${environmentNodes} · load average ${loadAtStart.toFixed(2)} at start, ${(loadavg()[0] ?? 0).toFixed(2)} at end`,
    latencies: options.latencies,
    load,
    rows,
    coldStart,
    coldStartNote,
    imports,
    soaks,
    costs,
    prices,
    targets,
    errors,
  });
  const withMiniApp = miniApp ? `${markdown}\n${miniAppMarkdown(miniApp, options.miniAppRounds)}` : markdown;
  const withNotify = notifyBurst.length > 0 ? `${withMiniApp}\n\n${notifyBurstMarkdown(notifyBurst, notifyBurstOptions(options, progress))}` : withMiniApp;
  return { rows, notifyBurst, coldStart, imports, soak, targets, errors, markdown: withNotify };
}

function notifyBurstOptions(options: BenchOptions, progress: (line: string) => void) {
  return { events: options.notifyEvents, instanceCounts: options.notifyInstances, latencies: options.latencies, progress };
}

/** `--workloads notify-burst`: the notification burst alone, with its own short report. */
async function runNotifyBurstOnly(
  options: BenchOptions,
  context: { readonly command: string; readonly progress: (line: string) => void },
): Promise<BenchResult> {
  const startedAt = new Date();
  const loadAtStart = loadavg()[0] ?? 0;
  const t0 = performance.now();
  const notifyBurst = await runNotifyBurstWorkload(notifyBurstOptions(options, context.progress));
  const errors = notifyBurst
    .filter(({ figures }) => figures.twice.length > 0 || figures.never.length > 0 || figures.unacknowledged > 0)
    .map(({ instances, pace, figures }) => `notify-burst ${instances} instance(s), ${pace} pace: twice ${figures.twice.length}, never ${figures.never.length}, unacknowledged ${figures.unacknowledged}`);
  const markdown = [
    '## Benchmark results',
    '',
    `Command: \`${context.command}\` · ${startedAt.toISOString()} · ${((performance.now() - t0) / 1000).toFixed(0)} s · ${machine()} · load average ${loadAtStart.toFixed(2)} at start, ${(loadavg()[0] ?? 0).toFixed(2)} at end`,
    '',
    notifyBurstMarkdown(notifyBurst, notifyBurstOptions(options, context.progress)),
    ...(errors.length > 0 ? ['', ...errors.map((error) => `- ${error}`)] : []),
  ].join('\n');
  return { rows: [], notifyBurst, coldStart: [], imports: [], soak: undefined, targets: [], errors, markdown };
}

function launchOf(build: BenchBuild, artifact: FunctionArtifact, node: NodeBinary): ColdLaunch {
  return { script: build.cold.launcher, args: [artifact.funcDir], node: node.path, env: artifact.environment };
}

/** The cold rows of the main table: each mode in a fresh process, with the injected latency. */
function runColdRows(
  build: BenchBuild,
  shipped: FunctionArtifact,
  node: NodeBinary,
  fakes: Fakes,
  options: BenchOptions,
  progress: (line: string) => void,
): Promise<ColdVariantResult[]> {
  const variants: ColdVariant[] = [
    { name: 'naive', script: build.cold.naive, node: node.path },
    { name: 'optimized', ...launchOf(build, shipped, node) },
    { name: 'floor', script: build.cold.floor, node: node.path },
  ];
  return runColdVariants(variants, options.coldSamples, fakes.env(), fakes, progress, 'cold  ');
}

/**
 * Cold starts without injected latency: the shipped function directory through the launcher and
 * the floor on each Node, and on Node 24 the other ways it could ship (the choice was made on
 * these): the other bundle formats, the sources compiled per file as @vercel/node deploys them,
 * and a Build Output directory given with --artifact.
 */
async function runColdExperiments(
  build: BenchBuild,
  nodes: readonly NodeBinary[],
  fakes: Fakes,
  options: BenchOptions,
  progress: (line: string) => void,
): Promise<ColdVariantResult[]> {
  const [primary] = nodes as [NodeBinary];
  const variants: ColdVariant[] = [];
  for (const node of nodes) {
    variants.push({ name: `${node.label} floor`, script: build.cold.floor, node: node.path });
    variants.push({ name: `${node.label} ${COLD_SHIPPED}`, ...launchOf(build, build.artifacts[0] as FunctionArtifact, node) });
  }
  for (const artifact of build.artifacts.slice(1)) {
    variants.push({ name: `${primary.label} ${artifact.name}`, ...launchOf(build, artifact, primary) });
  }
  variants.push({ name: `${primary.label} ${COLD_PER_FILE}`, script: build.cold.product, node: primary.path });
  // Vercel caches V8 bytecode between cold starts; Node 22+'s compile cache is the local stand-in
  // (primed by one unmeasured start), for the shipped format and the smallest ESM alternative.
  const cached: ColdVariant[] = [];
  if (Number(primary.version.slice(1).split('.')[0]) >= 22) {
    for (const artifact of build.artifacts.filter((a) => a.format === build.artifacts[0]?.format || a.format === 'esm-split')) {
      const cacheDir = join(build.dir, 'compile-cache', artifact.format);
      cached.push({ name: `${primary.label} ${artifact.name} + compile cache`, ...launchOf(build, artifact, primary), env: { ...artifact.environment, NODE_COMPILE_CACHE: cacheDir } });
    }
  }
  fakes.setZeroLatency(true);
  try {
    for (const variant of cached) await coldSample(variant, fakes.env({ zeroLatency: true }), fakes);
    variants.push(...cached);
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

// Soak: one optimized instance serves N updates (10k by default: browse taps, and /start for each
// person who joins); its heap is sampled after a forced GC about every 1000 updates, so growth
// between 5k and 10k shows whether anything leaks.
import { startBotChild, type BotChild, type ChildSample } from './bot-children.js';
import type { BenchBuild } from './build.js';
import { addCounts, type Fakes } from './fakes.js';
import { browseCycle, setupSteps, type Person } from './journeys.js';
import { emptyModeResult, runSlice, userIdOf, type ModeResult } from './warm.js';

export interface SoakPoint {
  readonly updates: number;
  readonly heapUsedMb: number;
  /** What V8 has reserved for the heap (its young generation grows under load). */
  readonly heapTotalMb: number;
  /** C++ memory bound to JS objects (buffers included). */
  readonly externalMb: number;
  readonly rssMb: number;
}

export interface SoakResult {
  /** `node24`, `node20`: the Node the instance ran on. */
  readonly label: string;
  /** The measured browse taps (latencies, counts and CPU are theirs). */
  readonly result: ModeResult;
  /** `/start` updates of the people who joined during the soak: served, not measured. */
  readonly setupUpdates: number;
  /** Heap and RSS by updates served (browse taps and `/start`). */
  readonly points: SoakPoint[];
  /** Heap after GC at the sample nearest to half the run, and at the end. */
  readonly heapAtHalf: SoakPoint | undefined;
  readonly heapAtEnd: SoakPoint | undefined;
  readonly heapGrowthMb: number | null;
  /** Whether heap figures were taken after a forced GC. */
  readonly gc: boolean;
}

export async function runSoak(options: {
  readonly fakes: Fakes;
  readonly build: BenchBuild;
  readonly updates: number;
  readonly people: number;
  readonly concurrency: number;
  readonly userBase: number;
  readonly progress: (line: string) => void;
  /** The Node binary (Node 24 and the bench's own are soaked one after the other). */
  readonly node?: string;
  readonly nodeArgs?: readonly string[];
  readonly funcDir?: string;
  readonly funcEnv?: Record<string, string>;
  /** Shown in progress lines: `node24`. */
  readonly label?: string;
}): Promise<SoakResult> {
  const { fakes } = options;
  const result = emptyModeResult('optimized');
  const points: SoakPoint[] = [];
  let child: BotChild | undefined;
  let gc = false;
  let setupUpdates = 0;
  try {
    child = await startBotChild({
      mode: 'optimized',
      script: options.build.botProcess,
      env: fakes.env(),
      connections: options.concurrency + 8,
      node: options.node,
      nodeArgs: options.nodeArgs,
      funcDir: options.funcDir,
      funcEnv: options.funcEnv,
    });
    // Fresh people every chunk (each opens the chat, then browses once), as on a busy bot: no
    // person comes near the flood limit, and per-person state (sessions, flood windows) accrues.
    let nextIndex = 0;
    const chunk = (): Person[] =>
      Array.from({ length: options.people }, () => {
        const index = nextIndex++;
        return { index, userId: userIdOf('optimized', options.userBase, index) };
      });
    const warm = chunk();
    await runSlice(child, fakes, warm, options.concurrency, () => setupSteps(), undefined);
    await runSlice(child, fakes, warm, options.concurrency, (person) => browseCycle(person), undefined);
    fakes.take();

    let served = 0;
    const point = (sample: ChildSample): SoakPoint => ({ updates: served, heapUsedMb: sample.heapUsedMb, heapTotalMb: sample.heapTotalMb, externalMb: sample.externalMb, rssMb: sample.rssMb });
    const first = await child.sample({ gc: true });
    gc = first.gc;
    points.push(point(first));
    let nextPoint = 1000;
    while (served < options.updates) {
      const people = chunk();
      await runSlice(child, fakes, people, options.concurrency, () => setupSteps(), undefined);
      served += people.length;
      fakes.take(); // the /start of the newcomers is served, not measured
      // Counts and CPU cover the measured browse taps only.
      const measuredBefore = result.updates;
      const before = await child.sample();
      await runSlice(child, fakes, people, options.concurrency, (person) => browseCycle(person), result);
      const after = await child.sample();
      result.cpuMs += after.cpuMs - before.cpuMs;
      addCounts(result.counts, fakes.take());
      served += result.updates - measuredBefore;
      if (result.errors > 50) throw new Error(`soak stopped: ${result.errors} failed updates; first: ${result.errorSamples.join(' | ')}`);
      if (served >= nextPoint || served >= options.updates) {
        const sample = await child.sample({ gc: true });
        points.push(point(sample));
        nextPoint = Math.floor(served / 1000) * 1000 + 1000;
        options.progress(`soak ${options.label ?? ''} ${served}/${options.updates} updates, heap after GC ${sample.heapUsedMb.toFixed(1)} MB, rss ${sample.rssMb.toFixed(1)} MB`);
      }
    }
    result.peakRssMb = (await child.sample()).maxRssMb;
    result.botErrorLogs = child.errorLogs().count;
    setupUpdates = served - result.updates;
  } finally {
    await child?.stop();
  }
  const half = options.updates / 2;
  const heapAtHalf = nearest(points, half);
  const heapAtEnd = points.at(-1);
  const heapGrowthMb = heapAtHalf && heapAtEnd && heapAtEnd !== heapAtHalf ? heapAtEnd.heapUsedMb - heapAtHalf.heapUsedMb : null;
  return { label: options.label ?? '', result, setupUpdates, points, heapAtHalf, heapAtEnd, heapGrowthMb, gc };
}

function nearest(points: readonly SoakPoint[], updates: number): SoakPoint | undefined {
  let best: SoakPoint | undefined;
  for (const point of points) {
    if (best === undefined || Math.abs(point.updates - updates) < Math.abs(best.updates - updates)) best = point;
  }
  return best;
}

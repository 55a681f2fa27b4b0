// `npm run bench`: the product against the seed's "before" and the floor, side by side in one run.
// Progress and a terminal table go to stderr; the Markdown report to stdout and to
// bench-results/latest.md; `--json FILE` writes the rows.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, USAGE, UsageError } from './args.js';
import { runBench } from './bench.js';
import { terminalTable } from './report.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// Ctrl-C: exit through process.exit so the build directory is removed; bot processes follow
// their parent out (they exit when the IPC channel closes).
process.once('SIGINT', () => process.exit(130));

/** `--backend redmine [--people N]`: the Redmine journeys beside the demo backend's (redmine-bench.ts), nothing else. */
async function redmineBench(argv: readonly string[]): Promise<number> {
  const at = argv.indexOf('--people');
  const people = at === -1 ? 10 : Number(argv[at + 1]);
  if (!Number.isInteger(people) || people < 1 || people > 200) {
    console.error('--people must be a whole number from 1 to 200');
    return 2;
  }
  const started = performance.now();
  const progress = (line: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
  const { runRedmineBench } = await import('./redmine-bench.js');
  const { markdown } = await runRedmineBench({ people, progress });
  process.stdout.write(`${markdown}\n`);
  return 0;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const backendAt = argv.indexOf('--backend');
  if (backendAt !== -1) {
    if (argv[backendAt + 1] !== 'redmine') {
      console.error('--backend takes redmine (the demo backend is always measured beside it)');
      return 2;
    }
    return redmineBench(argv);
  }
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  if (options === undefined) {
    console.log(USAGE);
    return 0;
  }

  const started = performance.now();
  const progress = (line: string): void => {
    const seconds = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
    process.stderr.write(`[${seconds} s] ${line}\n`);
  };
  const args = process.argv.slice(2).join(' ');
  const result = await runBench(options, { root, command: `npm run bench${args ? ` -- ${args}` : ''}`, progress });

  process.stderr.write(`\n${terminalTable(result.rows)}\n\n`);
  for (const target of result.targets) {
    const mark = target.met === null ? '  -  ' : target.met ? ' met ' : ' NOT ';
    process.stderr.write(`[${mark}] ${target.target}: ${target.measured}\n`);
  }
  for (const error of result.errors) process.stderr.write(`! ${error}\n`);

  process.stdout.write(`${result.markdown}\n`);
  const markdownFile = resolve(root, options.markdownFile);
  await mkdir(dirname(markdownFile), { recursive: true });
  await writeFile(markdownFile, `${result.markdown}\n`);
  process.stderr.write(`\nMarkdown written to ${markdownFile}\n`);
  if (options.jsonFile !== undefined) {
    const jsonFile = resolve(process.cwd(), options.jsonFile);
    await mkdir(dirname(jsonFile), { recursive: true });
    await writeFile(jsonFile, `${JSON.stringify(result.rows, null, 2)}\n`);
    process.stderr.write(`JSON rows written to ${jsonFile}\n`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('bench failed:', error);
    process.exit(1);
  },
);

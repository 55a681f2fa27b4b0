import { randomBytes } from 'node:crypto';
import { createAgentHook } from './agent-hook.js';
import { contractScenario, TEST_MARK, type ContractCheck } from './checks.js';
import { CheckFailed, CheckSkipped, describeError } from './expect.js';
import { createProbeClient } from './probe-client.js';

export interface CheckRunOptions {
  /** The backend's base URL (`BACKEND_URL`). */
  readonly url: string;
  readonly apiKey?: string;
  /** The Telegram user id the test requests belong to. */
  readonly user: number;
  /** A second user id, for the ownership checks; none of its requests is touched. */
  readonly otherUser: number;
  /** Moves a test request to a status as an agent would (`POST {request_id, status}`). */
  readonly agentHook?: string;
  readonly timeoutMs: number;
  readonly maxPages: number;
  readonly maxReopens: number;
  readonly dryRun: boolean;
  /** Run only these checks (and the checks they need); every check when omitted. */
  readonly only?: readonly string[];
  /** Names this run's keys and descriptions; random when omitted. */
  readonly runId?: string;
  /** Where each line goes. */
  readonly print: (line: string) => void;
}

export interface CheckReport {
  readonly passed: readonly string[];
  readonly failed: readonly string[];
  readonly skipped: readonly string[];
}

/**
 * Runs every check in order, one line each: `PASS id: what came back`, `FAIL id: the rule — what
 * came back`, `SKIP id: why`; then the test requests, the clean-up and a summary line.
 */
export async function runContractCheck(options: CheckRunOptions): Promise<CheckReport> {
  const runId = options.runId ?? randomBytes(4).toString('hex');
  const probe = (apiKey: string | undefined) => createProbeClient({ baseUrl: options.url, timeoutMs: options.timeoutMs, apiKey });
  const scenario = contractScenario(
    { user: options.user, otherUser: options.otherUser, runId, maxPages: options.maxPages, maxReopens: options.maxReopens },
    {
      customer: probe(options.apiKey),
      anonymous: options.apiKey === undefined ? undefined : probe(undefined),
      agent: options.agentHook === undefined ? undefined : createAgentHook({ url: options.agentHook, apiKey: options.apiKey, timeoutMs: options.timeoutMs }),
    },
  );
  const { print } = options;
  const checks = selected(scenario.checks, options.only);
  const width = Math.max(...checks.map((check) => check.id.length));

  if (options.dryRun) {
    printPlan(checks, options, runId, width);
    return { passed: [], failed: [], skipped: checks.map((check) => check.id) };
  }

  print(`contract check of ${options.url} as user ${options.user} (other user ${options.otherUser}), run ${runId}`);
  const outcome = new Map<string, 'pass' | 'fail' | 'skip'>();
  const report = { passed: [] as string[], failed: [] as string[], skipped: [] as string[] };
  for (const check of checks) {
    const line = (status: 'PASS' | 'FAIL' | 'SKIP', text: string) => print(`${status} ${check.id.padEnd(width)}  ${text}`);
    const unmet = (check.needs ?? []).filter((id) => outcome.get(id) !== 'pass');
    if (unmet.length > 0) {
      outcome.set(check.id, 'skip');
      report.skipped.push(check.id);
      line('SKIP', `needs ${unmet.map((id) => `${id} (${outcome.get(id) === 'fail' ? 'failed' : 'skipped'})`).join(', ')}`);
      continue;
    }
    try {
      const detail = await check.run();
      outcome.set(check.id, 'pass');
      report.passed.push(check.id);
      line('PASS', detail);
    } catch (error) {
      if (error instanceof CheckSkipped) {
        outcome.set(check.id, 'skip');
        report.skipped.push(check.id);
        line('SKIP', error.message);
        continue;
      }
      outcome.set(check.id, 'fail');
      report.failed.push(check.id);
      line('FAIL', `${check.title} — ${error instanceof CheckFailed ? error.message : describeError(error)}`);
    }
  }
  const made = scenario.created();
  if (made.length > 0) {
    print(`test requests: ${made.map((request) => request.number).join(', ')} (user ${options.user}, described "${TEST_MARK} …")`);
    print(`cleanup: ${await scenario.cleanup()}`);
  }
  print(`${report.passed.length} passed, ${report.failed.length} failed, ${report.skipped.length} skipped`);
  return report;
}

/** The checks asked for and, before them, the checks they need; in the scenario's order. */
function selected(checks: readonly ContractCheck[], only: readonly string[] | undefined): readonly ContractCheck[] {
  if (only === undefined) return checks;
  const byId = new Map(checks.map((check) => [check.id, check]));
  const unknown = only.filter((id) => !byId.has(id));
  if (unknown.length > 0) throw new UnknownCheckError(unknown, [...byId.keys()]);
  const wanted = new Set<string>();
  const add = (id: string) => {
    if (wanted.has(id)) return;
    wanted.add(id);
    for (const need of byId.get(id)?.needs ?? []) add(need);
  };
  only.forEach(add);
  return checks.filter((check) => wanted.has(check.id));
}

export class UnknownCheckError extends Error {
  override readonly name = 'UnknownCheckError';
  constructor(unknown: readonly string[], known: readonly string[]) {
    super(`no check named ${unknown.join(', ')}; the checks are ${known.join(', ')}`);
  }
}

/** Every check's id, in order (for --only). */
export function checkIds(): string[] {
  const probe = createProbeClient({ baseUrl: 'http://127.0.0.1', timeoutMs: 1, apiKey: undefined });
  return contractScenario({ user: 1, otherUser: 2, runId: 'ids', maxPages: 1, maxReopens: 1 }, { customer: probe, anonymous: undefined, agent: undefined }).checks.map((check) => check.id);
}

function printPlan(checks: readonly ContractCheck[], options: CheckRunOptions, runId: string, width: number): void {
  const { print } = options;
  print(`dry run: no call is made. Against ${options.url} the check would, in this order:`);
  for (const check of checks) {
    const agent = check.needsAgent === true && options.agentHook === undefined ? ' [skipped: needs --agent-hook]' : '';
    const auth = check.id === 'auth.api-key' && options.apiKey === undefined ? ' [skipped: no --api-key]' : '';
    print(`  ${check.id.padEnd(width)}  ${check.sends}${agent}${auth}`);
    print(`  ${' '.repeat(width)}  checks: ${check.title}`);
  }
  print(
    `It creates 4 requests for Telegram user ${options.user}, described "${TEST_MARK} Test request <a-d> of run ${runId}, …; safe to ignore.", ` +
      `with Idempotency-Keys contract-check-${runId}-…; it acts only on those, reads user ${options.otherUser}'s list, and cancels those left open at the end.`,
  );
  if (options.agentHook !== undefined) print(`The agent hook ${options.agentHook} is asked to resolve two of them (and one again per reopening).`);
}

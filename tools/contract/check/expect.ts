import * as v from 'valibot';
import { ErrorBodySchema } from '../../../lib/backend/schemas.js';
import { HttpAnswerError, NoAnswerError, ShapeError, describeAnswer, describeIssues, excerpt, type Exchange } from './probe-client.js';

/** A check found the backend breaking a rule: the message says what came back. */
export class CheckFailed extends Error {
  override readonly name = 'CheckFailed';
}

/** A check that cannot run here (e.g. it needs an agent); the message says why. */
export class CheckSkipped extends Error {
  override readonly name = 'CheckSkipped';
}

export function fail(detail: string): never {
  throw new CheckFailed(detail);
}

export function skip(reason: string): never {
  throw new CheckSkipped(reason);
}

export function expectThat(condition: boolean, detail: () => string): asserts condition {
  if (!condition) fail(detail());
}

/** What an unexpected error says in a check's line. */
export function describeError(error: unknown): string {
  if (error instanceof HttpAnswerError || error instanceof ShapeError || error instanceof NoAnswerError) return error.message;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * Runs a call that must be refused with `status` and the contract's error body (and one of `codes`,
 * when given). Returns the refusal's code.
 */
export async function expectRefusal(
  what: string,
  call: () => Promise<unknown>,
  status: number | readonly number[],
  codes?: readonly string[],
  last?: () => Exchange | undefined,
): Promise<string> {
  const statuses = typeof status === 'number' ? [status] : status;
  const expected = `${statuses.join(' or ')}${codes === undefined ? '' : ` ${codes.join(' or ')}`}`;
  try {
    await call();
  } catch (error) {
    if (!(error instanceof HttpAnswerError)) {
      if (error instanceof ShapeError) fail(`${what}: expected ${expected}, got ${describeAnswer(error.exchange)}`);
      throw error;
    }
    const { exchange } = error;
    expectThat(statuses.includes(exchange.status), () => `${what}: expected ${expected}, got ${describeAnswer(exchange)}`);
    const code = errorCode(exchange, what);
    expectThat(codes === undefined || codes.includes(code), () => `${what}: expected ${expected}, got ${exchange.status} ${code} (${excerpt(exchange.text)})`);
    return code;
  }
  const answered = last?.();
  fail(`${what}: expected ${expected}, got ${answered === undefined ? 'a success' : describeAnswer(answered)}`);
}

/** The `code` of an error answer, which must be `{"error": {"code", "message"}}`. */
export function errorCode(exchange: Exchange, what: string): string {
  let json: unknown;
  try {
    json = JSON.parse(exchange.text);
  } catch {
    fail(`${what}: ${exchange.status} without the error body {"error": {"code", "message"}}: got ${excerpt(exchange.text) || 'no body'}`);
  }
  const parsed = v.safeParse(ErrorBodySchema, json);
  if (!parsed.success) fail(`${what}: ${exchange.status} without the error body {"error": {"code", "message"}} (${describeIssues(parsed.issues)}): got ${excerpt(exchange.text)}`);
  return parsed.output.error.code;
}

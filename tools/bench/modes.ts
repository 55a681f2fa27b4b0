import type { UpdateStatePolicy } from '../../lib/bot/middleware/update-state.js';

/**
 * - `naive`: the seed's "before": a new HTTP client per backend call without keep-alive, no
 *   cache, a session read (two round trips) and write on every update.
 * - `optimized`: the product as deployed (createApp's defaults, the real `api/telegram.ts`).
 * - `floor`: a handler that only answers 200 on the same kind of server: the limit.
 */
export const MODES = ['naive', 'optimized', 'floor'] as const;
export type Mode = (typeof MODES)[number];

export function isMode(value: unknown): value is Mode {
  return typeof value === 'string' && (MODES as readonly string[]).includes(value);
}

export const NAIVE_STATE_POLICY: UpdateStatePolicy = { statelessNavigation: false, pipelined: false, writeOnlyChanges: false };

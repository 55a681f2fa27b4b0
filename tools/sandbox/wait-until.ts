/**
 * A stand-in for Vercel's `waitUntil` outside Vercel: it keeps the promises of work that runs after
 * the response, so the sandbox and the tests can wait for an update to be fully done.
 */
export function trackedWaitUntil(): { readonly waitUntil: (promise: Promise<unknown>) => void; settled(): Promise<void> } {
  const pending = new Set<Promise<unknown>>();
  return {
    waitUntil(promise) {
      pending.add(promise);
      void promise.finally(() => pending.delete(promise));
    },
    async settled() {
      // Work may start more work (the metrics flush after an update): wait until none is left.
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}

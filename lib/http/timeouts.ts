/** The abort reason of a deadline we set ourselves, told apart from a caller going away by its name. */
export function timeoutReason(what: string): DOMException {
  return new DOMException(what, 'TimeoutError');
}

/** Whether a failed fetch (or body read) failed because a timeout aborted its signal. */
export function isTimeout(error: unknown, signal: AbortSignal): boolean {
  const reason: unknown = signal.aborted ? signal.reason : undefined;
  const name = (value: unknown) => (value instanceof Error || value instanceof DOMException ? value.name : undefined);
  return name(reason) === 'TimeoutError' || name(error) === 'TimeoutError';
}

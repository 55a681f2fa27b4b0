/**
 * Why a backend call failed:
 * - `http`: the backend answered 4xx/5xx (`status`, and `code` from its error body);
 * - `network`: no answer (refused, reset, DNS, pool closed);
 * - `timeout`: no answer within `HTTP_TIMEOUT_MS`;
 * - `invalid-response`: a 2xx answer that is not JSON or not the contract's shape.
 */
export type BackendErrorKind = 'http' | 'network' | 'timeout' | 'invalid-response';

export interface BackendErrorOptions {
  readonly method: string;
  /** The route template (`/requests/:id`), never a URL with personal query values. */
  readonly path: string;
  readonly kind: BackendErrorKind;
  readonly status?: number;
  readonly statusText?: string;
  readonly code?: string;
  /** A short reason for the message; must hold no secrets and nothing a person typed. */
  readonly detail?: string;
  readonly cause?: unknown;
}

/**
 * A backend call failed. Handlers catch it to show a "try again later" message; `status` 404 on
 * `getRequest` means the request does not exist. The message names method, route and status and
 * never the API key or a request body.
 */
export class BackendError extends Error {
  override readonly name = 'BackendError';
  readonly method: string;
  readonly path: string;
  readonly kind: BackendErrorKind;
  readonly status: number | undefined;
  readonly code: string | undefined;

  constructor(options: BackendErrorOptions) {
    super(`Backend ${options.method} ${options.path} failed: ${describe(options)}`, { cause: options.cause });
    this.method = options.method;
    this.path = options.path;
    this.kind = options.kind;
    this.status = options.status;
    this.code = options.code;
  }
}

function describe(options: BackendErrorOptions): string {
  const status = [options.status, options.statusText].filter((part) => part !== undefined && part !== '').join(' ');
  const detail = options.code ?? options.detail;
  const suffix = detail === undefined || detail === '' ? '' : ` (${detail})`;
  switch (options.kind) {
    case 'http':
      return `${status}${suffix}`;
    case 'network':
      return `network error${suffix}`;
    case 'timeout':
      return `timed out${suffix}`;
    case 'invalid-response':
      return `invalid response${status === '' ? '' : ` to ${status}`}${suffix}`;
  }
}

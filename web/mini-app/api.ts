// The page's calls to /api/app: every one carries Telegram's signed initData, nothing else identifies the person.

export interface RequestSummary {
  readonly id: string;
  readonly number: string;
  readonly status: Status;
  readonly category_name: string;
  readonly created_at: string;
  readonly updated_at: string;
}

export type Status = 'new' | 'in_progress' | 'waiting_for_customer' | 'resolved' | 'closed' | 'rejected' | 'cancelled';

export interface FileView {
  readonly name: string;
  readonly photo: boolean;
  readonly url: string;
  readonly mime_type?: string;
}

export type ThreadEntry =
  | { readonly kind: 'status'; readonly status: Status; readonly at: string; readonly comment?: string; readonly files?: readonly FileView[] }
  | { readonly kind: 'comment'; readonly author: 'customer' | 'agent'; readonly author_name?: string; readonly text?: string; readonly at: string; readonly files: readonly FileView[] };

export interface RequestView {
  readonly id: string;
  readonly number: string;
  readonly status: Status;
  readonly category_name: string;
  readonly request_type_name?: string;
  readonly side_name?: string;
  readonly description?: string;
  readonly location?: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly rating?: { readonly score: number; readonly comment?: string };
  readonly files: readonly FileView[];
  readonly thread: readonly ThreadEntry[];
  readonly actions: { readonly comment: boolean; readonly cancel: boolean; readonly resolve: boolean; readonly rate: boolean };
}

export interface CatalogueEntry {
  readonly typeId: number;
  readonly sideId: number;
  readonly categoryId: number;
  readonly type: string;
  readonly side: string;
  readonly name: string;
  readonly description?: string;
  /** The same service's words in the other language, for the search. */
  readonly also?: string;
}

export interface Catalogue {
  readonly items: readonly CatalogueEntry[];
  readonly start?: { readonly typeId: number; readonly sideId: number; readonly categoryId: number; readonly location?: string };
}

export interface Uploaded {
  readonly token: string;
  readonly kind: 'photo' | 'document';
  readonly name: string;
}

/** A refusal of the API, by its `code` (the page words it in the person's language). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Api {
  listRequests(filter: 'all' | 'open', cursor?: string): Promise<{ items: RequestSummary[]; next_cursor?: string }>;
  /** My requests' first page for the first screen: the call the boot script already started, if it did. */
  firstList(): Promise<{ items: RequestSummary[]; next_cursor?: string }>;
  request(id: string): Promise<RequestView>;
  catalogue(): Promise<Catalogue>;
  createRequest(body: object): Promise<{ id: string; number: string }>;
  addComment(id: string, body: object): Promise<RequestView>;
  act(id: string, action: 'cancel' | 'confirm' | 'reopen' | 'rating', body: object): Promise<RequestView>;
  upload(file: Blob, name: string): Promise<Uploaded>;
}

/** The API's answer, or its refusal as an ApiError; a call that never got an answer is `network`. */
export async function answerOf<T>(pending: Promise<Response>): Promise<T> {
  let response: Response;
  try {
    response = await pending;
  } catch {
    throw new ApiError(0, 'network', 'no connection');
  }
  const body = (await response.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined;
  if (!response.ok) throw new ApiError(response.status, body?.error?.code ?? 'unknown', body?.error?.message ?? response.statusText);
  return body as T;
}

export function createApi(initData: string): Api {
  const authorization = `tma ${initData}`;
  const call = <T>(path: string, init: RequestInit = {}): Promise<T> =>
    answerOf<T>(fetch(`/api/app/${path}`, { ...init, headers: { authorization, ...(init.headers as Record<string, string> | undefined) } }));
  const post = <T>(path: string, body: object) => call<T>(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return {
    listRequests: (filter, cursor) => call(`requests?filter=${filter}${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`),
    firstList: () => {
      // Started by the inline boot script while this script downloaded (boot.ts); asked here otherwise.
      const started = (window as unknown as { __firstList?: Promise<Response> }).__firstList;
      return started ? answerOf(started) : call('requests?filter=all');
    },
    request: (id) => call(`requests/${encodeURIComponent(id)}`),
    catalogue: () => call('catalog'),
    createRequest: (body) => post('requests', body),
    addComment: (id, body) => post(`requests/${encodeURIComponent(id)}/comments`, body),
    act: (id, action, body) => post(`requests/${encodeURIComponent(id)}/${action}`, body),
    upload: (file, name) =>
      call(`uploads?name=${encodeURIComponent(name)}&type=${encodeURIComponent(file.type || 'application/octet-stream')}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: file,
      }),
  };
}

/** A key the page makes once per draft or comment and sends again on every retry (the API's idempotency). */
export function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// Calls to the fleet server's API: JSON in and out, the CSRF header on changes, bundle uploads with progress.

import type {
  ApiChange,
  ApiGet,
  ApiGetPath,
  ApiResponses,
  ApiUrl,
  BundleView,
  FeedUploaded,
  Problem,
} from './types.js';

export const API = '/api/v1';

/** Any value the cookie check accepts; a cross-site form cannot set a custom header, which is the point. */
const CSRF = { 'x-requested-with': 'exhunt-dashboard' };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const signedOutListeners = new Set<() => void>();

/** Called when any request comes back 401: the session expired or was signed out elsewhere. */
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

async function failure(res: Response): Promise<ApiError> {
  let message = `${res.status} ${res.statusText}`;
  try {
    const body = (await res.json()) as { message?: unknown };
    if (typeof body.message === 'string') message = body.message;
  } catch {
    // Not JSON (a proxy's error page): the status line says enough.
  }
  if (res.status === 401) for (const l of signedOutListeners) l();
  return new ApiError(res.status, message);
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** Any request; its answer is not typed: `get` and `send` name the route whose declared answer they read. */
export function api(
  path: string,
  init: { method?: Method; body?: unknown; signal?: AbortSignal } = {},
): Promise<unknown> {
  return request(path, init);
}

/** GET on `url`, a URL of the route `route` (`get('/servers/:id', `/servers/${id}`)`), typed as it answers. */
export function get<P extends ApiGetPath>(
  route: P,
  url: ApiUrl<P>,
  init: { signal?: AbortSignal } = {},
): Promise<ApiGet<P>> {
  return request(url, init);
}

/** A change (`send('PATCH /feeds/:id', `/feeds/${id}`, body)`), typed as the route answers. */
export function send<K extends ApiChange>(
  route: K,
  url: K extends `${string} ${infer P}` ? ApiUrl<P> : never,
  body?: unknown,
): Promise<ApiResponses[K]> {
  const method = route.slice(0, route.indexOf(' ')) as Method;
  return request(url, { method, ...(body !== undefined ? { body } : {}) });
}

// The one place an answer is taken as the type its route declares (src/server/api/types.ts).
async function request<T>(
  path: string,
  init: { method?: Method; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const method = init.method ?? 'GET';
  const res = await fetch(API + path, {
    method,
    credentials: 'same-origin',
    headers: {
      accept: 'application/json',
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(method === 'GET' ? {} : CSRF),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  if (!res.ok) throw await failure(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** `?a=1&b=x` from the defined, non-empty values, in a stable order so equal queries are equal strings. */
export function qs(params: Record<string, string | number | boolean | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** XMLHttpRequest rather than fetch, because only it reports how much of a large upload has been sent. */
export function uploadBundle(
  file: Blob,
  target: { server: string; org?: string },
  onProgress: (sent: number, total: number) => void,
): Promise<BundleView> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${API}/bundles${qs({ server: target.server, org: target.org })}`);
    xhr.setRequestHeader('content-type', 'application/zip');
    xhr.setRequestHeader('x-requested-with', CSRF['x-requested-with']);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      const body = xhr.response as (BundleView & { message?: string }) | null;
      if (xhr.status >= 200 && xhr.status < 300 && body) resolve(body);
      else reject(new ApiError(xhr.status, body?.message ?? `upload failed (${xhr.status})`));
    };
    xhr.onerror = () => reject(new ApiError(0, 'the upload could not reach the server'));
    xhr.send(file);
  });
}

/** A feed upload the server refused because nothing in it loaded (400), with the feed's problems. */
export class FeedRefused extends ApiError {
  constructor(
    message: string,
    readonly problems: Problem[],
  ) {
    super(400, message);
  }
}

/** Sends a feed as the one file of a form (so its file name is the default name); 400 throws FeedRefused. */
export async function uploadFeed(
  file: File,
  target: { name?: string; org?: string; shared?: boolean },
): Promise<FeedUploaded> {
  const form = new FormData();
  form.append('file', file, file.name);
  const res = await fetch(
    `${API}/feeds${qs({ name: target.name, org: target.org, shared: target.shared || undefined })}`,
    {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...CSRF },
      body: form,
    },
  );
  if (res.status === 400) {
    const body = (await res
      .clone()
      .json()
      .catch(() => null)) as { message?: unknown; problems?: unknown } | null;
    if (body && Array.isArray(body.problems) && typeof body.message === 'string')
      throw new FeedRefused(body.message, body.problems as Problem[]);
  }
  if (!res.ok) throw await failure(res);
  return (await res.json()) as FeedUploaded;
}

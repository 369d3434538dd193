// React hooks over the API: one resource by path, and a paged list that loads the next page on demand.

import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, get } from './client.js';
import type { ApiGet, ApiGetPath, ApiUrl, Page, PageItem } from './types.js';

function asApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError(0, e instanceof Error ? e.message : String(e));
}

export interface Resource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload(): void;
}

/**
 * GETs `path` (null: nothing yet), a URL of `route`, and again whenever it changes; a stale answer never
 * replaces a newer one. The data is typed as the route table declares `route`'s answer.
 */
export function useApi<P extends ApiGetPath>(route: P, path: ApiUrl<P> | null): Resource<ApiGet<P>> {
  type T = ApiGet<P>;
  const [state, setState] = useState<{ path: string | null; data?: T; error?: ApiError; loading: boolean }>({
    path,
    loading: path !== null,
  });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (path === null) return;
    const ctl = new AbortController();
    setState((s) => ({ path, loading: true, ...(s.path === path ? { data: s.data } : {}) }));
    get(route, path, { signal: ctl.signal }).then(
      (data) => setState({ path, data, loading: false }),
      (e: unknown) => {
        if (!ctl.signal.aborted) setState({ path, error: asApiError(e), loading: false });
      },
    );
    return () => ctl.abort();
  }, [route, path, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const current = state.path === path;
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: path !== null && (!current || state.loading),
    reload,
  };
}

export interface PagedList<T> {
  items: T[];
  /** The last page's fields other than `items` and `next`. */
  meta: Record<string, unknown>;
  /** Every page has been loaded. */
  done: boolean;
  loading: boolean;
  error: ApiError | undefined;
  loadMore(): void;
  reload(): void;
}

/**
 * A keyset-paged list (`{ items, next }`): the first page on mount, the next when `loadMore` is called (the
 * table calls it as its end scrolls into view). `path` must not carry a cursor; a new path starts over.
 */
export function usePaged<P extends ApiGetPath>(
  route: P,
  path: ApiUrl<P> | null,
  limit = 200,
): PagedList<PageItem<ApiGet<P>>> {
  type T = PageItem<ApiGet<P>>;
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<string | null | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [meta, setMeta] = useState<Record<string, unknown>>({});
  const [generation, setGeneration] = useState(0);
  // The request in flight belongs to one path and generation; answers for an older one are dropped.
  const current = useRef<{ key: string; busy: boolean }>({ key: '', busy: false });

  const fetchPage = useCallback(
    (cursor: string | undefined, key: string) => {
      if (path === null) return;
      current.current.busy = true;
      setLoading(true);
      const sep = path.includes('?') ? '&' : '?';
      const url: ApiUrl<P> = `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      (get(route, url) as Promise<Page<T>>).then(
        (page) => {
          if (current.current.key !== key) return;
          current.current.busy = false;
          setItems((old) => (cursor ? [...old, ...page.items] : page.items));
          setNext(page.next);
          // What a list says besides its rows (the triage order in words, say).
          const { items: _items, next: _next, ...rest } = page as Page<T> & Record<string, unknown>;
          setMeta(rest);
          setLoading(false);
        },
        (e: unknown) => {
          if (current.current.key !== key) return;
          current.current.busy = false;
          setError(asApiError(e));
          setLoading(false);
        },
      );
    },
    [route, path, limit],
  );

  useEffect(() => {
    const key = `${path}#${generation}`;
    current.current = { key, busy: false };
    setItems([]);
    setNext(undefined);
    setError(undefined);
    setMeta({});
    fetchPage(undefined, key);
  }, [path, generation, fetchPage]);

  const loadMore = useCallback(() => {
    if (current.current.busy || !next || error) return;
    fetchPage(next, current.current.key);
  }, [next, error, fetchPage]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { items, meta, done: next === null, loading, error, loadMore, reload };
}

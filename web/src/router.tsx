// Client-side routing on the History API: the path picks the page, the query string holds every search and
// filter, so any view can be shared by copying its address.

import { useCallback, useMemo, useSyncExternalStore } from 'react';
import type { AnchorHTMLAttributes, MouseEvent, ReactNode } from 'react';

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (opts.replace) window.history.replaceState(null, '', to);
  else {
    window.history.pushState(null, '', to);
    window.scrollTo(0, 0);
  }
  for (const l of listeners) l();
}

export interface Location {
  path: string;
  params: URLSearchParams;
}

export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, snapshot);
  return useMemo(() => {
    const url = new URL(href, window.location.origin);
    return { path: url.pathname, params: url.searchParams };
  }, [href]);
}

/**
 * One query-string value and its setter. Filters replace the history entry rather than push one, so typing
 * in a search box does not fill the back button with every keystroke.
 */
export function useParam(name: string): [string | undefined, (value: string | undefined) => void] {
  const { params } = useLocation();
  const value = params.get(name) ?? undefined;
  const set = useCallback(
    (v: string | undefined) => {
      const url = new URL(window.location.href);
      if (v === undefined || v === '') url.searchParams.delete(name);
      else url.searchParams.set(name, v);
      navigate(url.pathname + url.search, { replace: true });
    },
    [name],
  );
  return [value, set];
}

/** The current address with some query values changed (undefined removes one). */
export function withParams(changes: Record<string, string | undefined>, path?: string): string {
  const url = new URL(window.location.href);
  if (path !== undefined) url.pathname = path;
  for (const [k, v] of Object.entries(changes))
    if (v === undefined || v === '') url.searchParams.delete(k);
    else url.searchParams.set(k, v);
  return url.pathname + url.search;
}

export function Link({
  to,
  children,
  ...rest
}: { to: string; children: ReactNode } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    // Let the browser open new tabs and windows as usual.
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}

// Compiled by `tsc -p web/tsconfig.json` and never bundled: each line below must NOT compile, and the build
// fails (an unused @ts-expect-error is an error) the day the dashboard could read a route as another shape.

import { get, send } from './client.js';
import { useApi, usePaged } from './hooks.js';
import type { ApiGet, ScanView, ServerView } from './types.js';

export function useContractChecks(): void {
  // @ts-expect-error: a server is not a scan; both types are the server's own declarations.
  const scan: ScanView = {} as ApiGet<'/servers/:id'>;
  // @ts-expect-error: the URL of another route.
  void get('/servers/:id', '/scans/1');
  // @ts-expect-error: a path the route table does not serve.
  void get('/server/:id', '/server/1');
  // @ts-expect-error: the answer of GET /servers/:id read as a list.
  const list: ServerView[] = useApi('/servers/:id', '/servers/1').data ?? [];
  // @ts-expect-error: a page's items are the route's items, not another route's.
  const scans: ScanView[] = usePaged('/servers', '/servers').items;
  // @ts-expect-error: a change sent with a method the route table does not have for the path.
  void send('PUT /feeds/:id', '/feeds/1', {});
  void scan;
  void list;
  void scans;
}

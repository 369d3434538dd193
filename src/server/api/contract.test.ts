// The route table is held to the declared responses: the routes below must NOT compile (`tsc` fails on an
// unused @ts-expect-error), and every served route has a declared response.
/* eslint-disable @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-assignment -- the lines that must not compile have no types to check */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { route } from '../route.js';
import { ROUTES } from '../routes/index.js';
import type { ApiRoute } from './types.js';

const base = {
  summary: 'test',
  tag: 'test',
  role: 'viewer',
  response: { status: 200, description: '' },
} as const;

test('a handler that answers another shape than its route declares does not compile', () => {
  const wrong = [
    route({
      ...base,
      method: 'GET',
      url: '/servers/:id',
      // @ts-expect-error: GET /servers/:id answers a ServerView, not a scan's fields.
      handler: () => Promise.resolve({ verdict: 'clean' }),
    }),
    // @ts-expect-error: a route the declarations do not have.
    route({ ...base, method: 'GET', url: '/nowhere', handler: () => Promise.resolve({}) }),
    route({
      ...base,
      method: 'GET',
      url: '/scans/:id',
      // @ts-expect-error: the path's id is a number, never a string.
      handler: ({ params }) => Promise.resolve(params.id.toUpperCase()),
    }),
    route({
      ...base,
      method: 'GET',
      url: '/dashboard/trend',
      query: { type: 'object', properties: { days: { type: 'integer' } } },
      // @ts-expect-error: the query's days is a number, as its schema says.
      handler: ({ query }) => Promise.resolve({ days: query.days?.padStart(2) ?? [] }),
    }),
  ];
  assert.equal(wrong.length, 4);
});

/** Every declared route; the compiler holds this list to api/types.ts (no key missing, none extra). */
const DECLARED: Record<ApiRoute, true> = {
  'GET /openapi.json': true,
  'GET /health': true,
  'POST /session': true,
  'GET /session': true,
  'DELETE /session': true,
  'POST /session/password': true,
  'POST /reports': true,
  'POST /bundles': true,
  'GET /bundles/:id': true,
  'GET /bundles/:id/download': true,
  'GET /scans/:id/report': true,
  'GET /bundles/uploads/:sha256': true,
  'POST /bundles/uploads/:sha256/chunks': true,
  'POST /bundles/uploads/:sha256/complete': true,
  'GET /servers': true,
  'GET /servers/:id': true,
  'GET /scans': true,
  'GET /scans/:id': true,
  'GET /findings': true,
  'GET /events': true,
  'GET /webshells': true,
  'GET /indicators': true,
  'GET /campaigns': true,
  'GET /campaigns/noise': true,
  'GET /campaigns/indicators': true,
  'GET /campaigns/indicators/:id': true,
  'GET /campaigns/:id': true,
  'GET /campaigns/:id/stix': true,
  'GET /remediation': true,
  'PATCH /remediation/:id': true,
  'POST /feeds': true,
  'GET /feeds': true,
  'GET /feeds/:id': true,
  'PATCH /feeds/:id': true,
  'DELETE /feeds/:id': true,
  'GET /intel/stix': true,
  'GET /intel/csv': true,
  'POST /rule-packs': true,
  'GET /rule-packs': true,
  'GET /rule-packs/:id': true,
  'POST /retrohunts': true,
  'GET /retrohunts': true,
  'GET /retrohunts/:id': true,
  'GET /notifications/overdue': true,
  'PATCH /notifications/overdue': true,
  'GET /notifications/channels': true,
  'POST /notifications/channels': true,
  'PATCH /notifications/channels/:id': true,
  'DELETE /notifications/channels/:id': true,
  'POST /notifications/channels/:id/test': true,
  'GET /dashboard/overview': true,
  'GET /dashboard/trend': true,
  'GET /dashboard/servers': true,
  'GET /dashboard/exposure': true,
  'GET /scans/:id/details': true,
  'GET /scans/:id/findings': true,
  'GET /scans/:id/diff': true,
  'GET /scans/:id/download': true,
  'GET /servers/:id/remediation.ps1': true,
  'GET /servers/:id/report.html': true,
  'GET /organisations': true,
  'POST /organisations': true,
  'GET /users': true,
  'POST /users': true,
  'GET /tokens': true,
  'POST /tokens': true,
  'DELETE /tokens/:id': true,
  'GET /audit': true,
  'POST /agent/findings': true,
  'POST /agent/heartbeat': true,
  'GET /agent/rules': true,
  'GET /agents': true,
};

test('the route table serves exactly the declared routes, each once', () => {
  const served = ROUTES.map((r) => `${r.method} ${r.url}`);
  assert.equal(new Set(served).size, served.length, 'each method and path once');
  assert.deepEqual([...served].sort(), Object.keys(DECLARED).sort());
});

test('every `:id` in a path is validated as an integer, as the handlers are typed to read it', () => {
  for (const r of ROUTES.filter((r) => r.url.includes(':id'))) {
    const id = (r.params?.properties as Record<string, { type?: string }> | undefined)?.id;
    assert.equal(id?.type, 'integer', `${r.method} ${r.url}`);
  }
});

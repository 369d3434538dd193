// Tests for line templates: stamping a template at a time equals rendering the request at that time.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { httpProxyRow } from '../httpproxy.js';
import { feEntry } from '../request.js';
import type { Req } from '../request.js';
import { Rng } from '../rng.js';
import { build, makeSite } from '../site.js';
import { IIS_FIELDS, w3cLine } from '../w3c.js';
import { fastIso, guidFrom, makeTemplate, render, T0 } from './template.js';

const site = makeSite(new Rng(5));
const ctx = { site, build: build('15.01.2176.002') };
const req = (t: number, rid: string): Req => ({
  t, taken: 1234, rid, method: 'POST', host: 'mail.corp.example', port: 443, stem: '/owa/service.svc',
  query: 'action=GetItem', status: 200, cip: '10.10.20.20', ua: 'Mozilla/5.0 (X, like Y)', proto: 'Owa',
  be: { stem: '/owa/service.svc', query: 'action=GetItem', user: 'CORP\\a' },
}); // prettier-ignore

test('a template stamped at another time and id equals a fresh rendering', () => {
  const rid = '0b1c2d3e-0000-4000-8000-000000000001';
  const other = 'a1b2c3d4-1111-4111-9111-111111111111';
  const when = Date.UTC(2021, 2, 3, 23, 59, 59, 500);
  const fe = makeTemplate(w3cLine(feEntry(req(T0, rid), site), IIS_FIELDS), rid);
  assert.equal(render(fe, when, other), w3cLine(feEntry(req(when, other), site), IIS_FIELDS));
  const hp = makeTemplate(httpProxyRow(req(T0, rid), ctx), rid);
  assert.equal(render(hp, when, other), httpProxyRow(req(when, other), ctx));
});

test('fast formatters agree with Date', () => {
  for (const ms of [0, 999, Date.UTC(2021, 1, 28, 23, 59, 59, 1), Date.UTC(2024, 1, 29, 12, 0, 0, 10)])
    assert.equal(fastIso(ms), new Date(ms).toISOString());
  assert.match(guidFrom(1, 2, 3, 4), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

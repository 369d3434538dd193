// Tests for IIS W3C line formatting: spaces, empties and the directive block.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IIS_FIELDS, IIS_FIELDS_XFF, w3cHeader, w3cLine } from './w3c.js';
import { utc } from './time.js';

const entry = {
  t: utc('2021-03-05T03:06:27.100'),
  sIp: '10.10.1.15',
  method: 'GET',
  stem: '/owa/auth/x.aspx',
  query: '',
  port: 443,
  user: '',
  cIp: '192.0.2.9',
  ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
  referer: '',
  status: 200,
  sub: 0,
  win32: 0,
  taken: 133,
};

test('a line has one value per field, plus for spaces and dash for empty', () => {
  const line = w3cLine(entry, IIS_FIELDS);
  assert.ok(line.endsWith('\r\n'));
  const parts = line.trimEnd().split(' ');
  assert.equal(parts.length, IIS_FIELDS.length);
  assert.equal(parts[9], 'Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)');
  assert.equal(parts[5], '-');
  assert.equal(w3cLine(entry, IIS_FIELDS_XFF).trimEnd().split(' ').length, IIS_FIELDS_XFF.length);
});

test('the header is the IIS 10 directive block', () => {
  const h = w3cHeader(entry.t, IIS_FIELDS).split('\r\n');
  assert.equal(h[0], '#Software: Microsoft Internet Information Services 10.0');
  assert.equal(h[1], '#Version: 1.0');
  assert.equal(h[2], '#Date: 2021-03-05 03:06:27');
  assert.equal(h[3]?.startsWith('#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port'), true);
});

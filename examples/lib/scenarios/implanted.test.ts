// The implanted tree: each family's shell where it was planted, a modified stock page, and no log trace of them.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { grepTree } from '../search.js';
import { small } from './fixtures.js';
import { IMPLANTED, IMPLANTS, LOOKALIKES, MODIFIED_STOCK } from './implanted.js';

const { tree } = small('implanted');
const INSTALL = 'Program Files/Microsoft/Exchange Server/V15';
const at = (p: string) => p.replace('<install>', INSTALL);

test('each family is on disk, outside the folders shells are usually looked for in', () => {
  const families = new Set<string>();
  for (const i of IMPLANTS) {
    assert.equal(tree.text(at(i.path)), i.shell.text, i.path);
    families.add(i.shell.family);
    assert.doesNotMatch(at(i.path), /aspnet_client|\/owa\/auth\/[^/]+$|\/ecp\/auth\//);
  }
  assert.equal(families.size, IMPLANTS.length, 'one shell per family');
  for (const l of LOOKALIKES) assert.match(tree.text(at(l.path)) ?? '', /Request/);
});

test('the modified stock page keeps the shipped page whole and adds a loader after it', () => {
  const page = tree.text(at(MODIFIED_STOCK.path)) ?? '';
  const clean = small('clean').tree.text(at(MODIFIED_STOCK.path)) ?? '';
  assert.ok(clean.length > 0 && page.startsWith(clean) && page.length > clean.length);
  assert.match(page.slice(clean.length), /Assembly\.Load\(Convert\.FromBase64String\(/);
});

test('applicationHost.config declares the second site the shells sit in', () => {
  const config = tree.text('Windows/System32/inetsrv/config/applicationHost.config') ?? '';
  const portal = `C:\\${IMPLANTED.portal.replace(/\//g, '\\')}`;
  assert.ok(config.includes(`physicalPath="${portal}"`), config);
  assert.ok(IMPLANTS.some((i) => i.path.startsWith(`${IMPLANTED.portal}/`)));
});

test('no web log names a shell: the files are the only evidence', () => {
  for (const i of IMPLANTS) {
    const name = i.path.slice(i.path.lastIndexOf('/') + 1);
    assert.deepEqual(
      grepTree(tree, /\/(LogFiles|Logging)\//, new RegExp(name.replace('.', '\\.'), 'i')),
      [],
      name,
    );
  }
});

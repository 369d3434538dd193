// Tests for the webshell file detector: the stock inventory, shells in stock names, content past the first window.

import assert from 'node:assert/strict';
import test from 'node:test';
import { fakeRecord } from '../../core/fake-record.js';
import type { Problem } from '../../core/problem.js';
import type { LogRecord } from '../../core/record.js';
import { createFileParser } from '../../sources/files/parser.js';
import { exchangeTreePath, indexInventory, stockInventory } from './stock-inventory.js';
import type { InventoryData } from './stock-inventory.js';
import { WINDOW, webshellFileDetector } from './webshell-file.js';
import { SHELL_FIXTURES } from './webshell-fixtures.js';

const V15 = 'C/Program Files/Microsoft/Exchange Server/V15';
const page = (path: string, text: string, truncated = false) =>
  fakeRecord('web-file', { Path: path, Size: text.length, Truncated: truncated }, { text });
const check = (path: string, text: string) => webshellFileDetector.check(page(path, text), { path })?.[0];
const chopper = SHELL_FIXTURES.find((f) => f.name === 'chopper-jscript.aspx')!.text;

test('files Exchange ships pass on their name; anything else in its web trees is suspicious, not shipped', () => {
  const stock = '<%@ Page Language="C#" Inherits="Microsoft.Exchange.Management.ControlPanel.Page" %>';
  for (const rel of [
    'FrontEnd/HttpProxy/owa/auth/logon.aspx',
    'FrontEnd/HttpProxy/ecp/auth/TimeoutLogout.aspx',
    'FrontEnd/HttpProxy/owa/web.config',
    'ClientAccess/ecp/UsersGroups/EditMailbox.aspx',
    'ClientAccess/ecp/fonts/5.27.1/web.config',
    'ClientAccess/exchweb/ews/Exchange.asmx',
  ])
    assert.equal(check(`${V15}/${rel}`, stock), undefined, rel);
  for (const rel of [
    'FrontEnd/HttpProxy/owa/auth/Current/help.aspx',
    'ClientAccess/ecp/UsersGroups/Export.aspx',
  ]) {
    const hit = check(`${V15}/${rel}`, stock);
    assert.equal(hit?.outcome, 'suspicious', rel);
    assert.match(hit?.summary ?? '', /not shipped by Exchange/);
  }
  // Outside Exchange's trees a page is judged on its content only.
  assert.equal(check('inetpub/wwwroot/shop/cart.aspx', stock), undefined);
});

test('a shell inside a shipped file name is found on its content, in every web-served folder', () => {
  for (const path of [
    `${V15}/FrontEnd/HttpProxy/owa/auth/logon.aspx`,
    `${V15}/ClientAccess/ecp/Customize/Default.aspx`,
    'inetpub/wwwroot/sub/dir/default.aspx',
  ]) {
    const hit = check(path, chopper);
    assert.equal(hit?.outcome, 'compromise', path);
    assert.equal(hit?.rule.id, 'exhunt.webshell.file');
    assert.match(hit?.details?.reasons ?? '', /evaluates request data/);
    assert.deepEqual(
      hit?.file?.reasons,
      hit?.details?.reasons?.split('; '),
      'the typed reasons, and their text copy',
    );
    assert.equal(hit?.file?.path, path);
    assert.match(hit?.details?.code ?? '', /eval\(Request/);
  }
});

test('a shell appended after megabytes of padding is found, at its offset', () => {
  const pad = '<%-- ' + 'x'.repeat(WINDOW + (3 << 20)) + ' --%>\r\n';
  const hit = check('inetpub/wwwroot/big.aspx', pad + chopper);
  assert.equal(hit?.outcome, 'compromise');
  assert.ok(Number(/@(\d+)/.exec(hit?.details?.code ?? '')?.[1]) >= pad.length - 10);
  // A shell cut in two by a window edge is still read whole (windows overlap).
  const edge = 'y'.repeat(WINDOW - 20) + chopper;
  assert.equal(check('inetpub/wwwroot/edge.aspx', edge)?.outcome, 'compromise');
});

test('a web script past the content bound is reported as a limit with what was left unread', () => {
  const problems: Problem[] = [];
  const records: LogRecord[] = [];
  const parser = createFileParser(
    'web-file',
    'inetpub/wwwroot/huge.aspx',
    { record: (r) => records.push(r), problem: (p) => problems.push(p) },
    undefined,
    1000,
    'limit.web-file-content',
  );
  parser.push(Buffer.alloc(800, 0x20));
  parser.push(Buffer.alloc(700, 0x20));
  parser.end();
  assert.equal(records[0]?.get('Truncated'), true);
  assert.deepEqual(
    problems.map((p) => [p.code, p.offset, p.bytes]),
    [['limit.web-file-content', 1000, 500]],
  );
});

test('the inventory data is checked at load: sources cited, folders inside the trees, names well formed', () => {
  const good: InventoryData = {
    sources: { s: { title: 't', url: 'https://example.org/x' } },
    completeness: {
      'FrontEnd/HttpProxy': { complete: true, note: '' },
      ClientAccess: { complete: false, note: '' },
    },
    folders: { 'ClientAccess/owa': { files: ['a.aspx'], sources: ['s'] } },
  };
  assert.equal(indexInventory(good).shipped('clientaccess/owa/a.aspx'), true);
  const bad = (f: InventoryData['folders']) => () => indexInventory({ ...good, folders: f });
  assert.throws(bad({ 'ClientAccess/owa': { files: ['a.aspx'], sources: ['nope'] } }), /unknown source/);
  assert.throws(bad({ 'Bin/x': { files: ['a.aspx'], sources: ['s'] } }), /outside the web trees/);
  assert.throws(bad({ 'ClientAccess/owa': { files: ['../a.aspx'], sources: ['s'] } }), /bad file name/);
  const inv = stockInventory();
  assert.equal(inv.complete('frontend/httpproxy'), true);
  assert.equal(inv.complete('clientaccess'), false);
  assert.deepEqual(exchangeTreePath('c/program files/x/v15/clientaccess/owa/a.aspx'), {
    tree: 'clientaccess',
    rel: 'clientaccess/owa/a.aspx',
  });
});

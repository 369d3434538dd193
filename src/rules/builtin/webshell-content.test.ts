// Tests for the webshell content analysis: our shell variants are found, benign look-alikes are not, hostile input stays linear.

import assert from 'node:assert/strict';
import test from 'node:test';
import { analyseContent } from './webshell-content.js';
import { BENIGN_FIXTURES, SHELL_FIXTURES } from './webshell-fixtures.js';
import { decodeSource, normalise } from './webshell-normalise.js';

test('every shell variant we wrote is found, with reasons and the code that shows them', () => {
  const missed: string[] = [];
  for (const f of SHELL_FIXTURES) {
    const r = analyseContent(f.text);
    if (!r.webshell) missed.push(`${f.name} (${f.what}): ${r.hits.map((h) => h.id).join(', ') || 'nothing'}`);
    for (const h of r.hits) {
      assert.ok(h.reason.length > 10, `${f.name}: ${h.id} has a reason`);
      assert.ok(h.excerpt.trim().length > 0, `${f.name}: ${h.id} has an excerpt`);
    }
  }
  assert.deepEqual(missed, [], `missed:\n${missed.join('\n')}`);
});

test('no benign look-alike is a webshell', () => {
  const flagged = BENIGN_FIXTURES.filter((f) => analyseContent(f.text).webshell).map((f) => f.name);
  assert.deepEqual(flagged, []);
  // Most read the request and show nothing at all; the upload page is only worth a look.
  const quiet = BENIGN_FIXTURES.filter((f) => analyseContent(f.text).hits.length === 0).length;
  assert.ok(
    quiet >= BENIGN_FIXTURES.length - 1,
    `${quiet} of ${BENIGN_FIXTURES.length} benign pages show nothing`,
  );
});

test('obfuscation is undone before matching, and each character keeps where it came from', () => {
  const src = 'eval/*x*/("\\x65" + "v" + "al", (char)114 + String.fromCharCode(101,113)); Re\\u0071uest';
  const n = normalise(src);
  assert.equal(n.text, 'eval("eval","req");Request');
  assert.ok(
    n.tricks.has('comments between tokens') && n.tricks.has('char codes') && n.tricks.has('split strings'),
  );
  const at = n.text.indexOf('Request');
  assert.equal(src.slice(n.origin[at], n.origin[at]! + 2), 'Re');
  assert.equal(normalise('Dim a As _\r\n  String').text, 'Dim a As String');
  assert.equal(normalise('"lave".Replace("x","")').text, '"lave"');
  assert.equal(normalise('StrReverse("lave")').text, '"eval"');
  assert.equal(normalise('x = "%65%76%61%6c"; y = 100%ab').text, 'x="eval";y=100%ab');
  assert.equal(normalise('&#101;&#x76;al &lt;%').text, 'eval<%');
});

test('UTF-16 pages are read as text', () => {
  const page = '<%@ Page Language="Jscript"%><%eval(Request.Item["a"],"unsafe");%>';
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(page, 'utf16le')]).toString('latin1');
  assert.equal(decodeSource(le), page);
  assert.ok(analyseContent(le).webshell);
  const noBom = Buffer.from(page, 'utf16le').toString('latin1');
  assert.ok(analyseContent(noBom).webshell);
});

test('a base64 string literal is decoded and searched as code; binary base64 (an image) is not', () => {
  const code = Buffer.from('var o = new ActiveXObject("WScript.Shell"); o.Run(Request.Item["c"]);').toString(
    'base64',
  );
  const r = analyseContent(`<% var s = "${code}"; %>`);
  assert.ok(r.webshell);
  assert.ok(r.hits.some((h) => h.decoded === 'base64'));
  const png = Buffer.alloc(300, 0x89).toString('base64');
  assert.equal(analyseContent(`<img src="data:image/png;base64,${png}">`).hits.length, 0);
});

test('Request in client script or data binding is not request data evaluated on the server', () => {
  const pages = [
    '<script>var r = eval(request.responseText);</script>',
    '<%# Eval("Name") %> <a href="?p=<%= Request.QueryString["p"] %>">next</a>',
    '<% Response.Write(Server.HtmlEncode(Request.Form["q"])); %>',
  ];
  for (const p of pages) assert.equal(analyseContent(p).webshell, false, p);
});

test('hostile repetitive input stays linear: 4 MiB of each finishes within a generous bound', () => {
  const units = [
    "eval(x.text, file.delete(Request['a'] /*",
    'file.delete(',
    'sqlconnection((((',
    '"QUFBQUFBQUFBQUFBQUFBQUFB"+',
    'eval(',
    ' '.repeat(2047) + 'x',
  ];
  for (const u of units) {
    const text = u.repeat(Math.ceil((4 << 20) / u.length)).slice(0, 4 << 20);
    const t0 = Date.now();
    analyseContent(text);
    const s = (Date.now() - t0) / 1000;
    assert.ok(s < 60, `${JSON.stringify(u.slice(0, 20))} took ${s} s`);
  }
});

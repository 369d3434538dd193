// Tests that attacker-controlled text is neutralised for terminals, spreadsheets and HTML.

import assert from 'node:assert/strict';
import test from 'node:test';
import {
  csvField,
  htmlSafe,
  htmlText,
  mdCode,
  mdText,
  psComment,
  psLiteral,
  safeTerminal,
  visible,
} from './escape.js';

test('terminal output shows control characters instead of sending them', () => {
  assert.equal(safeTerminal('a\x1b[31mred\x07\nb'), 'a\\x1b[31mred\\x07\\nb');
  assert.equal(safeTerminal('plain /owa/auth/x.js'), 'plain /owa/auth/x.js');
});

test('CSV quotes separators and disarms formulas', () => {
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "x"'), '"say ""x"""');
  assert.equal(csvField('=cmd|calc'), "'=cmd|calc");
  assert.equal(csvField('ok'), 'ok');
});

test('HTML escapes markup', () => {
  assert.equal(
    htmlText('<script>alert("x")</script>'),
    '&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;',
  );
});

test('PowerShell literals double every quote PowerShell accepts and refuse control characters', () => {
  assert.equal(psLiteral("C:\\it's.aspx"), "'C:\\it''s.aspx'");
  assert.equal(
    psLiteral('a\u2018b\u2019c\u201ad\u201be'),
    "'a\u2018\u2018b\u2019\u2019c\u201a\u201ad\u201b\u201be'",
  );
  assert.equal(
    psLiteral('$(calc) `n "x"'),
    '\'$(calc) `n "x"\'',
    'nothing expands in a single-quoted literal',
  );
  assert.equal(psLiteral('a\r\nRemove-Item C:\\'), undefined);
  assert.equal(psLiteral('a\u2028b'), undefined);
  assert.equal(psLiteral('a\u0085b'), undefined);
  assert.equal(psComment('x\r\nRemove-Item C:\\'), 'x\\x0d\\nRemove-Item C:\\');
});

test('Markdown: code spans outlast the backticks inside; text escapes markup', () => {
  assert.equal(mdCode('a`b'), '``a`b``');
  assert.equal(mdCode('`x`'), '`` `x` ``');
  assert.equal(mdCode('a|b', true), '`a\\|b`');
  assert.equal(mdText('<b>*x*</b> [l](u) (ok)'), '\\<b\\>\\*x\\*\\</b\\> \\[l\\](u) (ok)');
  assert.equal(mdText('# not a heading'), '\\# not a heading');
  assert.equal(mdText('1. not a list'), '1\\. not a list');
});

test('bidi overrides and zero-width characters are shown, not applied', () => {
  assert.equal(visible('gpj.\u202easpx'), 'gpj.\\u202easpx');
  assert.equal(htmlSafe('<a\u200b>'), '&#60;a\\u200b&#62;');
});

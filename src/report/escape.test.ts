// Tests that attacker-controlled text is neutralised for terminals, spreadsheets and HTML.

import assert from 'node:assert/strict';
import test from 'node:test';
import { csvField, htmlText, safeTerminal } from './escape.js';

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

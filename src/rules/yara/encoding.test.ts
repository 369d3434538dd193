// Tests for the at-rest encoding of rule files and fixtures, and for reading yara's command-line output.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { parseCompileError, parseYaraOutput } from './cli-output.js';
import { decodeAtRest, encodeAtRest } from './encoding.js';
import { BUILTIN_YARA_DIR } from './rules.js';

test('encoded files round-trip, hide their text, and plain base64 is read too', () => {
  const text = 'rule t { strings: $a = "eval(Request" condition: $a }\n';
  const enc = encodeAtRest(text);
  assert.match(enc, /^exhunt-encoded xor=5a\n/);
  assert.ok(
    !enc.includes('Request') && !Buffer.from(enc.split('\n').slice(1).join(''), 'base64').includes('Request'),
  );
  assert.equal(decodeAtRest(enc).toString(), text);
  assert.equal(decodeAtRest(Buffer.from(text).toString('base64')).toString(), text);
  assert.throws(() => decodeAtRest('exhunt-encoded xor=5a\nnot base64 !'), /not base64/);
});

test('our rule file decodes to YARA source and is not plain text at rest', () => {
  const raw = readFileSync(join(BUILTIN_YARA_DIR, 'exchange-webshells.yar.b64'), 'latin1');
  assert.ok(!/runat|unsafe|rule exhunt_/i.test(raw));
  const src = decodeAtRest(raw).toString('utf8');
  assert.equal(src.match(/^rule exhunt_\w+/gm)?.length, 9);
  assert.ok(!/^\s*import\s/m.test(src), 'no modules: the same rules run on YARA-X and yara 4');
});

test('yara -e -m -g -s output: namespace, tags, meta with escapes, strings, target path with spaces', () => {
  const out =
    'ns1:t1 [tagA,tagB] [author="me \\"q\\"",score =5,flag=true,description="a, b [c]"] /tmp/x y/target\n' +
    '0x3:$a: hello\n0xc:$b: h\\x00e\\x00\n' +
    'default:plain [] [] /tmp/x y/target\n0x0:$: xx\n';
  const ms = parseYaraOutput(out, '/tmp/x y/target');
  assert.deepEqual(ms, [
    {
      namespace: 'ns1',
      rule: 't1',
      tags: ['tagA', 'tagB'],
      meta: { author: 'me "q"', score: 5, flag: true, description: 'a, b [c]' },
      strings: [
        { id: '$a', offset: 3, data: 'hello' },
        { id: '$b', offset: 12, data: 'h\\x00e\\x00' },
      ],
    },
    {
      namespace: 'default',
      rule: 'plain',
      tags: [],
      meta: {},
      strings: [{ id: '$', offset: 0, data: 'xx' }],
    },
  ]);
  assert.deepEqual(parseCompileError('error: rule "bad" in /tmp/d/0.yar(3): undefined identifier "foo"\n'), {
    line: 3,
    message: 'undefined identifier "foo"',
  });
  assert.deepEqual(parseCompileError('/tmp/d/1.yar(7): error: syntax error, unexpected <end of file>\n'), {
    line: 7,
    message: 'error: syntax error, unexpected <end of file>',
  });
});

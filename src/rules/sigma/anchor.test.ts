// Anchors: the field test each rule needs, and an anchored rule set that matches exactly what the plain one does.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ruleAnchor } from './anchor.js';
import { compileEntries } from './compile.js';
import { identityFieldMap } from './fieldmap.js';
import { parseRuleText } from './parse.js';
import { detection, rec } from './testkit.js';
import type { Fields } from './testkit.js';

const fm = identityFieldMap('evtx');
const alts = (body: string): string[] | undefined =>
  ruleAnchor(detection(body), fm)?.map((a) => `${a.field}:${a.kind}:${a.lit}`);

test('anchor: the most selective necessary test; or-ed selections join; negations and regex give none', () => {
  assert.deepEqual(
    alts("  s:\n    Image|endswith: '\\CMD.exe'\n    CommandLine|contains: x\n  condition: s"),
    ['Image:ends:\\cmd.exe'],
  );
  assert.deepEqual(
    alts(
      "  a:\n    - Image|endswith: '\\net.exe'\n    - OriginalFileName: net.exe\n  b:\n    CommandLine|contains: user\n  condition: a and b",
    ),
    ['Image:ends:\\net.exe', 'OriginalFileName:eq:net.exe'],
  );
  assert.deepEqual(alts('  s:\n    CommandLine|contains|all: [ab, abcdef]\n  condition: s'), [
    'CommandLine:contains:abcdef',
  ]);
  assert.deepEqual(alts("  s:\n    CommandLine: '* -e* JAB*'\n  condition: s"), [
    'CommandLine:contains: jab',
  ]);
  assert.equal(alts('  s:\n    Image|endswith: x\n  condition: not s'), undefined);
  assert.equal(alts("  s:\n    Image|re: 'x$'\n  condition: s"), undefined);
  assert.equal(alts('  s:\n    - whoami\n  condition: s'), undefined, 'keywords search the whole record');
  assert.equal(
    alts('  a:\n    Image|endswith: x\n  b:\n    User: y\n  c:\n    User|re: z\n  condition: a or c'),
    undefined,
  );
});

const RULES = [
  ["Image|endswith: ['\\cmd.exe', '\\powershell.exe']", 'CommandLine|contains: whoami'],
  ["OriginalFileName: 'net.exe'", "CommandLine|contains|all: [' user ', ' /add']"],
  ["CommandLine|contains|windash: ' -decode '"],
  ["CommandLine: '*comsvcs*minidump*'"],
  ["Image|startswith: 'C:\\Users\\Public\\'"],
  ["ParentImage|endswith: '\\w3wp.exe'", "Image|endswith: ['\\cmd.exe', '\\net.exe']"],
  ["CommandLine|contains: 'rundll32'", "CommandLine|contains: ['.sys,', '.sys ']"],
  ["Image|endswith: '\\whoami.exe'"],
  ['CommandLine|contains|cased: Secret'],
  ["Image|endswith: '\\wmic.exe'", "CommandLine|contains: ' process call create'"],
];

function rules(): string {
  return RULES.map(
    (sel, i) =>
      `title: r${i}\nid: r${i}\nlogsource: {product: windows, category: process_creation}\ndetection:\n  s:\n${sel.map((l) => `    ${l}`).join('\n')}\n  condition: s\n---\n`,
  ).join('');
}

const EVENTS: Fields[] = [
  { Image: 'C:\\Windows\\System32\\CMD.EXE', CommandLine: 'cmd /c WHOAMI /all' },
  { Image: 'C:\\x\\net1.exe', OriginalFileName: 'NET.EXE', CommandLine: 'net user bob /add' },
  { Image: 'c:\\certutil.exe', CommandLine: 'certutil /decode a b' },
  { Image: 'c:\\certutil.exe', CommandLine: 'certutil \u2013decode a b' },
  { Image: 'rundll32.exe', CommandLine: 'rundll32 C:\\comsvcs.dll, MiniDump 1 x full' },
  { Image: 'C:\\Users\\Public\\a.exe', CommandLine: 'a' },
  { ParentImage: 'c:\\inetpub\\w3wp.exe', Image: ['c:\\x\\net.exe', 'y'], CommandLine: 'net' },
  { Image: 'c:\\rundll32.exe', CommandLine: 'rundll32.exe evil.sys,Entry' },
  { Image: 'c:\\x\\whoami.exe' },
  { CommandLine: 'echo Secret' },
  { CommandLine: 'echo secret' },
  { Image: 'C:\\WMIC.exe', CommandLine: 'wmic process call create calc' },
  { Image: 'notepad.exe', CommandLine: 'notepad' },
  { Image: null, CommandLine: null },
];

test('an anchored rule set matches exactly what the plain one matches', () => {
  const { rules: parsed } = parseRuleText(rules(), 'a.yml');
  const entries = parsed.map((rule) => ({ rule, fieldMap: fm }));
  const anchored = compileEntries(entries).set;
  const plain = compileEntries(entries, { anchors: false }).set;
  const ids = (m: readonly { id: string }[]): string[] => m.map((r) => r.id);
  let matched = 0;
  for (const e of EVENTS) {
    const want = ids(plain.match(rec(e)));
    matched += want.length;
    assert.deepEqual(ids(anchored.match(rec(e))), want, JSON.stringify(e));
  }
  assert.ok(matched >= 10, `the events do exercise the rules (${matched} matches)`);
});

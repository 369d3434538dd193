// Collect-Exhunt.ps1 as text: it parses with a real PowerShell grammar, matches its golden file, quotes every
// option, and carries exactly the plan (data/collect.json). PowerShell itself cannot run here.

import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import test from 'node:test';
import { loadPlan } from './plan.js';
import { loadPowerShellParser } from './ps-grammar.js';
import type { SyntaxIssue } from './ps-grammar.js';
import { collectorScript, psString } from './script.js';
import { TEMPLATE } from './template.js';

const GOLDEN = new URL('../../../src/collector/golden/Collect-Exhunt.ps1', import.meta.url);
const plan = loadPlan();
const FIXED = { version: '9.9.9', since: '2022-12-01T00:00:00.000Z', maxGB: 5 };
const parser = await loadPowerShellParser();
const skip = typeof parser === 'string' ? `skipped: ${parser}` : false;

const where = (script: string, issues: SyntaxIssue[]) =>
  issues
    .map(
      (i) => `${i.kind} ${i.what} at line ${i.line}:${i.column}: ${script.split('\r\n')[i.line - 1]?.trim()}`,
    )
    .join('\n');

test('the script for fixed options matches the golden file (UPDATE_GOLDEN=1 rewrites it)', async () => {
  const script = collectorScript(plan, FIXED);
  if (process.env.UPDATE_GOLDEN) await writeFile(GOLDEN, script);
  assert.equal(script, await readFile(GOLDEN, 'utf8'));
});

test('the script parses as PowerShell, with and without every option', { skip }, () => {
  const parse = parser as Exclude<typeof parser, string>;
  for (const o of [
    { version: '1.0.0' },
    { ...FIXED, uploadUrl: "https://fleet.example/x'y", token: "t'$(whoami)" },
  ]) {
    const script = collectorScript(plan, o);
    const issues = parse(script);
    assert.equal(issues.length, 0, where(script, issues));
  }
});

test('the grammar finds a syntax error, with its line', { skip }, () => {
  const parse = parser as Exclude<typeof parser, string>;
  const script = collectorScript(plan, FIXED);
  // Drop the brace that closes Read-Shared's while loop.
  const lines = script.split('\r\n');
  const at = lines.findIndex((l) => l.trim() === '$total += $n');
  assert.ok(at > 0 && lines[at + 1]?.trim() === '}');
  lines.splice(at + 1, 1);
  const issues = parse(lines.join('\r\n'));
  assert.ok(issues.length > 0, 'the broken script must not parse');
});

test('options are PowerShell literals: a quote in a URL or token cannot end the string', () => {
  assert.equal(psString("a'b\u2019c"), "'a''b\u2019\u2019c'");
  const script = collectorScript(plan, { ...FIXED, uploadUrl: 'https://h/', token: "x';Remove-Item C:\\;'" });
  assert.ok(script.includes("[string] $Token = 'x'';Remove-Item C:\\;'''"));
  assert.ok(!/__[A-Z_]+__/.test(script), 'no placeholder left');
});

test('the script is ASCII with CRLF line ends, for Windows PowerShell 5.1 without a byte-order mark', () => {
  const script = collectorScript(plan, FIXED);
  assert.ok(/^[\x20-\x7e\r\n\t]*$/.test(script));
  assert.ok(!/[^\r]\n/.test(script));
  assert.ok(!TEMPLATE.includes('`'), 'no backtick in the template');
});

test('the plan inside the script is data/collect.json, every entry and channel', () => {
  const script = collectorScript(plan, FIXED);
  const json = /\$PlanJson = @'\r\n([\s\S]*?)\r\n'@/.exec(script)?.[1];
  assert.ok(json, 'the plan here-string');
  const inside = JSON.parse(json) as {
    files: { id: string; names: string[] }[];
    eventLogs: { channel: string }[];
  };
  assert.deepEqual(
    inside.files.map((f) => [f.id, f.names]),
    plan.files.map((f) => [f.id, f.names]),
  );
  assert.deepEqual(
    inside.eventLogs.map((l) => l.channel),
    plan.eventLogs.map((l) => l.channel),
  );
  assert.ok(script.includes("[string] $Since = '2022-12-01T00:00:00.000Z'") && script.includes('$MaxGB = 5'));
});

test('every fact the plan promises is written into the manifest', () => {
  const manifest = /\$manifest = \[ordered\]@\{([\s\S]*?)\r\n {4}\}/.exec(
    TEMPLATE.replace(/\n/g, '\r\n'),
  )?.[1];
  assert.ok(manifest);
  const keys = new Set([...manifest.matchAll(/^\s+(\w+) = /gm)].map((m) => m[1]));
  const facts: Record<string, string> = { exsetupVersion: 'exsetupVersion', updates: 'updates' };
  for (const f of Object.keys(plan.facts)) assert.ok(keys.has(facts[f] ?? f), `manifest lacks ${f}`);
  for (const k of ['operator', 'collector', 'startedAt', 'files', 'skipped']) assert.ok(keys.has(k), k);
});

test("the manifest rows the script writes carry what the scan's check requires", () => {
  const rows = TEMPLATE.split('\n').filter((l) => l.includes('$files.Add('));
  assert.equal(rows.length, 2, 'files copied and event logs exported');
  for (const r of rows)
    for (const k of ['path', 'original', 'size', 'sha256']) assert.match(r, new RegExp(`\\b${k} = `));
  const skips = TEMPLATE.split('\n').filter((l) =>
    /\$(skipped\.Add|row) = \[ordered\]|\$skipped\.Add\(\[ordered\]/.test(l),
  );
  assert.ok(skips.length >= 3);
  for (const r of skips) for (const k of ['original', 'reason']) assert.match(r, new RegExp(`\\b${k} = `));
  assert.match(TEMPLATE, /format = 'exhunt-collection'/);
});

test('the upload speaks the fleet server routes for resumable bundles', async () => {
  const { resumableRoutes } = await import('../server/routes/resumable.js');
  const urls = resumableRoutes.map((r) => `${r.method} ${r.url}`).sort();
  assert.deepEqual(urls, [
    'GET /bundles/uploads/:sha256',
    'POST /bundles/uploads/:sha256/chunks',
    'POST /bundles/uploads/:sha256/complete',
  ]);
  assert.ok(TEMPLATE.includes("'/api/v1/bundles/uploads/' + $Sha256"));
  assert.ok(
    TEMPLATE.includes(
      "Invoke-RestMethod -Method Post -Uri ($base + '/chunks' + $query + '&offset=' + $offset)",
    ),
  );
  assert.ok(TEMPLATE.includes("Invoke-RestMethod -Method Post -Uri ($base + '/complete' + $query)"));
});

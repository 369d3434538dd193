// The Velociraptor artifact is generated from the plan: the committed YAML is the generated one, it is an
// artifact definition Velociraptor's loader would take, and its globs take exactly the plan's entries.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import test from 'node:test';
import { parse } from 'yaml';
import { DEFAULT_INSTALL, entryFor, loadPlan } from './plan.js';
import type { PlaceContext } from './plan.js';
import { EVTX_FOLDER, evtxFileName } from '../core/event-log-files.js';
import { velociraptorArtifact } from './velociraptor.js';

const COMMITTED = new URL('../../../velociraptor/Exchange.Exhunt.Collect.yaml', import.meta.url);
const plan = loadPlan();
const text = velociraptorArtifact(plan);

interface Param {
  name: string;
  type?: string;
  default?: unknown;
}
interface Artifact {
  name: string;
  description: string;
  type: string;
  parameters: Param[];
  sources: { precondition?: string; query: string }[];
}
const doc = parse(text) as Artifact;

/** A CSV parameter's rows, as Velociraptor reads them (quoted cells, doubled quotes). */
function csvRows(p: Param | undefined): Record<string, string>[] {
  assert.ok(p && p.type === 'csv' && typeof p.default === 'string', `${p?.name} is a csv parameter`);
  const lines = p.default.trimEnd().split('\n');
  const cells = (line: string) =>
    [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)]
      .filter((m, i, all) => i < all.length - 1 || m[0] !== '')
      .map((m) => (m[1]!.startsWith('"') ? m[1]!.slice(1, -1).replace(/""/g, '"') : m[1]!));
  const head = cells(lines[0]!);
  return lines.slice(1).map((l) => Object.fromEntries(cells(l).map((c, i) => [head[i]!, c])));
}

/** Velociraptor's glob on a `/` path: `*` within a name, `**` any folders (none too), `{a,b}` alternatives. */
function globMatches(glob: string, path: string): boolean {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (glob.startsWith('**/', i)) {
      re += '(?:[^/]+/)*';
      i += 2;
    } else if (c === '*') re += '[^/]*';
    else if (c === '{') re += '(?:';
    else if (c === '}') re += ')';
    else if (c === ',' && re.lastIndexOf('(?:') > re.lastIndexOf(')')) re += '|';
    else re += c.replace(/[.+?^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i').test(path);
}

const rows = csvRows(doc.parameters.find((p) => p.name === 'Files'));

/** The entry whose globs first take a path, roots placed as the plan's examples place them. */
function rowFor(path: string, ctx: PlaceContext): string | undefined {
  for (const r of rows) {
    const bases = r['Root'] === 'system' ? [''] : r['Root'] === 'install' ? [ctx.install] : ctx.siteRoots;
    if (bases.some((b) => globMatches(b === '' ? r['Glob']! : `${b}/${r['Glob']}`, path))) return r['Entry'];
  }
  return undefined;
}

test('the committed artifact is the one generated from data/collect.json (exhunt collector --velociraptor)', async () => {
  assert.equal(await readFile(COMMITTED, 'utf8'), text);
});

test('it is an artifact definition: name, description, CLIENT type, parameters, a windows source with VQL', () => {
  assert.equal(doc.name, 'Exchange.Exhunt.Collect');
  assert.equal(doc.type, 'CLIENT');
  assert.ok(doc.description.includes('data/collect.json'));
  assert.deepEqual(
    doc.parameters.map((p) => p.name),
    ['ExchangeInstallPath', 'SinceDays', 'Files', 'EventLogs'],
  );
  assert.equal(doc.sources.length, 1);
  const { precondition, query } = doc.sources[0]!;
  assert.match(precondition ?? '', /OS = 'windows'/);
  // The parameters the query reads are the artifact's; the plan's paths are not repeated in it.
  for (const name of ['Files', 'EventLogs', 'SinceDays', 'ExchangeInstallPath'])
    assert.match(query, new RegExp(`\\b${name}\\b`));
  assert.match(query, /glob\(globs=/);
  assert.match(query, /upload\(file=OSPath/);
  // Every LET is used, and braces and parentheses balance.
  for (const [, name] of query.matchAll(/^LET (\w+)/gm))
    assert.ok(query.split(new RegExp(`\\b${name}\\b`)).length > 2, `${name} is used`);
  for (const [open, close] of [
    ['(', ')'],
    ['{', '}'],
  ])
    assert.equal(query.split(open!).length, query.split(close!).length, `${open}${close} balance`);
});

test("its globs take exactly the plan's entries: each example by its own entry, as the script does", () => {
  assert.deepEqual(
    [...new Set(rows.map((r) => r['Entry']))],
    plan.files.map((e) => e.id),
  );
  for (const e of plan.files) {
    const mine = rows.filter((r) => r['Entry'] === e.id);
    assert.ok(mine.every((r) => r['Root'] === e.root));
    assert.ok(mine.every((r) => r['Since'] === (e.since ? 'Y' : 'N')));
    assert.ok(mine.every((r) => Number(r['MaxBytes']) === (e.maxBytes ?? 0) && r['OverMax'] === e.overMax));
    const siteRoots = e.root === 'site' ? [e.example.slice(0, e.example.indexOf('/', 6))] : [];
    const ctx = { install: DEFAULT_INSTALL, siteRoots };
    assert.equal(rowFor(e.example, ctx), e.id, e.example);
    assert.equal(entryFor(plan, e.example, ctx)?.id, e.id);
    // Each name pattern, directly in the folder and (recursive entries only) below it.
    const dir = [e.root === 'install' ? DEFAULT_INSTALL : e.root === 'site' ? siteRoots[0] : '', e.folder]
      .filter((s) => s)
      .join('/');
    for (const n of e.names) {
      const name = n.replace(/\*/g, 'x');
      assert.equal(
        rowFor(`${dir}/${name}`, ctx),
        entryFor(plan, `${dir}/${name}`, ctx)?.id,
        `${dir}/${name}`,
      );
      const deep = `${dir}/a/b/${name}`;
      assert.equal(rowFor(deep, ctx), entryFor(plan, deep, ctx)?.id, deep);
      assert.equal(rowFor(deep, ctx) !== undefined, entryFor(plan, deep, ctx) !== undefined, deep);
    }
  }
});

test('it collects the plan event log channels, by the file names the scan reads them by', () => {
  const logs = csvRows(doc.parameters.find((p) => p.name === 'EventLogs'));
  assert.deepEqual(
    logs.map((l) => l['Channel']),
    plan.eventLogs.map((l) => l.channel),
  );
  for (const l of logs) assert.equal(l['File'], evtxFileName(l['Channel']!));
  assert.ok(doc.sources[0]!.query.includes(EVTX_FOLDER));
  assert.equal(
    evtxFileName('Microsoft-Windows-Sysmon/Operational'),
    'Microsoft-Windows-Sysmon%4Operational.evtx',
  );
});

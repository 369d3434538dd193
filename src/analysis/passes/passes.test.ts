// The analysis passes: what each returns on a few hand-made findings, that they change nothing themselves,
// that the applier records which pass changed what, and that they run in the documented order.

import assert from 'node:assert/strict';
import test from 'node:test';
import type { Finding, RuleRef } from '../../core/finding.js';
import type { ExposureReport } from '../../core/report.js';
import { GATE, RULE_IDS, SCANNER_CHECK_TAG } from '../../core/rule-ids.js';
import { countRequest, emptyCensus } from '../census.js';
import { finding, resetIds, w3c } from '../testkit.js';
import type { Adjustment } from './adjustment.js';
import { Draft } from './adjustment.js';
import { applyAdjustments } from './apply.js';
import { collectedCopiesPass } from './collected-copies.js';
import { ecpResetPass } from './ecp-reset.js';
import { exposureWindowsPass } from './exposure-windows.js';
import { PASSES, runPasses } from './index.js';
import { internalScannersPass } from './internal-scanners.js';
import type { Pass, PassInput } from './pass.js';
import { stagedGatePass } from './staged-gate.js';
import { webshellsPass } from './webshells.js';

const rule = (id: string, tags?: string[]): RuleRef => ({
  id,
  title: id,
  author: 'exhunt',
  source: 'exhunt',
  ...(tags ? { tags } : {}),
});
const NO_CONTEXT = { artifacts: [], internal: {} };

/** Runs a pass on a deep copy and checks it left the findings as they were: passes only return adjustments. */
function run(pass: Pass, findings: Finding[], input: Omit<PassInput, 'findings'> = NO_CONTEXT): Adjustment[] {
  const before = structuredClone(findings);
  const out = pass.run({ ...input, findings });
  assert.deepEqual(findings, before, `${pass.name} changed a finding itself`);
  assert.ok(out.every((a) => a.pass === pass.name));
  return out;
}

/** `field from → to` of each adjustment of one finding, for short assertions. */
const changes = (out: readonly Adjustment[], f: Finding) =>
  out.filter((a) => a.findingId === f.id).map((a) => `${a.field} ${a.from ?? '∅'} → ${a.to}`);

const staged = (id: string, outcome: Finding['outcome'] = 'compromise', path = 'ProgramData/x/out.zip') =>
  finding({ rule: rule(id), stage: 'collection', outcome, path, line: null, details: { path, gate: GATE.exploitation } }); // prettier-ignore

test('the passes run in the documented order, each named once', () => {
  assert.deepEqual(
    PASSES.map((p) => p.name),
    ['ecp-reset', 'webshells', 'internal-scanners', 'collected-copies', 'staged-gate', 'exposure-windows'],
  );
  assert.ok(PASSES.every((p) => p.does.length > 0));
});

test('ecp-reset: a reset within an hour after a script URL is compromise and critical; a later one is left', () => {
  resetIds();
  const set = finding({
    rule: rule(RULE_IDS.ecpVdirScript),
    outcome: 'success',
    time: '2021-03-03T06:49:53.000Z',
  });
  const soon = finding({ rule: rule(RULE_IDS.ecpVdirReset), outcome: 'attempt', severity: 'high', time: '2021-03-03T06:50:08.000Z' }); // prettier-ignore
  const late = finding({
    rule: rule(RULE_IDS.ecpVdirReset),
    outcome: 'attempt',
    time: '2021-03-03T08:00:00.000Z',
  });
  const out = run(ecpResetPass, [set, soon, late]);
  assert.deepEqual(changes(out, soon), [
    'outcome attempt → compromise',
    'severity high → critical',
    'note ∅ → follows a virtual directory URL set to script: this reset writes the webshell',
  ]);
  assert.deepEqual(changes(out, late), []);
  assert.deepEqual(run(ecpResetPass, [soon, late]), [], 'no script URL set: nothing');
});

test('webshells: a suspicious request to a webshell on disk is compromise, and a suspicious file it reached too', () => {
  resetIds();
  const path = 'inetpub/wwwroot/aspnet_client/shell.aspx';
  const shell = finding({ rule: rule(RULE_IDS.webshellFile), stage: 'webshell-write', outcome: 'compromise', path, line: null, details: { path } }); // prettier-ignore
  const odd = 'Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/odd.aspx';
  const oddFile = finding({ rule: rule(RULE_IDS.webshellUnknownScript), stage: 'webshell-write', outcome: 'suspicious', path: odd, line: null, details: { path: odd } }); // prettier-ignore
  const use = (url: string, outcome: Finding['outcome']) =>
    finding({ rule: rule('test.use'), stage: 'webshell-use', outcome, details: { url } });
  const toShell = use('/aspnet_client/shell.aspx', 'suspicious');
  const toOdd = use('/owa/auth/odd.aspx', 'compromise');
  const elsewhere = use('/owa/auth/other.aspx', 'suspicious');
  const out = run(webshellsPass, [shell, oddFile, toShell, toOdd, elsewhere]);
  assert.deepEqual(changes(out, toShell), [
    'outcome suspicious → compromise',
    `note ∅ → the requested file is a webshell on disk: ${path}`,
  ]);
  // The unknown script is raised by a request that was already webshell use; its own requests are not.
  assert.deepEqual(changes(out, oddFile), ['outcome suspicious → compromise']);
  assert.deepEqual(changes(out, toOdd), []);
  assert.deepEqual(changes(out, elsewhere), []);
});

test('internal-scanners: a failed check from an internal address is set aside, with its markers and note', () => {
  resetIds();
  const census = emptyCensus();
  for (let i = 0; i < 200; i++)
    countRequest(census, { client: `10.10.20.${i % 40}`, server: '10.0.0.5', user: `CORP\\u${i % 40}`, agent: 'Outlook' }); // prettier-ignore
  const check = (ip: string) => {
    const time = '2021-08-09T14:00:10.000Z';
    return finding({
      rule: rule('test.scanner-check', [SCANNER_CHECK_TAG]),
      stage: 'recon',
      outcome: 'probe',
      time,
      sourceIps: [ip],
      details: { httpStatus: '404', method: 'GET', url: '/owa/auth/errorFS.aspx' },
      excerpt: w3c({ time, stem: '/owa/auth/errorFS.aspx', ip, ua: 'zgrab', status: 404 }),
    });
  };
  const inside = check('10.20.0.50');
  const outside = check('203.0.113.7');
  const out = run(internalScannersPass, [inside, outside], { artifacts: [], internal: { census } });
  assert.deepEqual(
    out.filter((a) => a.findingId === inside.id).map((a) => a.field),
    ['details.setAside', 'details.setAsideOutcome', 'details.internalSource', 'details.scannerRequest', 'note', 'outcome'], // prettier-ignore
  );
  assert.deepEqual(changes(out, inside).at(-1), 'outcome probe → context');
  assert.deepEqual(changes(out, outside), []);
  const counted = run(internalScannersPass, [inside, outside], { artifacts: [], internal: { census, internalAttacks: true } }); // prettier-ignore
  assert.deepEqual(counted, [], '--internal-attacks: nothing');
});

test('collected-copies: a copy of a file the list places in a security product folder becomes a vendor file', () => {
  resetIds();
  const list = 'Test-ProxyLogonLogs/EXCH01-other.csv';
  const listed = 'C:\\ProgramData\\Vendor\\MpSupportFiles.zip';
  // The pass reads the typed section the detector fills (the details are the report's text copies).
  const row = finding({ rule: rule(RULE_IDS.tplArchiveListed), outcome: 'context', path: list, line: 2, serverFile: { path: listed, host: 'EXCH01', vendorProduct: 'Vendor AV' }, details: { path: listed, computer: 'EXCH01', vendorProduct: 'Vendor AV' } }); // prettier-ignore
  delete row.file;
  const copy = staged(RULE_IDS.stagedArchive, 'compromise', 'Test-ProxyLogonLogs/CollectedLogFiles/EXCH01/SuspiciousFiles/MpSupportFiles.zip_0'); // prettier-ignore
  const other = staged(RULE_IDS.stagedArchive, 'compromise', 'Test-ProxyLogonLogs/CollectedLogFiles/EXCH01/SuspiciousFiles/it.zip_1'); // prettier-ignore
  const out = run(collectedCopiesPass, [row, copy, other]);
  const made = changes(out, copy);
  for (const c of [
    'gate exploitation → vendor',
    'details.gate exploitation → vendor',
    'details.vendorProduct ∅ → Vendor AV',
    'details.originalPath ∅ → C:\\ProgramData\\Vendor\\MpSupportFiles.zip',
    'outcome compromise → context',
  ])
    assert.ok(made.includes(c), c);
  assert.match(made.at(-1) ?? '', /^note ∅ → a copy made by Test-ProxyLogon -CollectFiles of .*row 2 of /);
  assert.deepEqual(changes(out, other), [], 'no row of that name and place');
  assert.deepEqual(run(collectedCopiesPass, [copy, other]), [], 'no list: nothing');
});

test('staged-gate: staged files follow exploitation; an LSASS dump without it is left for review', () => {
  resetIds();
  const archive = staged(RULE_IDS.stagedArchive);
  const lsass = staged(RULE_IDS.lsassDump);
  const quiet = run(stagedGatePass, [archive, lsass]);
  assert.deepEqual(changes(quiet, archive), [
    'outcome compromise → context',
    'note ∅ → context only: no exploitation was found (antivirus archives are a known false positive)',
  ]);
  assert.deepEqual(changes(quiet, lsass)[0], 'outcome compromise → suspicious');
  const exploit = finding({ outcome: 'success' });
  const loud = run(stagedGatePass, [archive, lsass, exploit]);
  // Already compromise: only the note says the gate counted it.
  assert.deepEqual(changes(loud, archive), ['note ∅ → counted as compromise: the server shows exploitation']);
  assert.deepEqual(changes(loud, exploit), []);
});

test('exposure-windows: a CVE finding from a patched period is marked, its outcome kept', () => {
  resetIds();
  const exposure = {
    timeline: {
      windows: [
        {
          cve: 'CVE-2021-26855',
          state: 'vulnerable',
          to: '2021-03-08T00:00:00.000Z',
          campaign: 'ProxyLogon',
        },
        { cve: 'CVE-2021-26855', state: 'patched', from: '2021-03-08T00:00:00.000Z', campaign: 'ProxyLogon' },
      ],
    },
  } as unknown as ExposureReport;
  const before = finding({ cves: ['CVE-2021-26855'], time: '2021-03-03T00:00:00.000Z' });
  const after = finding({ cves: ['CVE-2021-26855'], time: '2021-03-10T00:00:00.000Z' });
  const out = run(exposureWindowsPass, [before, after], { ...NO_CONTEXT, exposure });
  assert.deepEqual(changes(out, before), []);
  assert.deepEqual(changes(out, after), [
    'details.exposureWindow ∅ → outside',
    'note ∅ → the server was not vulnerable to CVE-2021-26855 at this time (per the builds in its logs)',
  ]);
  assert.deepEqual(run(exposureWindowsPass, [after]), [], 'no build timeline: nothing');
});

test('the applier changes the fields and records on each finding which pass changed what, in order', () => {
  resetIds();
  const f = finding({ outcome: 'probe', note: 'read from a copy' });
  const g = finding({ outcome: 'probe' });
  const d1 = new Draft('first');
  d1.setOutcome(f, 'attempt', 'one');
  d1.addNote(f, 'and more', 'one');
  const d2 = new Draft('second');
  d2.setOutcome(f, 'context', 'two');
  d2.setDetails(f, { marker: 'x' }, 'two');
  d2.setOutcome(g, 'probe', 'no change is no adjustment');
  assert.equal(d2.adjustments.length, 2);
  applyAdjustments([f, g], [...d1.adjustments, ...d2.adjustments]);
  assert.equal(f.outcome, 'context');
  assert.equal(f.note, 'read from a copy; and more');
  assert.equal(f.details?.marker, 'x');
  assert.deepEqual(f.adjustments, [
    { pass: 'first', field: 'outcome', from: 'probe', to: 'attempt', reason: 'one' },
    {
      pass: 'first',
      field: 'note',
      from: 'read from a copy',
      to: 'read from a copy; and more',
      reason: 'one',
    },
    { pass: 'second', field: 'outcome', from: 'attempt', to: 'context', reason: 'two' },
    { pass: 'second', field: 'details.marker', to: 'x', reason: 'two' },
  ]);
  assert.equal(g.adjustments, undefined, 'a finding no pass changed has no adjustments');
});

test('a draft reads its own changes: a pass sees what it changed earlier in the same run', () => {
  resetIds();
  const f = finding({ outcome: 'suspicious' });
  const d = new Draft('p');
  d.setOutcome(f, 'compromise', 'x');
  assert.equal(d.outcome(f), 'compromise');
  assert.equal(f.outcome, 'suspicious', 'the finding itself is untouched');
});

test('a staged file without exploitation ends as context, the staged-gate pass recorded on it', () => {
  resetIds();
  // As the detector emits it: context until the gate says otherwise.
  const archive = staged(RULE_IDS.stagedArchive, 'context');
  const probe = finding({ outcome: 'attempt', time: '2021-03-03T00:00:00.000Z' });
  const all = runPasses([archive, probe], NO_CONTEXT);
  assert.equal(archive.outcome, 'context');
  // The outcome did not change, so only the note is an adjustment; the gate is recorded all the same.
  assert.deepEqual(
    archive.adjustments?.map((a) => [a.pass, a.field, a.from, a.to, a.reason]),
    [['staged-gate', 'note', undefined, 'context only: no exploitation was found (antivirus archives are a known false positive)', 'no exploitation was found']], // prettier-ignore
  );
  assert.equal(all.length, 1);
  assert.equal(probe.adjustments, undefined);
  // Had the detector said more, the gate would have brought it down, and said so.
  resetIds();
  const raised = staged(RULE_IDS.stagedArchive, 'compromise');
  runPasses([raised], NO_CONTEXT);
  assert.deepEqual(raised.adjustments?.[0], { pass: 'staged-gate', field: 'outcome', from: 'compromise', to: 'context', reason: 'no exploitation was found' }); // prettier-ignore
});

test('passes see what earlier passes applied: an ECP reset raised to compromise opens the staged-file gate', () => {
  resetIds();
  const set = finding({ rule: rule(RULE_IDS.ecpVdirScript), outcome: 'suspicious', time: '2021-03-03T06:49:53.000Z' }); // prettier-ignore
  const reset = finding({
    rule: rule(RULE_IDS.ecpVdirReset),
    outcome: 'attempt',
    time: '2021-03-03T06:50:08.000Z',
  });
  const archive = staged(RULE_IDS.stagedArchive, 'context');
  runPasses([set, reset, archive], NO_CONTEXT);
  assert.equal(reset.outcome, 'compromise');
  assert.equal(archive.outcome, 'compromise');
  assert.deepEqual(
    [...new Set([reset, archive].flatMap((f) => f.adjustments?.map((a) => a.pass) ?? []))],
    ['ecp-reset', 'staged-gate'],
  );
  // In the other order the gate would not have seen the exploitation: the order is part of the contract.
  resetIds();
  const set2 = finding({ rule: rule(RULE_IDS.ecpVdirScript), outcome: 'suspicious', time: '2021-03-03T06:49:53.000Z' }); // prettier-ignore
  const reset2 = finding({ rule: rule(RULE_IDS.ecpVdirReset), outcome: 'attempt', time: '2021-03-03T06:50:08.000Z' }); // prettier-ignore
  const archive2 = staged(RULE_IDS.stagedArchive, 'context');
  runPasses([set2, reset2, archive2], NO_CONTEXT, [stagedGatePass, ecpResetPass]);
  assert.equal(archive2.outcome, 'context');
});

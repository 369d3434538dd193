// Golden runs on the responders' cases: webshells on disk with no log trace (implanted), and Test-ProxyLogon's
// outputs with Export-Csv'd logs and no system drive (responder).

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import test from 'node:test';
import { IMPLANTS, LOOKALIKES, MODIFIED_STOCK } from '../../examples/lib/scenarios/implanted.js';
import { RESPONDER } from '../../examples/lib/scenarios/responder.js';
import type { Finding } from '../core/finding.js';
import type { ScanReport } from '../core/report.js';
import { INSTALL, byRule, generate, raising, scanJson } from './golden-kit.js';

const at = (p: string) => p.replace('<install>', INSTALL);

/** The behaviour that makes each family a webshell (ids of src/rules/builtin/webshell-behaviours.ts). */
const KEY_BEHAVIOUR: Record<string, string> = {
  'china-chopper': 'eval-unsafe',
  godzilla: 'assembly-load',
  aspxspy: 'file-read-input',
  regeorg: 'socket-input',
  'cmd-shell': 'process-input',
  'obfuscated-eval': 'eval-unsafe',
};

test('implanted example: compromised from the files alone, each family found on content wherever it sits', async () => {
  const { code, report } = await scanJson(await generate('implanted'));
  assert.equal(code, 4);
  assert.equal(report.verdict, 'compromised');
  assert.equal(report.problems.length, 0);
  const shells = byRule(report, 'exhunt.webshell.file');
  const on = (p: string) => shells.find((f) => f.details?.path === p);
  for (const i of IMPLANTS) {
    const f = on(at(i.path));
    assert.ok(f, `${i.shell.family} at ${i.path} found`);
    assert.equal(f.outcome, 'compromise');
    const behaviours = (f.details?.behaviours ?? '').split(', ');
    assert.ok(behaviours.includes(KEY_BEHAVIOUR[i.shell.family] ?? '?'), `${i.shell.family}: ${behaviours.join(', ')}`); // prettier-ignore
    assert.equal(f.evidence[0]?.path, at(i.path));
  }
  assert.match(on(at(IMPLANTS.find((i) => i.shell.family === 'obfuscated-eval')!.path))?.details?.deobfuscated ?? '', /char codes/); // prettier-ignore
  // The stock page keeps its shipped name: found by what was appended, not by the inventory.
  const stock = on(at(MODIFIED_STOCK.path));
  assert.ok(stock?.details?.behaviours?.includes('assembly-load'));
  assert.equal(stock?.details?.inventory, undefined, 'a shipped name');
  // Exactly the planted files are webshells; the pages that merely read the request are not flagged.
  const planted = [...IMPLANTS.map((i) => at(i.path)), at(MODIFIED_STOCK.path)].sort();
  assert.deepEqual(report.webshells.map((w) => w.path).sort(), planted);
  for (const w of report.webshells)
    assert.equal(w.sha256, report.artifacts.find((a) => a.path === w.path)?.sha256, `${w.path} hashed`);
  for (const l of LOOKALIKES) {
    assert.ok(
      report.artifacts.some((a) => a.path === at(l.path)),
      `${l.path} was read`,
    );
    assert.deepEqual(
      report.findings.filter((f) => f.evidence.some((e) => e.path === at(l.path))),
      [],
    );
  }
  // Nothing in the web logs: every finding that raises the verdict is a file on disk.
  const raisingPaths = report.findings.filter(raising).flatMap((f) => f.evidence.map((e) => e.path));
  assert.ok(
    raisingPaths.every((p) => planted.includes(p)),
    raisingPaths.join(', '),
  );
  assert.match(report.explanation, /^The server was compromised: Webshell/);
});

/** The line of an evidence file a finding cites. */
async function citedLine(root: string, f: Finding, i = 0): Promise<string> {
  const ev = f.evidence[i];
  assert.ok(ev?.line, `${f.rule.id} cites a line`);
  const text = await readFile(path.join(root, ev.path), 'utf8');
  return text.split('\r\n')[ev.line - 1] ?? '';
}

/** One responder tree and scan for the tests below. */
let responderRun: Promise<{ root: string; code: number; report: ScanReport }> | undefined;
function scanResponder() {
  responderRun ??= generate('responder').then(async (root) => ({ root, ...(await scanJson(root)) }));
  return responderRun;
}

test("responder example: Test-ProxyLogon's outputs and exported logs read as evidence, findings citing file and row", async () => {
  const { root, code, report } = await scanResponder();
  assert.equal(code, 4);
  assert.equal(report.verdict, 'compromised');
  assert.equal(report.problems.length, 0);
  const tpl = (suffix: string) => `${RESPONDER.out}/EXCH01-${suffix}`;
  // Every file of the output folder is an artifact with records: none read as nothing.
  for (const name of ['Cve-2021-26855.csv', 'Cve-2021-27065-ResetVDir.csv', 'Cve-2021-26858.log', 'Cve-2021-26858-DownloadPaths.log', 'Cve-2021-27065.log', 'other.csv', 'LogAgeDays.csv']) {
    const a = report.artifacts.find((x) => x.path === tpl(name));
    assert.ok(a && (a.records ?? 0) > 0, `${name} read with records`);
  } // prettier-ignore
  // The HttpProxy rules ran on the CSV's rows: each finding cites the row it came from.
  for (const id of ['exhunt.proxylogon.sid-theft', 'exhunt.proxylogon.ecp-session', 'exhunt.proxylogon.reset-vdir']) {
    const f = byRule(report, id)[0];
    assert.ok(f, id);
    assert.equal(f.evidence[0]?.path, tpl('Cve-2021-26855.csv'), id);
    const row = await citedLine(root, f);
    assert.ok(f.time && row.startsWith(`"${f.time}"`), `${id}: ${row}`);
    assert.ok(f.evidence[0]?.excerpt.includes(row.split('","')[1] ?? '?'), `${id} excerpt holds the request id`);
  } // prettier-ignore
  const reset = byRule(report, 'exhunt.proxylogon.reset-vdir')[0];
  assert.equal(reset?.outcome, 'compromise');
  assert.ok(
    reset?.evidence.some((e) => e.path === tpl('Cve-2021-27065-ResetVDir.csv')),
    'both CSVs, one event',
  );
  // The Export-Csv'd ECP Server log: the script in ExternalUrl, cited by its row.
  const script = byRule(report, 'exhunt.proxylogon.ecp-vdir-script')[0];
  assert.ok(script);
  assert.match(
    script.evidence[0]?.path ?? '',
    new RegExp(`^${RESPONDER.exports}/ECPServer\\d{8}-\\d\\.csv$`),
  );
  assert.match(await citedLine(root, script), /Set-OabVirtualDirectory\.ExternalUrl=.*<script/);
  // The Export-Csv'd IIS log: the webshell answering, cited by row.
  const used = byRule(report, 'exhunt.webshell.known-name-access');
  assert.ok(used.length > 0);
  for (const f of used) {
    assert.equal(f.evidence[0]?.path, `${RESPONDER.exports}/W3SVC1/u_ex${RESPONDER.iisDay}.csv`);
    assert.match(await citedLine(root, f), /"\/owa\/auth\/RedirSuiteServerProxy\.aspx"|"\/aspnet_client\/discover\.aspx"/);
  } // prettier-ignore
  // other.csv: the LSASS dump is reported; the Defender support archive stays context by its folder.
  assert.ok(byRule(report, 'exhunt.proxylogon.tpl-lsass-dump-listed').length === 1);
  const listed = byRule(report, 'exhunt.proxylogon.tpl-archive-listed');
  const defender = listed.filter((f) => /Windows Defender/.test(f.evidence[0]?.excerpt ?? ''));
  assert.equal(defender.length, 1);
  assert.equal(defender[0]?.outcome, 'context');
  assert.equal(byRule(report, 'exhunt.staged.lsass-dump')[0]?.outcome, 'compromise');
});

test('responder example: the Defender archive copied by -CollectFiles stays context', async () => {
  const { report } = await scanResponder();
  const copy = report.findings.filter((f) =>
    /SuspiciousFiles\/MpSupportFiles\.zip_\d+$/.test(f.evidence[0]?.path ?? ''),
  );
  assert.ok(copy.length > 0 && copy.every((f) => f.outcome === 'context'));
});

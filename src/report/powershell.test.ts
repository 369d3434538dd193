// The generated remediation script, tested as text: golden file, quoting of hostile paths, dry run by default.

import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import test from 'node:test';
import v8 from 'node:v8';
import { fileURLToPath } from 'node:url';
import { EVIL, hostileReport } from '../analysis/testkit.js';
import type { ScanReport } from '../core/report.js';
import { EPILOGUE, GUARD, PARAMS, PRELUDE } from './powershell-prelude.js';
import { remediationScript, serverPathExpression } from './powershell.js';

const GOLDEN = new URL('../../../src/report/golden/remediation.ps1', import.meta.url);

test('the script for the hostile report matches the golden file (UPDATE_GOLDEN=1 rewrites it)', async () => {
  const script = remediationScript(hostileReport());
  if (process.env.UPDATE_GOLDEN) await writeFile(GOLDEN, script);
  assert.equal(script, await readFile(GOLDEN, 'utf8'));
});

/** Splits a PowerShell line into what is inside single-quoted literals and what is code. */
function codeOutsideLiterals(line: string): string {
  let code = '';
  let inside = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (/['\u2018\u2019\u201a\u201b]/.test(c)) {
      if (inside && /['\u2018\u2019\u201a\u201b]/.test(line[i + 1] ?? '')) {
        i++;
        continue;
      }
      inside = !inside;
      continue;
    }
    if (!inside) code += c;
  }
  assert.equal(inside, false, `unterminated literal in: ${line}`);
  return code;
}

test('attacker text is only ever inside a literal or a comment', () => {
  const script = remediationScript(hostileReport());
  assert.ok(script.startsWith('\ufeff'), 'a BOM, so Windows PowerShell 5.1 reads UTF-8');
  const lines = script.slice(1).split(/\r?\n/);
  // The fixed texts hold no report value; their lines are checked for balanced quotes only.
  const fixed = new Set([PARAMS, GUARD, PRELUDE, EPILOGUE].flatMap((t) => t.split('\n')));
  for (const line of lines) {
    if (line.trimStart().startsWith('#')) continue;
    const code = codeOutsideLiterals(line);
    if (fixed.has(line)) continue;
    for (const bad of ['calc', 'here', 'Remove-Item C:\\', 'script>', 'onerror'])
      assert.ok(!code.includes(bad), `${bad} outside a literal: ${line}`);
  }
  const quoted = lines.find((l) => l.includes('aspnet_client\\it'));
  assert.equal(
    quoted,
    "    Move-ToQuarantine ($SystemDrive + '\\inetpub\\wwwroot\\aspnet_client\\it''s \u2019\u2019here\u2019\u2019 $(calc).aspx') '" +
      '2'.repeat(64) +
      "'",
  );
  assert.ok(
    lines.some((l) => /^ {4}# SKIPPED, handle by hand .*bad\\x0d\\nRemove-Item/.test(l)),
    'the path with a line break is refused, shown escaped',
  );
  assert.ok(
    !lines.some((l) => l === 'Remove-Item C:\\ -Recurse.aspx'),
    'no line starts with the injected command',
  );
  assert.ok(!script.includes(EVIL.control));
});

test('dry run unless -Apply, a transcript, files moved only after the hash check, never deleted', () => {
  const script = remediationScript(hostileReport());
  assert.match(script, /\[switch\]\$Apply/);
  assert.match(script, /\$DryRun = -not \$Apply/);
  assert.match(script, /Start-Transcript -LiteralPath \$Transcript -Append/);
  assert.match(script, /if \(\$actual -ne \$Sha256\) \{[^}]*left in place/);
  assert.ok(script.indexOf('if ($actual -ne $Sha256)') < script.indexOf('[IO.File]::Move($Path, $dest)'));
  const code = script.split('\r\n').filter((l) => !l.trimStart().startsWith('#'));
  assert.ok(!code.some((l) => /Remove-Item|\[IO\.File\]::Delete|\bdel\b/i.test(l)), 'nothing is deleted');
  // Every change is behind the dry-run switch: on its line, or a few lines above in the same function.
  const changes = [
    '[IO.File]::Move',
    'Disable-LocalUser',
    'Set-Service',
    'Disable-ScheduledTask',
    'Suspend-MailboxExportRequest',
    'Set-ManagementRoleAssignment',
    "& ('Set-' + $Type",
    'appcmd.exe',
  ];
  code.forEach((line, i) => {
    if (!changes.some((c) => line.includes(c))) return;
    const before = code.slice(Math.max(0, i - 8), i + 1).join('\n');
    assert.match(
      before,
      /if \(-not \$DryRun\)|if \(\$DryRun\) \{ (return|continue) \}/,
      `unguarded: ${line}`,
    );
  });
});

test('server paths: relative to the system drive, absolute, or refused', () => {
  assert.equal(
    serverPathExpression('%SystemDrive%\\inetpub\\a.aspx'),
    "($SystemDrive + '\\inetpub\\a.aspx')",
  );
  assert.equal(serverPathExpression('D:\\Exchange\\a.aspx'), "'D:\\Exchange\\a.aspx'");
  assert.equal(
    serverPathExpression('\\\\10.0.0.9\\share\\a.aspx'),
    undefined,
    'another machine is not touched',
  );
  assert.equal(serverPathExpression(undefined), undefined);
  assert.equal(serverPathExpression('relative\\a.aspx'), undefined);
});

/** The hostile report as a scan of the named host, with Exchange where a system drive image had it. */
function onHost(host: string | undefined, installPath: string | undefined): ScanReport {
  const r = hostileReport();
  const { host: _h, installPath: _i, ...scan } = r.scan;
  return {
    ...r,
    scan: {
      ...scan,
      ...(host !== undefined ? { host: { name: host, from: 'iis' } } : {}),
      ...(installPath ? { installPath } : {}),
    },
  };
}

const code = (script: string) =>
  script
    .slice(1)
    .split(/\r?\n/)
    .filter((l) => !l.trimStart().startsWith('#'));

test('the script checks the host and the install folder before it creates or changes anything', () => {
  const script = remediationScript(
    onHost('EXCH01.contoso.local', 'evidence/c/program files/microsoft/exchange server/v15/'),
  );
  const lines = code(script);
  assert.ok(
    lines.includes("    [string]$ExpectedHost = 'EXCH01.contoso.local',"),
    'the scan’s host is the default',
  );
  assert.ok(
    lines.includes(
      "    [string]$InstallPath = ($SystemDrive + '\\program files\\microsoft\\exchange server\\v15')",
    ),
    'the install folder on the server, from the evidence path',
  );
  assert.match(
    script,
    /# For host EXCH01\.contoso\.local; Exchange installed in %SystemDrive%\\program files/,
  );
  // Each refusal stops the script (exit 2) and says why; all come before the first thing that writes.
  const text = lines.join('\n');
  const firstWrite = Math.min(
    ...['CreateDirectory', 'Start-Transcript', 'Invoke-Step '].map((w) => {
      const i = text.indexOf(w, text.indexOf('$DryRun = -not $Apply'));
      assert.ok(i > 0, w);
      return i;
    }),
  );
  const refusals = [
    "Stop-Refused ('the report names no host",
    "Stop-Refused ('this script was made for host ' + $ExpectedHost",
    "Stop-Refused ('no Exchange install folder is known",
    "Stop-Refused ('the Exchange install folder ' + $InstallPath + ' does not exist",
  ];
  for (const r of refusals) {
    const i = text.indexOf(r);
    assert.ok(i > 0 && i < firstWrite, `${r} before anything is written`);
  }
  assert.match(
    text,
    /function Stop-Refused\(\[string\]\$Why\) \{\n[^}]*REFUSED, nothing was changed[^}]*\n {4}exit 2\n\}/,
  );
  assert.match(text, /if \(-not \$HostMatches\) \{\n {4}Stop-Refused/);
  assert.match(text, /if \(-not \[IO\.Directory\]::Exists\(\$InstallPath\)\) \{\n {4}Stop-Refused/);
  // The names compared: this computer's, lower-cased, against the expected one lower-cased.
  assert.match(text, /\$HereNames = @\(@\(\$env:COMPUTERNAME, \$IpProperties\.HostName\)/);
  assert.match(text, /\$Wanted = \$ExpectedHost\.Trim\(\)\.ToLowerInvariant\(\)/);
  assert.match(text, /\$HereNames -contains \$Wanted/);
});

test('the host comes from the report, else from the fleet; without either, or when unsafe, the script asks for it', () => {
  const line = (s: string) => code(s).find((l) => l.includes('[string]$ExpectedHost'));
  assert.equal(
    line(remediationScript(onHost('EX-REPORT', undefined), { host: 'fleet-name' })),
    "    [string]$ExpectedHost = 'EX-REPORT',",
    'the evidence’s host name wins over the name the server was uploaded as',
  );
  assert.equal(
    line(remediationScript(onHost(undefined, undefined), { host: 'fleet-name' })),
    "    [string]$ExpectedHost = 'fleet-name',",
  );
  assert.equal(line(remediationScript(onHost(undefined, undefined))), "    [string]$ExpectedHost = '',");
  // A host name with a line break cannot be quoted: no default, so the script refuses until told.
  const evil = remediationScript(onHost('EX01\r\nRemove-Item C:\\ -Recurse', undefined));
  assert.equal(line(evil), "    [string]$ExpectedHost = '',");
  assert.ok(!code(evil).some((l) => l.startsWith('Remove-Item')));
  assert.equal(
    code(remediationScript(onHost(undefined, undefined))).find((l) => l.includes('[string]$InstallPath')),
    '    [string]$InstallPath = $env:ExchangeInstallPath',
    'no install folder in the report: the one Exchange setup recorded on the machine',
  );
});

test('every step names its checklist item, the id the dashboard keys the step by', () => {
  const report = onHost('EX01', undefined);
  const script = remediationScript(report);
  const steps = report.remediation?.steps ?? [];
  assert.ok(steps.length > 3);
  const invoked = [...script.matchAll(/^Invoke-Step '(\d+)\. .* \[checklist item ([a-z0-9-]+)\]' \{$/gm)];
  assert.ok(invoked.length >= 2, 'scripted steps are run');
  for (const [, order, id] of invoked) {
    const s = steps.find((x) => x.id === id);
    assert.ok(s?.scripted, `${id} is a scripted step of the plan`);
    assert.equal(String(s.order), order);
  }
  for (const s of steps.filter((x) => !x.scripted))
    assert.ok(script.includes(`#   ${s.order}. ${s.title} [checklist item ${s.id}]`), s.id);
  assert.ok(
    script.includes(
      `Write-Host ('Checklist items this script covers: ' + '${invoked.map((m) => m[2]).join(', ')}')`,
    ),
  );
});

test('the scripts parse as PowerShell (tree-sitter grammar)', async (t) => {
  let parse: ((text: string) => { hasError: boolean }) | undefined;
  try {
    // The grammar's WebAssembly is large: optimising it in the background kept this process alive for
    // half a minute after the test; the baseline compiler parses a script in milliseconds.
    v8.setFlagsFromString('--liftoff-only');
    const { Parser, Language } = await import('web-tree-sitter');
    await Parser.init();
    const wasm = fileURLToPath(
      new URL('../../../node_modules/tree-sitter-powershell/tree-sitter-powershell.wasm', import.meta.url),
    );
    const parser = new Parser();
    parser.setLanguage(await Language.load(wasm));
    parse = (text) => ({ hasError: parser.parse(text)?.rootNode.hasError ?? true });
  } catch (e) {
    t.skip(`web-tree-sitter or the PowerShell grammar is not installed: ${(e as Error).message}`);
    return;
  }
  assert.equal(parse("if ($a { 'x' ").hasError, true, 'the grammar does find errors');
  for (const r of [
    hostileReport(),
    onHost('EXCH01.contoso.local', 'program files/microsoft/exchange server/v15/'),
  ])
    assert.equal(parse(remediationScript(r).slice(1)).hasError, false);
});

// The generated remediation script, tested as text: golden file, quoting of hostile paths, dry run by default.

import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import test from 'node:test';
import { EVIL, hostileReport } from '../analysis/testkit.js';
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
  const lines = script.slice(1).split('\r\n');
  for (const line of lines) {
    if (line.trimStart().startsWith('#')) continue;
    const code = codeOutsideLiterals(line);
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

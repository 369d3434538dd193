// Cmdlet parameters in the three ways Exchange logs them, and what commands did.

import assert from 'node:assert/strict';
import test from 'node:test';
import { cmdletOf, commandEffects, paramOf } from './commands.js';

test('parameters from the event log (2013+ and 2010) and the ECP Server log', () => {
  const modern =
    'New-MailboxExportRequest -Mailbox "ceo@corp.example" -FilePath "\\\\localhost\\c$\\inetpub\\wwwroot\\aspnet_client\\x.aspx"';
  assert.equal(paramOf(modern, 'Mailbox'), 'ceo@corp.example');
  assert.equal(paramOf(modern, 'FilePath'), '\\\\localhost\\c$\\inetpub\\wwwroot\\aspnet_client\\x.aspx');
  const old = 'New-MailboxExportRequest {Mailbox=ceo, FilePath=\\\\srv\\share\\ceo.pst}';
  assert.equal(paramOf(old, 'Mailbox'), 'ceo');
  assert.equal(paramOf(old, 'FilePath'), '\\\\srv\\share\\ceo.pst');
  const ecp =
    "Set-OabVirtualDirectory.ExternalUrl='http://f/<script language=\"\"JScript\"\">x</script>'.Identity='it''s'";
  assert.equal(cmdletOf(ecp), 'Set-OabVirtualDirectory');
  assert.equal(paramOf(ecp, 'Identity'), "it's");
  assert.equal(paramOf('Get-Mailbox', 'Identity'), undefined);
});

test('what a command did: exports, role assignments, accounts, tasks, services, dumps', () => {
  assert.deepEqual(commandEffects('New-MailboxExportRequest -Mailbox "a@b" -FilePath "C:\\x.pst"'), [
    { kind: 'export-request', mailbox: 'a@b', path: 'C:\\x.pst' },
  ]);
  assert.deepEqual(
    commandEffects('New-ManagementRoleAssignment -Role "Mailbox Import Export" -User "evil"'),
    [{ kind: 'role-assignment', role: 'Mailbox Import Export', user: 'evil' }],
  );
  assert.deepEqual(commandEffects('cmd /c net user helpdesk P@ss1 /add'), [
    { kind: 'account', name: 'helpdesk' },
  ]);
  assert.deepEqual(commandEffects('net localgroup administrators helpdesk /add'), [
    { kind: 'account', name: 'helpdesk' },
  ]);
  assert.deepEqual(commandEffects('schtasks /create /tn "Windows Update Check" /tr c:\\x.exe /sc minute'), [
    { kind: 'scheduled-task', name: 'Windows Update Check' },
  ]);
  assert.deepEqual(commandEffects('sc.exe create updsvc binPath= c:\\x.exe'), [
    { kind: 'service', name: 'updsvc' },
  ]);
  assert.equal(
    commandEffects('rundll32 C:\\windows\\system32\\comsvcs.dll, MiniDump 624 C:\\root\\l.dmp full')[0]?.kind,
    'credentials',
  );
  assert.equal(commandEffects('7z.exe a -pX C:\\ProgramData\\it.zip C:\\root')[0]?.kind, 'archive');
  assert.deepEqual(commandEffects('whoami'), []);
  assert.deepEqual(commandEffects('net user'), [], 'listing users is not adding one');
});

// Remediation targets read the typed sections: the OAB download's server path, the event's service, task
// and account, the webshell's reasons; the `details` text copies alone lead nowhere.

import assert from 'node:assert/strict';
import test from 'node:test';
import { collectWebshells } from './webshells.js';
import { fileTargets, persistenceTargets } from './remediation-targets.js';
import { finding, report, resetIds } from './testkit.js';

test('an OAB download outside ClientAccess\\OAB is a file target from its server path, not from details', () => {
  resetIds();
  const path = 'C:\\inetpub\\wwwroot\\aspnet_client\\x.aspx';
  const oab = finding({
    stage: 'webshell-write',
    outcome: 'success',
    serverFile: { path, writtenBy: 'oab-generator' },
    details: { downloadPath: path },
  });
  const targets = fileTargets(report([oab]));
  assert.deepEqual(
    targets.map((t) => [t.value, t.serverPath, t.findings]),
    [
      [
        'C:\\inetpub\\wwwroot\\aspnet_client\\x.aspx',
        'C:\\inetpub\\wwwroot\\aspnet_client\\x.aspx',
        [oab.id],
      ],
    ],
  );
  // A file a list names (no writer) is not one the OAB generator wrote; a details copy alone is not read.
  const listed = finding({ outcome: 'success', serverFile: { path, host: 'EXCH01' } });
  const textOnly = finding({ outcome: 'success', details: { downloadPath: path } });
  assert.deepEqual(fileTargets(report([listed, textOnly])), []);
  // Context findings lead to no target.
  assert.deepEqual(fileTargets(report([{ ...oab, outcome: 'context' }])), []);
});

test('persistence targets come from the event section (and a web request user), in the report order', () => {
  resetIds();
  const service = finding({
    stage: 'persistence',
    outcome: 'compromise',
    event: { service: 'updater', targetUser: 'helpdesk' },
    details: { ServiceName: 'updater' },
  });
  const task = finding({ stage: 'persistence', outcome: 'compromise', event: { taskName: '\\Updater' } });
  const web = finding({ stage: 'persistence', outcome: 'success', request: { user: 'CORP\\svc' } });
  const context = finding({ stage: 'persistence', outcome: 'context', event: { service: 'benign' } });
  const textOnly = finding({ stage: 'persistence', outcome: 'compromise', details: { TaskName: 'ignored' } });
  const out = persistenceTargets(report([service, task, web, context, textOnly]));
  assert.deepEqual(
    out.map((t) => [t.kind, t.value, t.findings]),
    [
      ['service', 'updater', [service.id]],
      ['account', 'helpdesk', [service.id]],
      ['scheduled-task', '\\Updater', [task.id]],
      ['account', 'CORP\\svc', [web.id]],
    ],
  );
});

test("the webshell list's reasons are the file section's", () => {
  resetIds();
  const path = 'EXCH01/inetpub/wwwroot/aspnet_client/a.aspx';
  const shell = finding({
    rule: { id: 'exhunt.webshell.file', title: 'Webshell', author: 'exhunt', source: 'exhunt' },
    stage: 'webshell-write',
    outcome: 'compromise',
    path,
    line: null,
    file: { path, reasons: ['China Chopper; one-liner', 'eval of request data'] },
    details: { path, reasons: 'not read' },
  });
  const [w] = collectWebshells([shell], []);
  // A reason holding `; ` stays one reason: the typed list is not the joined text split again.
  assert.deepEqual(w?.reasons, ['China Chopper; one-liner', 'eval of request data']);
});

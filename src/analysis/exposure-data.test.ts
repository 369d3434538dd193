// What was exposed: each item carries its evidence and a confidence, and the limits of the evidence are stated.

import assert from 'node:assert/strict';
import test from 'node:test';
import { buildIncident } from './incident.js';
import { finding, report, resetIds } from './testkit.js';

const HP = 'Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/Ews/HttpProxy_2021030306-1.LOG';

test('SSRF to EWS, the SID theft and a mailbox anchor: what each exposes, and how sure', () => {
  resetIds();
  const ews = finding({
    time: '2021-03-03T07:00:00.000Z',
    sourceIps: ['203.0.113.51'],
    stage: 'exploit',
    outcome: 'success',
    path: HP,
    details: {
      anchorMailbox: 'ServerInfo~a]@EXCH01.corp.local:444/EWS/Exchange.asmx?#',
      httpStatus: '200',
      method: 'POST',
    },
  });
  const failed = finding({
    time: '2021-03-03T07:00:05.000Z',
    sourceIps: ['203.0.113.51'],
    stage: 'exploit',
    outcome: 'attempt',
    path: HP,
    details: { anchorMailbox: 'ServerInfo~a]@EXCH01.corp.local:444/EWS/Exchange.asmx?#', httpStatus: '500' },
  });
  const sid = finding({
    time: '2021-03-03T06:59:00.000Z',
    sourceIps: ['203.0.113.51'],
    stage: 'exploit',
    outcome: 'success',
    path: HP,
    details: { anchorMailbox: 'ServerInfo~a]@EXCH01.corp.local:444/mapi/emsmdb/?#', httpStatus: '200' },
  });
  const anchored = finding({
    time: '2021-03-03T07:01:00.000Z',
    sourceIps: ['203.0.113.51'],
    stage: 'collection',
    outcome: 'success',
    path: HP,
    details: { anchorMailbox: 'Smtp~ceo@corp.example', httpStatus: '200' },
  });
  const probe = finding({
    time: '2021-03-02T01:00:00.000Z',
    sourceIps: ['192.0.2.44'],
    stage: 'recon',
    outcome: 'probe',
    path: HP,
    details: { anchorMailbox: 'ServerInfo~localhost/owa/auth/logon.aspx?', httpStatus: '200' },
  });
  const inc = buildIncident(report([ews, failed, sid, anchored, probe]));
  const item = (kind: string, re: RegExp) =>
    inc.dataExposure.items.find((i) => i.kind === kind && re.test(i.target));
  const mail = item('mailbox', /EWS.*EXCH01/);
  assert.equal(mail?.confidence, 'likely', 'EWS answered: mail could be read; what was read is not logged');
  assert.deepEqual(mail?.findings, [ews.id], 'the failed request is not exposure');
  assert.deepEqual(mail?.sessions, [inc.sessions.list.find((x) => x.findings.includes(ews.id))?.id]);
  assert.equal(mail?.evidence[0]?.path, HP);
  assert.equal(item('identity', /SID/)?.confidence, 'seen');
  assert.equal(item('mailbox', /^ceo@corp\.example$/)?.confidence, 'seen');
  assert.ok(
    !inc.dataExposure.items.some((i) => i.findings.includes(probe.id)),
    'a scanner probe exposes nothing',
  );
  assert.ok(inc.dataExposure.cannotShow.some((c) => /POST request is not logged/.test(c)));
  assert.ok(inc.dataExposure.cannotShow.some((c) => /every mailbox on this server/.test(c)));
});

test('export requests from event-log details, dumps, archives, commands and webshell POSTs', () => {
  resetIds();
  const evtx = 'Windows/System32/winevt/Logs/MSExchange Management.evtx';
  const exportReq = finding({
    time: '2021-08-20T10:00:00.000Z',
    stage: 'collection',
    outcome: 'compromise',
    path: evtx,
    details: {
      cmdlet: 'New-MailboxExportRequest',
      parameters:
        '-Mailbox "ceo@corp.example" -FilePath "\\\\localhost\\c$\\inetpub\\wwwroot\\aspnet_client\\x.aspx"',
    },
  });
  const lsass = finding({
    rule: { id: 'exhunt.staged.lsass-dump', title: 'LSASS', author: 'exhunt', source: 'exhunt' },
    time: '2021-08-20T10:05:00.000Z',
    stage: 'credential-access',
    outcome: 'compromise',
    path: 'Windows/Temp/lsass.dmp',
    line: null,
    details: { path: 'Windows/Temp/lsass.dmp' },
  });
  const zip = finding({
    rule: { id: 'exhunt.staged.archive', title: 'Archive', author: 'exhunt', source: 'exhunt' },
    time: '2021-08-20T10:06:00.000Z',
    stage: 'collection',
    outcome: 'compromise',
    path: 'ProgramData/it.zip',
    line: null,
    details: { path: 'ProgramData/it.zip' },
  });
  const shellGet = finding({
    time: '2021-08-20T10:07:00.000Z',
    sourceIps: ['203.0.113.9'],
    stage: 'webshell-use',
    outcome: 'compromise',
    details: { url: '/aspnet_client/x.aspx', httpStatus: '200', method: 'GET', command: 'whoami' },
  });
  const posts = [1, 2, 3].map((i) =>
    finding({
      time: `2021-08-20T10:0${7 + i}:00.000Z`,
      sourceIps: ['203.0.113.9'],
      stage: 'webshell-use',
      outcome: 'compromise',
      details: { url: '/aspnet_client/x.aspx', httpStatus: '200', method: 'POST' },
    }),
  );
  const fetch = finding({
    time: '2021-08-20T10:12:00.000Z',
    sourceIps: ['203.0.113.9'],
    stage: 'exfiltration',
    outcome: 'suspicious',
    details: { url: '/aspnet_client/it.zip', httpStatus: '200', method: 'GET' },
  });
  const inc = buildIncident(report([exportReq, lsass, zip, shellGet, ...posts, fetch]));
  const by = (kind: string) => inc.dataExposure.items.filter((i) => i.kind === kind);
  assert.deepEqual(
    by('mailbox-export').map((i) => [i.target, i.confidence]),
    [['ceo@corp.example → \\\\localhost\\c$\\inetpub\\wwwroot\\aspnet_client\\x.aspx', 'seen']],
  );
  assert.deepEqual(
    by('credentials').map((i) => [i.target, i.confidence]),
    [['Windows/Temp/lsass.dmp', 'seen']],
  );
  const archive = by('archive')[0];
  assert.match(archive?.description ?? '', /most likely downloaded/);
  const cmds = by('command');
  assert.deepEqual(cmds.find((i) => i.target === 'whoami')?.confidence, 'seen');
  const post = cmds.find((i) => /POST requests to \/aspnet_client\/x\.aspx/.test(i.target));
  assert.equal(post?.confidence, 'likely');
  assert.match(post?.description ?? '', /^3 POST request/);
  assert.ok(inc.dataExposure.cannotShow.some((c) => /4624/.test(c)));
  // Credentials come first: they are what the plan must act on first.
  assert.equal(inc.dataExposure.items[0]?.kind, 'credentials');
});

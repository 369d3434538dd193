// The typed sections a record gives its findings: read from the parser's fields through the roles.

import assert from 'node:assert/strict';
import test from 'node:test';
import { HTTPPROXY_FIELDS } from '../../examples/lib/httpproxy.js';
import { parseWith } from '../sources/parse-text.js';
import { fakeRecord } from './fake-record.js';
import { commandSectionOf, eventSectionOf, fileSectionOf, requestSectionOf } from './sections.js';

const RID = '652377b6-9ae5-435a-8cc8-317aeb7d0ff6';
const CLIENT_RID = '0b7e2d1c-1111-4a2b-8c3d-4e5f6a7b8c9d';

test('an HttpProxy row: request id, anchor, status, the begin time from GenericInfo, other GUIDs', () => {
  const v: Record<string, string> = {
    DateTime: '2021-03-03T06:49:42.162Z',
    RequestId: RID,
    ClientRequestId: CLIENT_RID,
    UrlStem: '/ecp/y.js',
    UrlQuery: '?msExchEcpCanary=abc_DEF-1.2',
    AnchorMailbox: 'ServerInfo~a]@EXCH01.corp.local:444/autodiscover/autodiscover.xml?#',
    UserAgent: 'python-requests/2.25.1',
    ClientIpAddress: '203.0.113.51',
    HttpStatus: '241',
    Method: 'POST',
    GenericInfo: 'BeginRequest=2021-03-03T06:49:40.959Z;CorrelationID=<empty>;',
  };
  const text = `#Software: Microsoft Exchange Server\r\n#Log-type: HttpProxy Logs\r\n#Fields: ${HTTPPROXY_FIELDS.join(',')}\r\n${HTTPPROXY_FIELDS.map((f) => v[f] ?? '').join(',')}\r\n`;
  const r = parseWith('httpproxy', 'Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG', text).records[0];
  assert.ok(r);
  assert.deepEqual(requestSectionOf(r), {
    method: 'POST',
    path: '/ecp/y.js',
    query: 'msExchEcpCanary=abc_DEF-1.2',
    status: 241,
    userAgent: 'python-requests/2.25.1',
    requestId: RID,
    clientIp: '203.0.113.51',
    anchorMailbox: 'ServerInfo~a]@EXCH01.corp.local:444/autodiscover/autodiscover.xml?#',
    guids: [CLIENT_RID],
    canary: 'abc_DEF-1.2',
    begin: '2021-03-03T06:49:40.959Z',
  });
  assert.equal(commandSectionOf(r), undefined);
  assert.equal(fileSectionOf(r), undefined);
});

test('commands: Rps_Cmdlet, the ECP Server CMD, and the MSExchange Management event data', () => {
  const cmdlet = fakeRecord('rps-cmdlet', { Cmdlet: 'New-MailboxExportRequest', Parameters: '-Mailbox ceo' });
  assert.deepEqual(commandSectionOf(cmdlet), {
    text: 'New-MailboxExportRequest -Mailbox ceo',
    cmdlet: 'New-MailboxExportRequest',
    parameters: '-Mailbox ceo',
  });
  const ecp = fakeRecord('ecp-server', { CMD: 'Set-OabVirtualDirectory -Identity x', URL: '/ecp/DDI/x.svc' });
  assert.deepEqual(commandSectionOf(ecp), { text: 'Set-OabVirtualDirectory -Identity x' });
  assert.equal(requestSectionOf(ecp)?.path, '/ecp/DDI/x.svc');
  const mgmt = fakeRecord('evtx', {
    Channel: 'MSExchange Management',
    Data: ['Add-MailboxPermission', '-User x'],
  });
  assert.equal(commandSectionOf(mgmt)?.cmdlet, 'Add-MailboxPermission');
  // Other channels' unnamed data is not a cmdlet.
  const other = fakeRecord('evtx', { Channel: 'System', Data: ['Service Control Manager', 'x'] });
  assert.equal(commandSectionOf(other), undefined);
  assert.equal(requestSectionOf(other), undefined);
});

test('a file record gives its path and size; other records no file section', () => {
  const r = parseWith('web-file', 'inetpub/wwwroot/aspnet_client/x.aspx', '<%@ Page Language="C#" %>')
    .records[0];
  assert.ok(r);
  assert.deepEqual(fileSectionOf(r), { path: 'inetpub/wwwroot/aspnet_client/x.aspx', size: 25 });
  assert.equal(requestSectionOf(r), undefined);
});

test('an EVTX record gives its service, task and target account through the roles; other records none', () => {
  const svc = fakeRecord('evtx', {
    Channel: 'System',
    EventID: 7045,
    ServiceName: 'updater',
    ImagePath: 'x.exe',
  });
  assert.deepEqual(eventSectionOf(svc), { service: 'updater' });
  const task = fakeRecord('evtx', { EventID: 4698, TaskName: '\\Updater', TargetUserName: 'helpdesk' });
  assert.deepEqual(eventSectionOf(task), { taskName: '\\Updater', targetUser: 'helpdesk' });
  assert.equal(eventSectionOf(fakeRecord('evtx', { EventID: 4624, IpAddress: '203.0.113.5' })), undefined);
  // A web log's user is the request's, not an event's account.
  assert.equal(eventSectionOf(fakeRecord('iis-w3c', { 'cs-username': 'x', TaskName: 'y' })), undefined);
});

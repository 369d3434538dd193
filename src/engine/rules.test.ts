// Our Sigma rules in rules/, through the real sources and mapping: each fires on its attack lines and not on look-alikes.

import assert from 'node:assert/strict';
import test from 'node:test';
import type { DetectorContext, Hit } from '../core/detector.js';
import { parseWith } from '../sources/parse-text.js';
import { createRuleSet } from './ruleset.js';
import { loadSigmaMatchers } from './sigma.js';

const W3C_FIELDS =
  '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n';

interface Case {
  name: string;
  line: string;
  expect: string[];
}

/** W3C line from its parts; `-` for empty, `+` for spaces in the user agent, as IIS writes them. */
function iis(
  method: string,
  stem: string,
  query: string,
  port: number,
  user: string,
  ua: string,
  status: number,
): string {
  return `2021-03-03 06:49:42 10.0.0.5 ${method} ${stem} ${query || '-'} ${port} ${user || '-'} 203.0.113.7 ${ua.replace(/ /g, '+') || '-'} - ${status} 0 0 15`;
}

const ENTRY = '5f1e2eef-3e1d-4794-8389-9d92d0bb2570';
const UA = '6b957d95-c0c7-4322-ade4-1bdc7f08d6cd';
const RESET = 'b0370da4-a88b-4684-a8b2-1972133df44b';
const PS_TRY = '78bfee77-4591-4481-a2ce-a8f324772475';
const PS_OK = 'c469e8aa-2f6a-43fd-b1ea-b373f1a3d048';
const PNS = '380d717f-0ef1-4514-9abb-59d359ad7704';
const OWA_FE = 'e724fdd3-fdc6-4aa1-af1c-c774eee7ab58';
const OWA_BE = '8744163f-44cf-484b-81e3-1a5f5feba771';
const CMD = '22879ce6-604d-4af9-8960-b38dba9b0801';

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/105.0.5195.54 Safari/537.36';

const CASES: Case[] = [
  {
    name: 'ProxyLogon SSRF POST to /ecp/y.js',
    line: iis('POST', '/ecp/y.js', '', 443, '', 'python-requests/2.25.1', 200),
    expect: [ENTRY, UA],
  },
  {
    name: 'POST to a theme resource',
    line: iis('POST', '/owa/auth/Current/themes/resources/logon.css', '', 443, '', 'Mozilla/5.0', 200),
    expect: [ENTRY],
  },
  {
    name: 'crawler user agent POSTing to OWA',
    line: iis('POST', '/owa/auth/Current/x', '', 443, '', 'Mozilla/5.0 (compatible; Yahoo! Slurp)', 200),
    expect: [ENTRY, UA],
  },
  {
    name: 'GET of a real ECP script (benign)',
    line: iis('GET', '/ecp/15.1.2176/scripts/common.js', '', 443, 'CORP\\admin', 'Mozilla/5.0', 200),
    expect: [],
  },
  {
    name: 'GET /ecp/y.js (not a POST)',
    line: iis('GET', '/ecp/y.js', '', 443, '', 'Mozilla/5.0', 404),
    expect: [],
  },
  {
    name: 'virtual directory reset by the machine account',
    line: iis(
      'POST',
      '/ecp/DDI/DDIService.svc/SetObject',
      'schema=ResetOABVirtualDirectory&msExchEcpCanary=x',
      444,
      'CORP\\EXCH01$',
      'ExchangeServicesClient/0.0.0.0',
      200,
    ),
    expect: [RESET, UA],
  },
  {
    name: 'virtual directory reset by an admin (benign)',
    line: iis(
      'POST',
      '/ecp/DDI/DDIService.svc/SetObject',
      'schema=ResetOABVirtualDirectory&msExchEcpCanary=x',
      444,
      'CORP\\admin',
      'Mozilla/5.0',
      200,
    ),
    expect: [],
  },
  {
    name: 'ProxyShell refused',
    line: iis(
      'GET',
      '/autodiscover/autodiscover.json',
      '@evil.com/powershell/?X-Rps-CAT=VgEA&Email=autodiscover/autodiscover.json%3F@evil.com',
      443,
      '',
      'python-requests/2.26.0',
      401,
    ),
    expect: [PS_TRY],
  },
  {
    name: 'ProxyShell answered',
    line: iis(
      'POST',
      '/autodiscover/autodiscover.json',
      'a=dsxvu@fnsso.flq/mapi/nspi/?&Email=autodiscover/autodiscover.json%3Fa=dsxvu@fnsso.flq',
      443,
      '',
      'Mozilla/5.0',
      200,
    ),
    expect: [PS_OK],
  },
  {
    name: 'Autodiscover V2 with an encoded address (benign)',
    line: iis(
      'GET',
      '/autodiscover/autodiscover.json',
      'Email=jdoe%40corp.example&Protocol=ActiveSync&RedirectCount=1',
      443,
      '',
      'Outlook-iOS/2.0',
      200,
    ),
    expect: [],
  },
  {
    name: 'Autodiscover V2 with an address in the path (benign)',
    line: iis(
      'GET',
      '/autodiscover/autodiscover.json/v1.0/jdoe@corp.example',
      'Protocol=EWS&RedirectCount=1',
      443,
      '',
      'Microsoft Office/16.0',
      200,
    ),
    expect: [],
  },
  {
    name: 'ProxyNotShell, authenticated',
    line: iis(
      'POST',
      '/autodiscover/autodiscover.json',
      '@evil.com/PowerShell/?serializationLevel=Full;ExchClientVer=15.2.922.7',
      443,
      'CORP\\jdoe',
      'python-requests/2.28.1',
      200,
    ),
    expect: [PNS],
  },
  {
    name: 'OWASSRF front end',
    line: iis(
      'POST',
      '/owa/mastermailbox@outlook.com/powershell',
      'clientVer=15.2.922.7',
      443,
      'CORP\\jdoe',
      CHROME,
      200,
    ),
    expect: [OWA_FE],
  },
  {
    name: 'OWASSRF back end on 444',
    line: iis('POST', '/powershell', 'clientVer=15.2.922.7', 444, 'CORP\\jdoe', CHROME, 200),
    expect: [OWA_BE],
  },
  {
    name: 'normal remote PowerShell on 444 (benign)',
    line: iis(
      'POST',
      '/powershell',
      'clientVer=15.2.922.7',
      444,
      'CORP\\admin',
      'Microsoft WinRM Client',
      200,
    ),
    expect: [],
  },
  {
    name: 'shell command passed to a page',
    line: iis('GET', '/aspnet_client/a.aspx', 'c=whoami', 443, '', 'Mozilla/5.0', 200),
    expect: [CMD],
  },
  {
    name: 'OWA service call (benign)',
    line: iis('POST', '/owa/service.svc', 'action=GetFolder', 443, 'CORP\\jdoe', 'Mozilla/5.0', 200),
    expect: [],
  },
];

test('each web rule fires on its attack lines and not on the benign look-alikes', async () => {
  const sigma = await loadSigmaMatchers({ builtinRules: true, rulePaths: [], mappingPaths: [] });
  assert.deepEqual(sigma.errors, [], 'our rules load without errors');
  const set = createRuleSet(sigma.forSource).forSource('iis-w3c');
  const ctx: DetectorContext = { path: 'u_ex.log' };
  for (const c of CASES) {
    const { records, problems } = parseWith('iis-w3c', 'u_ex.log', W3C_FIELDS + c.line + '\r\n');
    assert.deepEqual(problems, [], c.name);
    const hits: Hit[] = [];
    set.run(records[0]!, ctx, hits);
    const sigmaIds = hits.map((h) => h.rule.id).filter((id) => !id.startsWith('exhunt.'));
    assert.deepEqual(sigmaIds.sort(), [...c.expect].sort(), c.name);
  }
});

test('Rps_Http rows: unusual clients are OWASSRF, the normal ones are not', async () => {
  const sigma = await loadSigmaMatchers({ builtinRules: true, rulePaths: [], mappingPaths: [] });
  const set = createRuleSet(sigma.forSource).forSource('rps-http');
  const head =
    '#Software: Microsoft Exchange Server\r\n#Fields: DateTime,ClientIpAddress,HttpStatus,ClientInfo,CommandName\r\n';
  const rows: [string, string[]][] = [
    [
      `2022-12-20T10:00:00.000Z,203.0.113.7 10.0.0.5,200,"${CHROME}",`,
      ['842a305f-82e0-453e-904f-c6580ad2898c'],
    ],
    [
      `2022-12-20T10:00:00.000Z,203.0.113.7,500,python-requests/2.28.1,`,
      ['2244f26c-1a81-41c1-b572-e6791db0fe01'],
    ],
    ['2022-12-20T10:00:00.000Z,10.0.0.9,200,Microsoft WinRM Client,Get-Mailbox', []],
    ['2022-12-20T10:00:00.000Z,10.0.0.9,200,Exchange BackEnd Probes,', []],
    ['2022-12-20T10:00:00.000Z,10.0.0.9,200,,', []],
  ];
  for (const [row, expect] of rows) {
    const { records } = parseWith('rps-http', 'Rps_Http_2022122010-1.LOG', head + row + '\r\n');
    const hits: Hit[] = [];
    set.run(records[0]!, { path: 'r' }, hits);
    assert.deepEqual(
      hits.map((h) => h.rule.id),
      expect,
      row,
    );
  }
});

test('the real Tunna IIS log from ../shared: the RDP tunnel through conn.aspx is found', async (t) => {
  const { existsSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const dir = fileURLToPath(new URL('../../../../shared/samples/logs/', import.meta.url));
  if (!existsSync(dir)) return t.skip(`../shared/samples is absent (${dir}): real-sample test skipped`);
  const { scan } = await import('./scan.js');
  const { report } = await scan(dir, { threads: 0 });
  const tunnels = report.findings.filter((f) => f.rule.title.startsWith('Network Tunnel'));
  assert.ok(tunnels.length > 0);
  assert.equal(tunnels[0]?.evidence[0]?.path, 'Tunna_rdp_tunnel_IIS.log');
  assert.equal(tunnels[0]?.evidence[0]?.line, 7);
  assert.equal(report.artifacts.find((a) => a.path === 'Tunna_rdp_tunnel_IIS.log')?.records, 4298);
  assert.equal(report.verdict, 'compromised');
});

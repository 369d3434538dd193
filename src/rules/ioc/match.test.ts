// Tests for IOC matching in every log source (real parsers), on files, and on the artifact table's hashes.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import test from 'node:test';
import type { Hit } from '../../core/detector.js';
import { fakeRecord } from '../../core/fake-record.js';
import type { LogRecord } from '../../core/record.js';
import { parseWith } from '../../sources/parse-text.js';
import { matchArtifactHashes } from './artifacts.js';
import { importFeed } from './load.js';
import { iocMatchers, splitAddresses } from './match.js';
import { IndicatorStore } from './store.js';

const FILE_BODY = 'just a page\r\n';
const FILE_MD5 = createHash('md5').update(FILE_BODY).digest('hex');

const FEED = `ip,203.0.113.9
cidr,198.51.100.0/24
ip,2001:db8::66
ua,EvilClient/1.0
domain,evil.example
url,http://drop.example/p.aspx
filename,zz-shell.aspx
filepath,C:\\ProgramData\\loot\\it.zip
md5,${FILE_MD5}
`;
const LOW = `{"type":"bundle","objects":[{"type":"indicator","id":"indicator--0a000000-0000-4000-8000-0000000000aa",
"pattern":"[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'Mozilla/5.0 (compatible; Crawler/2.1)']",
"pattern_type":"stix","confidence":30,"valid_until":"2030-01-01T00:00:00Z"},
{"type":"indicator","id":"indicator--0a000000-0000-4000-8000-0000000000bb","pattern":"[ipv4-addr:value = '192.0.2.200']",
"pattern_type":"stix","valid_until":"2020-01-01T00:00:00Z"}]}`;

function storeOf(): IndicatorStore {
  const store = new IndicatorStore();
  for (const [text, name] of [
    [FEED, 'analyst.txt'],
    [LOW, 'low.json'],
  ] as const) {
    const r = importFeed(text, name, name);
    assert.deepEqual(r.problems, []);
    for (const i of r.indicators) store.add(i);
  }
  // Matchers run in worker threads from the serialised store: test that path.
  return IndicatorStore.fromJSON(
    JSON.parse(JSON.stringify(store.toJSON())) as ReturnType<IndicatorStore['toJSON']>,
  );
}

const matchers = iocMatchers(storeOf());

function run(r: LogRecord): Hit[] {
  return matchers(r.source).flatMap((m) => m.check(r, { path: 'p' }) ?? []);
}

const brief = (hits: Hit[]) =>
  hits.map(
    (h) => `${h.details?.indicatorType} ${h.details?.matchedField}=${h.details?.matchedValue} ${h.outcome}`,
  );

const IIS =
  '#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: 2021-03-03 06:00:00\r\n' +
  '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status X-Forwarded-For\r\n';

test('IIS: client address and X-Forwarded-For (one hit per indicator), user agent, URLs and domains', () => {
  const { records, problems } = parseWith(
    'iis-w3c',
    'inetpub/logs/LogFiles/W3SVC1/u_ex210303.log',
    IIS +
      '2021-03-03 06:49:42 10.0.0.5 POST /ecp/y.js - 443 - 203.0.113.9 EvilClient/1.0 - 200 203.0.113.9\r\n' +
      '2021-03-03 06:50:00 10.0.0.5 GET /owa/auth/x.js u=http://drop.example/p.aspx?k=1 443 - 10.0.0.7 Mozilla/5.0 https://a.evil.example/ref 302 198.51.100.4\r\n' +
      '2021-03-03 06:51:00 10.0.0.5 GET /autodiscover/autodiscover.json a=b%40c2.evil.example/powershell 443 - 10.0.0.7 Mozilla/5.0+(compatible;+Crawler/2.1) - 401 -\r\n' +
      '2021-03-03 06:52:00 10.0.0.5 GET /owa/ - 443 - 192.0.2.200 Mozilla/5.0 - 200 -\r\n' +
      '2021-03-03 06:53:00 10.0.0.5 GET /owa/ - 443 - 10.0.0.8 Mozilla/5.0 https://notevil.example/ 200 -\r\n',
  );
  assert.deepEqual(problems, []);
  const [r1, r2, r3, r4, r5] = records.map(run);
  assert.deepEqual(brief(r1!), [
    'ip c-ip=203.0.113.9 attempt',
    'user-agent cs(User-Agent)=EvilClient/1.0 attempt',
  ]);
  assert.equal(r1![0]!.details?.httpStatus, '200');
  assert.match(r1![0]!.details?.statusNote ?? '', /does not show an exploit worked/);
  assert.deepEqual(r1![0]!.sourceIps, ['203.0.113.9']);
  assert.equal(r1![0]!.time, '2021-03-03T06:49:42.000Z');
  assert.deepEqual(brief(r2!), [
    'cidr X-Forwarded-For=198.51.100.4 attempt',
    'url cs-uri=http://drop.example/p.aspx?k=1 attempt',
    'domain cs(Referer)=a.evil.example attempt',
  ]);
  // Percent-encoded SSRF target in the query; a low-confidence crawler string is only suspicious.
  assert.deepEqual(brief(r3!), [
    'user-agent cs(User-Agent)=Mozilla/5.0 (compatible; Crawler/2.1) suspicious',
    'domain cs-uri=c2.evil.example attempt',
  ]);
  assert.equal(r3![0]!.rule.id, 'indicator--0a000000-0000-4000-8000-0000000000aa');
  assert.deepEqual(r4, [], 'an indicator past its valid_until does not match');
  assert.deepEqual(r5, []);
});

test('HttpProxy: several addresses in ClientIpAddress, IPv6 included', () => {
  const fields = 'DateTime,RequestId,UrlStem,UrlQuery,AnchorMailbox,UserAgent,ClientIpAddress,HttpStatus';
  const text =
    `${fields}\r\n#Software: Microsoft Exchange Server\r\n#Log-type: HttpProxy Logs\r\n#Fields: ${fields}\r\n` +
    '2021-03-03T06:49:42.162Z,r1,/ecp/y.js,,ServerInfo~a]@x:444/ecp/proxyLogon.ecp?#,ExchangeServicesClient/0.0.0.0,10.0.0.1 2001:DB8::66,241\r\n' +
    '2021-03-03T06:49:43.000Z,r2,/owa/,,,Mozilla/5.0,10.0.0.1 10.0.0.2,200\r\n';
  const { records, problems } = parseWith(
    'httpproxy',
    'Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG',
    text,
  );
  assert.deepEqual(problems, []);
  const hits = run(records[0]!);
  assert.deepEqual(brief(hits), ['ip ClientIpAddress=2001:DB8::66 attempt']);
  assert.deepEqual(hits[0]!.sourceIps, ['10.0.0.1', '2001:DB8::66']);
  assert.deepEqual(run(records[1]!), []);
});

test('Rps_Http: ClientIpAddress and ClientInfo', () => {
  const head =
    '#Software: Microsoft Exchange Server\r\n#Fields: DateTime,ClientIpAddress,HttpStatus,ClientInfo,CommandName\r\n';
  const { records } = parseWith(
    'rps-http',
    'Logging/CmdletInfra/Powershell-Proxy/Http/Rps_Http_2022122010-1.LOG',
    head + '2022-12-20T10:00:00.000Z,198.51.100.77 10.0.0.5,200,EvilClient/1.0,\r\n',
  );
  assert.deepEqual(brief(run(records[0]!)), [
    'cidr ClientIpAddress=198.51.100.77 attempt',
    'user-agent ClientInfo=EvilClient/1.0 attempt',
  ]);
  assert.equal(run(records[0]!)[0]!.stage, 'execution');
});

test('ECP Server: a URL written into a virtual directory setting', () => {
  const text =
    '#Software: Microsoft Exchange Server\r\n#Log-type: ECP Server Log\r\n#Fields: TimeStamp,ServerName,EventId,EventData\r\n' +
    `2021-03-03T06:49:53.772Z,EX01,ECP.Request,"S:CMD=Set-OabVirtualDirectory.ExternalUrl='http://drop.example/p.aspx'.Identity='x';S:URL=/ecp/DDI/DDIService.svc/SetObject"\r\n`;
  const { records } = parseWith('ecp-server', 'Logging/ECP/Server/ECPServer20210303-1.LOG', text);
  assert.deepEqual(brief(run(records[0]!)), ['url CMD=http://drop.example/p.aspx attempt']);
});

test('EVTX: IpAddress of a logon, IPv4-mapped', () => {
  const r = fakeRecord('evtx', { EventID: 4624, IpAddress: '::ffff:203.0.113.9', IpPort: '51234' });
  const hits = run(r);
  assert.deepEqual(brief(hits), ['ip IpAddress=::ffff:203.0.113.9 attempt']);
  assert.equal(hits[0]!.stage, 'context');
});

test('files: a webshell name or MD5 in a web folder is compromise; a staged name waits for the gate', () => {
  const web = parseWith('web-file', 'C/inetpub/wwwroot/aspnet_client/zz-shell.aspx', FILE_BODY).records[0]!;
  const hits = run(web);
  assert.deepEqual(brief(hits), [
    'filename Path=C/inetpub/wwwroot/aspnet_client/zz-shell.aspx compromise',
    `md5 MD5=${FILE_MD5} compromise`,
  ]);
  assert.equal(hits[0]!.excerpt, 'C/inetpub/wwwroot/aspnet_client/zz-shell.aspx');
  const staged = parseWith('staged-file', 'C/ProgramData/Loot/IT.zip', 'PK\x03\x04').records[0]!;
  const s = run(staged);
  assert.deepEqual(brief(s), ['filepath Path=C/ProgramData/Loot/IT.zip context']);
  assert.equal(s[0]!.details?.gate, 'exploitation');
});

test('artifact hashes after the scan: any artifact whose SHA-256 is listed', () => {
  const store = new IndicatorStore(
    importFeed('sha256,9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n', 'h.txt', 'h.txt')
      .indicators,
  );
  const art = {
    source: 'web-file',
    family: 'WebFolders',
    size: 4,
    records: 1,
    badRecords: 0,
    modified: '2021-03-03T07:00:00.000Z',
  };
  const found = matchArtifactHashes(
    [
      {
        ...art,
        path: 'C/inetpub/wwwroot/aspnet_client/a.aspx',
        sha256: '9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08',
      },
      { ...art, path: 'C/inetpub/wwwroot/aspnet_client/b.aspx', sha256: '00'.repeat(32) },
    ],
    store,
  );
  assert.equal(found.length, 1);
  const f = found[0]!;
  assert.equal(f.outcome, 'compromise');
  assert.equal(f.stage, 'webshell-write');
  assert.equal(f.evidence[0]?.path, 'C/inetpub/wwwroot/aspnet_client/a.aspx');
  assert.equal(f.time, '2021-03-03T07:00:00.000Z');
  assert.match(f.rule.id, /^ioc\.sha256\.[0-9a-f]{16}$/);
  assert.equal(
    f.id,
    matchArtifactHashes(
      [
        {
          ...art,
          path: f.evidence[0].path,
          sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
        },
      ],
      store,
    )[0]?.id,
  );
});

test('sources without IOC fields, and an empty store, get no matcher', () => {
  assert.deepEqual(matchers('oab-generator'), []);
  assert.deepEqual(iocMatchers(new IndicatorStore())('iis-w3c'), []);
  assert.deepEqual(splitAddresses('1.2.3.4:5555, [2001:db8::1]:443;-'), ['1.2.3.4', '2001:db8::1']);
});

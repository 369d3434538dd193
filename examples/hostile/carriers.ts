// The ordinary evidence each hostile case hides its attack in: IIS days, HttpProxy rows, a Sysmon event.

import { ChunkBuilder, fileHeader, u64le, utf16z } from '../../src/sources/evtx/testing/build.js';
import type { TNode, TValue } from '../../src/sources/evtx/testing/build.js';

export const IIS_FIELDS =
  'date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken';

export const iisHead = (date: string, fields = IIS_FIELDS) =>
  `#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: ${date} 00:00:00\r\n#Fields: ${fields}\r\n`;

/** A benign OWA logon at `time` on `date`. */
export const benignLine = (date: string, time: string) =>
  `${date} ${time} 10.0.0.5 GET /owa/auth/logon.aspx - 443 - 10.1.1.1 Mozilla/5.0 - 200 0 0 1`;

/** A request answered by a webshell at a published ProxyLogon path: a compromise on its own. */
export const ATTACK_URL = '/owa/auth/RedirSuiteServerProxy.aspx';
export const ATTACK_RULE = 'exhunt.webshell.known-name-access';
export const attackLine = (date: string, time: string) =>
  `${date} ${time} 10.0.0.5 GET ${ATTACK_URL} - 443 - 203.0.113.51 python-requests/2.25.1 - 200 0 0 12`;

/** One IIS day: benign lines spread over the day, the attack (when asked) in the middle. */
export function iisDay(date: string, opts: { attack?: boolean; eol?: string } = {}): string {
  const eol = opts.eol ?? '\r\n';
  const lines = ['00:05:00', '06:00:00', '12:00:00', '18:00:00', '23:55:00'].map((t) => benignLine(date, t));
  if (opts.attack) lines.splice(3, 0, attackLine(date, '12:30:00'));
  return iisHead(date).replace(/\r\n/g, eol) + lines.map((l) => l + eol).join('');
}

export const iisPath = (date: string, site = 'W3SVC1') =>
  `inetpub/logs/LogFiles/${site}/u_ex${date.replace(/-/g, '').slice(2)}.log`;

export const HP_FIELDS =
  'DateTime,RequestId,UrlStem,AuthenticatedUser,AnchorMailbox,UserAgent,ClientIpAddress,HttpStatus,Method';

export const hpHead = () =>
  `${HP_FIELDS}\r\n#Software: Microsoft Exchange Server\r\n#Version: 15.01.2176.002\r\n#Log-type: HttpProxy Logs\r\n#Date: 2021-03-03T06:00:00.000Z\r\n#Fields: ${HP_FIELDS}\r\n`;

export const hpBenign = (i: number) =>
  `2021-03-03T06:${String(10 + (i % 40)).padStart(2, '0')}:00.000Z,r${i},/owa/,CORP\\user${i % 7},,Mozilla/5.0,10.1.1.${i % 200},200,GET`;

/** The ProxyLogon SSRF that Test-ProxyLogon reports: an attempt at the least. */
export const HP_ATTACK_RULE = 'exhunt.proxylogon.ssrf-recon';
export const hpAttack = () =>
  '2021-03-03T06:59:42.162Z,r-attack,/ecp/y.js,,ServerInfo~a]@EXCH01.corp.local:444/autodiscover/autodiscover.xml?#,ExchangeServicesClient/0.0.0.0,203.0.113.51,200,POST';

export const HP_PATH =
  'Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG';

// A Sysmon process creation (event 1): cmd.exe started by IIS's worker process, a webshell running a command.

const sub = (n: number, type: number): TNode => ({ sub: n, type });
const SYSMON_EVENT: TNode = {
  el: 'Event',
  attrs: [['xmlns', 'http://schemas.microsoft.com/win/2004/08/events/event']],
  kids: [
    {
      el: 'System',
      kids: [
        { el: 'Provider', attrs: [['Name', 'Microsoft-Windows-Sysmon']] },
        { el: 'EventID', kids: [sub(0, 0x06)] },
        { el: 'TimeCreated', attrs: [['SystemTime', { sub: 1, type: 0x11 }]] },
        { el: 'EventRecordID', kids: [sub(2, 0x0a)] },
        { el: 'Channel', kids: ['Microsoft-Windows-Sysmon/Operational'] },
        { el: 'Computer', kids: ['EXCH01.corp.local'] },
      ],
    },
    {
      el: 'EventData',
      kids: [
        { el: 'Data', attrs: [['Name', 'Image']], kids: [sub(3, 0x01)] },
        { el: 'Data', attrs: [['Name', 'CommandLine']], kids: [sub(4, 0x01)] },
        { el: 'Data', attrs: [['Name', 'ParentImage']], kids: [sub(5, 0x01)] },
        { el: 'Data', attrs: [['Name', 'User']], kids: [sub(6, 0x01)] },
      ],
    },
  ],
};

const filetime = (iso: string) => BigInt(Date.parse(iso)) * 10000n + 116444736000000000n;
const v = (type: number, bytes: Buffer): TValue => ({ type, bytes });

/** One Sysmon event: the attack (w3wp starting cmd) or a benign process start. */
export function sysmonValues(record: number, attack: boolean): TValue[] {
  const u16 = Buffer.from([1, 0]);
  return [
    v(0x06, u16),
    v(0x11, u64le(filetime(`2021-03-03T07:${String(record % 60).padStart(2, '0')}:00.000Z`))),
    v(0x0a, u64le(BigInt(record))),
    v(0x01, utf16z(attack ? 'C:\\Windows\\System32\\cmd.exe' : 'C:\\Windows\\System32\\svchost.exe')),
    v(0x01, utf16z(attack ? 'cmd.exe /c whoami' : 'svchost.exe -k netsvcs')),
    v(
      0x01,
      utf16z(attack ? 'C:\\Windows\\System32\\inetsrv\\w3wp.exe' : 'C:\\Windows\\System32\\services.exe'),
    ),
    v(0x01, utf16z(attack ? 'NT AUTHORITY\\SYSTEM' : 'NT AUTHORITY\\SYSTEM')),
  ];
}

/** A chunk of `count` Sysmon events starting at `first`; the attack event where asked. */
export function sysmonChunk(first: number, count: number, attackAt?: number): ChunkBuilder {
  const c = new ChunkBuilder();
  for (let i = 0; i < count; i++) {
    const id = first + i;
    c.record(id, 'sysmon1', SYSMON_EVENT, sysmonValues(id, id === attackAt));
  }
  return c;
}

/** A Sysmon log of `chunks` chunks of 20 events; the attack is the 5th event of chunk `attackChunk`. */
export function sysmonFile(chunks: number, attackChunk: number, headerChunks = chunks): Buffer {
  const parts = [fileHeader(headerChunks)];
  for (let k = 0; k < chunks; k++) {
    const first = 1 + k * 20;
    parts.push(sysmonChunk(first, 20, k === attackChunk ? first + 4 : undefined).finish());
  }
  return Buffer.concat(parts);
}

export const SYSMON_PATH = 'Windows/System32/winevt/Logs/Microsoft-Windows-Sysmon%4Operational.evtx';
export const SYSMON_RULE = '1548e05a-dc61-4564-9d68-e731cbd7df50';

// The field roles name fields the parsers really emit, every record source declares its kind, and the
// indicator matchers read the same client-address fields as the detectors (X-Forwarded-For included).

import assert from 'node:assert/strict';
import test from 'node:test';
import { HTTPPROXY_FIELDS } from '../../examples/lib/httpproxy.js';
import { RPS_HTTP_FIELDS } from '../../examples/lib/exchange-logs.js';
import {
  FIELD_ROLES,
  RECORD_SOURCE_IDS,
  SOURCE_KINDS,
  clientAddressesOf,
  roleFields,
} from '../core/fields.js';
import type { FieldRole, RecordSourceId } from '../core/fields.js';
import type { LogRecord } from '../core/record.js';
import { IOC_FIELDS } from '../rules/ioc/fields.js';
import { addressesOf } from '../rules/builtin/util.js';
import { parseWith } from './parse-text.js';
import { SOURCES } from './registry.js';

const EX = '#Software: Microsoft Exchange Server\r\n#Version: 15.01.2375.007\r\n';
const csv = (fields: readonly string[], value: (f: string) => string) =>
  `${fields.join(',')}\r\n${fields.map(value).join(',')}\r\n`;

/** IIS fields as IIS names them, the full set an Exchange server can be configured to log. */
const IIS_ALL =
  'date time s-sitename s-computername s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs-version cs(User-Agent) cs(Cookie) cs(Referer) cs-host sc-status sc-substatus sc-win32-status sc-bytes cs-bytes time-taken X-Forwarded-For'.split(
    ' ',
  );

/** One record per source, read by the source's own parser from a line in its real layout. */
function sample(source: RecordSourceId): LogRecord | undefined {
  const value = (f: string) =>
    /status/i.test(f)
      ? '200'
      : /time$|^DateTime$/i.test(f)
        ? '2021-03-03T06:49:42.162Z'
        : `v-${f.replace(/\W/g, '')}`;
  const one = (src: string, path: string, text: string) => {
    const { records, problems } = parseWith(src, path, text);
    assert.deepEqual(problems, [], `${source} sample parses`);
    assert.equal(records.length, 1, `${source} sample gives one record`);
    return records[0];
  };
  switch (source) {
    case 'iis-w3c':
      return one(
        'iis-w3c',
        'W3SVC1/u_ex210303.log',
        `#Software: Microsoft Internet Information Services 10.0\r\n#Fields: ${IIS_ALL.join(' ')}\r\n` +
          `2021-03-03 06:49:42 ${IIS_ALL.slice(2)
            .map((f) => (/status|s-port|time-taken|bytes/.test(f) ? '200' : `v-${f.replace(/\W/g, '')}`))
            .join(' ')}\r\n`,
      );
    case 'httpproxy':
      return one(
        'httpproxy',
        'Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG',
        `${EX}#Log-type: HttpProxy Logs\r\n#Fields: ${csv(HTTPPROXY_FIELDS, value)}`,
      );
    case 'rps-http':
      return one(
        'rps-http',
        'Logging/CmdletInfra/Powershell-Proxy/Http/Rps_Http_2021030306-1.LOG',
        `${EX}#Log-type: Rps Http Logs\r\n#Fields: ${csv(RPS_HTTP_FIELDS, value)}`,
      );
    case 'rps-cmdlet':
      return one(
        'rps-cmdlet',
        'Logging/CmdletInfra/Powershell-Proxy/Cmdlet/Rps_Cmdlet_2021030306-1.LOG',
        `${EX}#Log-type: Rps Cmdlet Logs\r\n#Fields: ${csv(['DateTime', 'RequestId', 'Cmdlet', 'Parameters', 'UserAgent'], value)}`,
      );
    case 'ecp-server':
      return one(
        'ecp-server',
        'Logging/ECP/Server/ECPServer2021030306-1.LOG',
        `${EX}#Log-type: ECP Server Log\r\n#Fields: TimeStamp,ServerName,EventId,EventData\r\n` +
          `2021-03-03T06:49:42.162Z,EX01,1,S:CMD=Set-OabVirtualDirectory -Identity x;S:URL=/ecp/DDI/DDIService.svc/SetObject\r\n`,
      );
    case 'web-file':
      return one('web-file', 'inetpub/wwwroot/aspnet_client/x.aspx', '<%@ Page Language="C#" %>');
    case 'staged-file':
      return one('staged-file', 'ProgramData/x.zip', 'PK\u0003\u0004');
    default:
      return undefined;
  }
}

test('every record source has a kind, and every registered source id is in the union', () => {
  for (const id of RECORD_SOURCE_IDS) assert.ok(SOURCE_KINDS[id], id);
  for (const [id, def] of SOURCES) {
    const recordSource = def.dataOf ?? id;
    assert.ok(
      (RECORD_SOURCE_IDS as readonly string[]).includes(recordSource),
      `${id}: its records' source ${recordSource} is a RecordSourceId`,
    );
    assert.equal(def.roles, FIELD_ROLES[recordSource as RecordSourceId], `${id} declares its records' roles`);
  }
});

test("each role of a source names a field the source's parser really emits", () => {
  for (const id of RECORD_SOURCE_IDS) {
    const roles = Object.entries(FIELD_ROLES[id]) as [FieldRole, readonly string[]][];
    if (roles.length === 0) continue;
    // EVTX fields depend on the event (4624's IpAddress, Sysmon 3's DestinationIp): covered by the EVTX tests.
    if (id === 'evtx') continue;
    const r = sample(id);
    assert.ok(r, `a sample line for ${id}`);
    for (const [role, fields] of roles) {
      const emitted = fields.filter((f) => {
        const v = r.get(f);
        return v !== undefined && v !== null && v !== '';
      });
      assert.ok(emitted.length > 0, `${id}.${role}: none of ${fields.join(', ')} is in the record`);
    }
  }
});

test('X-Forwarded-For under either IIS spelling is a client address for detectors and indicators alike', () => {
  for (const name of ['X-Forwarded-For', 'cs(X-Forwarded-For)']) {
    const text =
      `#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status ${name}\r\n` +
      '2021-03-03 06:49:42 10.0.0.5 GET /owa/ - 443 - 10.0.0.9 curl 200 203.0.113.7,198.51.100.2\r\n';
    const r = parseWith('iis-w3c', 'W3SVC1/u_ex210303.log', text).records[0];
    assert.ok(r);
    assert.deepEqual(addressesOf(r), ['10.0.0.9', '203.0.113.7', '198.51.100.2'], name);
    assert.deepEqual(clientAddressesOf(r), addressesOf(r));
    const ioc = IOC_FIELDS['iis-w3c']?.addresses ?? [];
    assert.ok(ioc.includes(name), `the IOC table reads ${name}`);
  }
});

test('the IOC field table reads the same fields as the roles the detectors read', () => {
  for (const id of ['iis-w3c', 'httpproxy', 'rps-http'] as const) {
    const f = IOC_FIELDS[id];
    assert.ok(f, id);
    assert.deepEqual(f.addresses, [...roleFields(id, 'clientIp'), ...roleFields(id, 'forwardedFor')], id);
    assert.deepEqual(f.userAgents, roleFields(id, 'userAgent'), id);
    assert.deepEqual(f.status, roleFields(id, 'status'), id);
  }
  assert.deepEqual(IOC_FIELDS.evtx?.addresses, roleFields('evtx', 'address'));
});

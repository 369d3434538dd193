// The Exchange CSV log sources: HttpProxy, ECP Server, OAB generator, remote PowerShell (Rps_Http, Rps_Cmdlet).

import { FIELD_ROLES } from '../../core/fields.js';
import type { SourceDef } from '../../core/source.js';
import { baseName, hasSegment, headText, segmentAfter } from '../text/paths.js';
import { deriveEcp, deriveHttpProxy } from './derive.js';
import { createCsvParser } from './parser.js';

const isLog = (p: string) => p.endsWith('.log');
const isExchangeHead = (t: string) => /^#Software: Microsoft Exchange Server/m.test(t);
const logType = (t: string) => /^#Log-type:\s*(.+)$/m.exec(t)?.[1]?.trim().toLowerCase() ?? '';

const PROTOCOLS = [
  'Autodiscover',
  'Eas',
  'Ecp',
  'Ews',
  'Mapi',
  'Oab',
  'Owa',
  'OwaCalendar',
  'PowerShell',
  'RpcHttp',
  'RestService',
  'O365SuiteService',
  'PushNotifications',
  'ReportingWebService',
  'SnackyService',
  'E4e',
];

export const httpProxySource: SourceDef = {
  id: 'httpproxy',
  roles: FIELD_ROLES['httpproxy'],
  title: 'Exchange HttpProxy log',
  priority: 20,
  matchPath: (p) => isLog(p) && (hasSegment(p, 'logging/httpproxy/') || baseName(p).startsWith('httpproxy_')),
  sniff: (head) => {
    const t = headText(head);
    return isExchangeHead(t) && (logType(t).includes('httpproxy') || /AnchorMailbox/.test(t));
  },
  family: (p) => {
    const folder = segmentAfter(p, 'httpproxy/');
    const known = PROTOCOLS.find((x) => x.toLowerCase() === folder);
    return known ? `HttpProxy/${known}` : 'HttpProxy';
  },
  createParser: (ctx, sink) => createCsvParser({ source: 'httpproxy', derive: deriveHttpProxy }, ctx, sink),
  copiesChunks: true,
};

export const ecpServerSource: SourceDef = {
  id: 'ecp-server',
  roles: FIELD_ROLES['ecp-server'],
  title: 'Exchange ECP Server log',
  priority: 20,
  matchPath: (p) => isLog(p) && (hasSegment(p, 'logging/ecp/server/') || /^ecpserver\d/.test(baseName(p))),
  sniff: (head) => {
    const t = headText(head);
    return isExchangeHead(t) && logType(t).includes('ecp server');
  },
  family: () => 'ECP/Server',
  createParser: (ctx, sink) => createCsvParser({ source: 'ecp-server', derive: deriveEcp }, ctx, sink),
  copiesChunks: true,
};

export const oabGeneratorSource: SourceDef = {
  id: 'oab-generator',
  roles: FIELD_ROLES['oab-generator'],
  title: 'Exchange OAB generator log',
  priority: 20,
  matchPath: (p) =>
    isLog(p) && (hasSegment(p, 'logging/oabgeneratorlog/') || baseName(p).startsWith('oabgenerator')),
  sniff: (head) => {
    const t = headText(head);
    return isExchangeHead(t) && /oab ?generator/.test(logType(t));
  },
  family: () => 'OABGeneratorLog',
  // Its field layout is not publicly documented; detections match the line text, as Test-ProxyLogon does.
  createParser: (ctx, sink) => createCsvParser({ source: 'oab-generator', textOnly: true }, ctx, sink),
  copiesChunks: true,
};

export const rpsHttpSource: SourceDef = {
  id: 'rps-http',
  roles: FIELD_ROLES['rps-http'],
  title: 'Exchange remote PowerShell HTTP log (Rps_Http)',
  priority: 20,
  matchPath: (p) => isLog(p) && baseName(p).startsWith('rps_http_'),
  sniff: (head) => {
    const t = headText(head);
    return isExchangeHead(t) && /\bClientInfo\b/.test(t) && /\bCommandName\b/.test(t);
  },
  family: () => 'CmdletInfra/Rps_Http',
  createParser: (ctx, sink) => createCsvParser({ source: 'rps-http' }, ctx, sink),
  copiesChunks: true,
};

export const rpsCmdletSource: SourceDef = {
  id: 'rps-cmdlet',
  roles: FIELD_ROLES['rps-cmdlet'],
  title: 'Exchange remote PowerShell cmdlet log (Rps_Cmdlet)',
  priority: 20,
  matchPath: (p) => isLog(p) && baseName(p).startsWith('rps_cmdlet_'),
  sniff: (head) => {
    const t = headText(head);
    return isExchangeHead(t) && /\bCmdlet\b/.test(t) && /\bParameters\b/.test(t) && !/\bClientInfo\b/.test(t);
  },
  family: () => 'CmdletInfra/Rps_Cmdlet',
  createParser: (ctx, sink) => createCsvParser({ source: 'rps-cmdlet' }, ctx, sink),
  copiesChunks: true,
};

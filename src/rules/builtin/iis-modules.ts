// IIS modules that IIS and Exchange do not ship: a native DLL in <globalModules> is loaded into every worker
// process and sees every request before Exchange does (IIS-Raid, RGDoor, the families in ESET's "Anatomy of
// native IIS malware"); a managed module of someone else's type in <modules> does the same for ASP.NET
// (Owowa in OWA).

import { sourceKind } from '../../core/fields.js';
import type { Detector, Hit } from '../../core/detector.js';
import type { LogRecord } from '../../core/record.js';
import { moduleTable } from './iis-module-table.js';
import type { ModuleTable } from './iis-module-table.js';
import { builtinRule, str } from './util.js';

const REFS = [
  'https://www.welivesecurity.com/2021/08/06/anatomy-native-iis-malware/',
  'https://learn.microsoft.com/iis/configuration/system.webserver/globalmodules/',
  'https://attack.mitre.org/techniques/T1505/004/',
];
const TAGS = ['attack.persistence', 'attack.t1505.004'];

const NATIVE = builtinRule(
  'iis.native-module',
  'IIS native module not shipped by IIS or Exchange',
  'critical',
  REFS,
  TAGS,
);
const ALIAS = builtinRule(
  'iis.native-module-alias',
  'Stock IIS module DLL registered under another name',
  'medium',
  REFS,
  TAGS,
);
const MANAGED = builtinRule(
  'iis.managed-module',
  'Managed IIS module whose type is not Microsoft’s',
  'high',
  ['https://securelist.com/owowa-credential-stealer-and-remote-access/105219/', ...REFS],
  TAGS,
);

/** Longest attribute value kept in details; the excerpt keeps the element itself. */
const MAX_VALUE = 1024;

export const iisModuleDetector: Detector = {
  id: 'iis-modules',
  title: 'IIS modules not shipped by IIS or Exchange',
  // Module records come from applicationHost.config, and from web.config files read as web files.
  sources: ['iis-config', 'web-file'],
  check(r, ctx) {
    if (sourceKind(r.source) !== 'config') return undefined;
    const section = str(r, 'Section');
    if (section === 'globalModules') {
      const hit = nativeHit(r, moduleTable());
      return hit ? [hit] : undefined;
    }
    const type = str(r, 'Type').trim();
    // A <modules> entry without a type names a native module registered in <globalModules>: judged there.
    if (!type || moduleTable().microsoftType(type)) return undefined;
    return [
      base(r, MANAGED, 'suspicious', 'high', {
        summary: `${ctx.path}:${r.line}: <${section}> loads ${quote(str(r, 'Name'))} of type ${quote(type)}, which is not Microsoft’s`,
        why: 'a managed module whose type is not in a Microsoft namespace and assembly sees every request of the application it is added to (Owowa, 2021, stole OWA logons this way); check the assembly in the application’s bin folder or the GAC',
      }),
    ];
  },
};

function nativeHit(r: LogRecord, table: ModuleTable): Hit | undefined {
  const name = str(r, 'Name');
  const image = str(r, 'Image');
  const stock = table.byName(name);
  if (stock) {
    if (table.imageFits(stock, image)) return undefined;
    return base(r, NATIVE, 'compromise', 'critical', {
      summary: `<globalModules> registers ${quote(name)}, the name of a stock module (${stock.groupTitle}), with image ${quote(image)}`,
      why: `name of a stock module, image elsewhere: IIS's ${stock.name} loads ${stock.images.join(' or ')}; a native module under a stock name loading another DLL hides a backdoor among the modules IIS ships`,
      stock: stock.images.join(' | '),
    });
  }
  const dll = image ? table.byImage(image) : undefined;
  if (dll)
    return base(r, ALIAS, 'suspicious', 'medium', {
      summary: `<globalModules> registers ${quote(name)} with ${quote(image)}, the DLL of the stock module ${dll.name}`,
      why: `IIS and Exchange register this DLL as ${dll.name}; under another name it loads nothing new, but someone edited the list of native modules`,
    });
  if (!image)
    return base(r, ALIAS, 'suspicious', 'medium', {
      summary: `<globalModules> registers ${quote(name)} without an image`,
      why: 'a native module with no DLL: IIS refuses it, but someone edited the list of native modules',
    });
  return base(r, NATIVE, 'compromise', 'critical', {
    summary: `<globalModules> registers ${quote(name)} with image ${quote(image)}, a native module neither IIS nor Exchange ships`,
    why: 'a native module IIS and Exchange do not ship is loaded into every worker process and sees every request (IIS backdoors such as IIS-Raid and RGDoor are installed this way); collect the DLL and check its signature',
  });
}

function base(
  r: LogRecord,
  rule: Hit['rule'],
  outcome: Hit['outcome'],
  severity: Hit['severity'],
  d: { summary: string; why: string; stock?: string },
): Hit {
  const details: Record<string, string> = {
    section: str(r, 'Section'),
    name: cut(str(r, 'Name')),
    line: String(r.line),
    reason: d.why,
  };
  const image = str(r, 'Image');
  const type = str(r, 'Type');
  const location = str(r, 'Location');
  if (image) details['image'] = cut(image);
  if (type) details['type'] = cut(type);
  if (location) details['location'] = cut(location);
  if (d.stock) details['stockImage'] = d.stock;
  if (r.time) details['configWritten'] = r.time;
  return {
    rule,
    severity,
    cves: [],
    stage: 'persistence',
    outcome,
    // The file's last write: the latest time the entry can have been added, not when it was.
    time: r.time,
    sourceIps: [],
    summary: d.summary,
    details,
  };
}

function cut(s: string): string {
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE)}…` : s;
}

function quote(s: string): string {
  return `"${cut(s)}"`;
}

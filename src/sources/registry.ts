// The source registry: a plain map from source id to its definition, and the rule that picks one per file.

import type { SourceDef } from '../core/source.js';
import {
  ecpServerSource,
  httpProxySource,
  oabGeneratorSource,
  rpsCmdletSource,
  rpsHttpSource,
} from './exchange-csv/index.js';
import { evtxSource } from './evtx/index.js';
import { iisConfigSource } from './iis-config/index.js';
import { stagedFileSource, webFileSource } from './files/index.js';
import { w3cSource } from './w3c/index.js';
import * as exported from './log-export/index.js';
import * as tpl from './test-proxylogon/index.js';

const all: SourceDef[] = [
  w3cSource,
  httpProxySource,
  ecpServerSource,
  oabGeneratorSource,
  rpsHttpSource,
  rpsCmdletSource,
  webFileSource,
  stagedFileSource,
  iisConfigSource,
  evtxSource,
  exported.httpProxyExportSource,
  exported.ecpServerExportSource,
  exported.iisExportSource,
  exported.rpsHttpExportSource,
  exported.rpsCmdletExportSource,
  tpl.tplHttpProxySource,
  tpl.tpl26857Source,
  tpl.tpl26858LogsSource,
  tpl.tpl26858PathsSource,
  tpl.tpl27065LogsSource,
  tpl.tplOtherSource,
  tpl.tplLogAgeSource,
  tpl.tplCollectedOabSource,
  tpl.tplCollectedFileSource,
];

export const SOURCES: ReadonlyMap<string, SourceDef> = new Map(all.map((s) => [s.id, s]));

/** The source that claims a path, by path alone; the highest priority wins. */
export function sourceForPath(pathLower: string): SourceDef | undefined {
  let best: SourceDef | undefined;
  for (const s of SOURCES.values())
    if (s.matchPath(pathLower) && (!best || s.priority > best.priority)) best = s;
  return best;
}

/** The source whose sniff recognises the file's first bytes, for logs collected in any layout. */
export function sourceForHead(head: Buffer): SourceDef | undefined {
  let best: SourceDef | undefined;
  for (const s of SOURCES.values()) if (s.sniff?.(head) && (!best || s.priority > best.priority)) best = s;
  return best;
}

/** Extensions worth sniffing when the path says nothing: text logs under unfamiliar names. */
export function worthSniffing(pathLower: string): boolean {
  return /\.(log|txt|csv|tsv)$/.test(pathLower) || /\/[^./]+$/.test(pathLower) || !pathLower.includes('.');
}

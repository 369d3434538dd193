// Webshells on disk: web-served script files whose code does what shells do, or that Exchange does not ship.

import type { Detector, Hit } from '../../core/detector.js';
import { analyseContent, excerptAt } from './webshell-content.js';
import type { BehaviourHit, ContentResult } from './webshell-content.js';
import { exchangeTreePath, stockInventory } from './stock-inventory.js';
import { SCRIPT_EXT, isStockScript, shellFolder } from './webfolders.js';
import { builtinRule, str } from './util.js';
import { RULE_IDS } from '../../core/rule-ids.js';
import type { FileSection } from '../../core/finding.js';
import { fileSectionOf } from '../../core/sections.js';

function withReasons(file: FileSection | undefined, reasons: string[]): { file?: FileSection } {
  return file ? { file: { ...file, reasons } } : {};
}

const CONFIRMED = builtinRule(RULE_IDS.webshellFile, 'Webshell in a web-served folder', 'critical');
const UNKNOWN = builtinRule(
  RULE_IDS.webshellUnknownScript,
  'Script file not shipped by Exchange in a webshell folder',
  'medium',
);
const ODD_CODE = builtinRule(RULE_IDS.webshellSuspiciousCode, 'Script with webshell-like code', 'medium');

/** Windows the content is read in: bounded memory for the normaliser, overlap so no construct is cut in two. */
export const WINDOW = 4 << 20;
const OVERLAP = 64 << 10;

interface Wrapper {
  id: string;
  reason: string;
  test(text: string, head: string): boolean;
  cves: string[];
}

const isScript = /<%|<script[^>]{0,200}runat\s*=\s*["']?server|Page\s+Language\s*=/i;

/** Exchange exports written as pages (ProxyLogon, ProxyShell): the wrapper itself shows how the file got there. */
const WRAPPERS: Wrapper[] = [
  {
    id: 'oab-dump',
    reason: 'OAB virtual directory configuration dump carrying script (CVE-2021-27065)',
    test: (t) =>
      /(External|Internal)Url/i.test(t) && /<script[^>]{0,200}runat\s*=\s*["']?server|Page_Load/i.test(t),
    cves: ['CVE-2021-27065'],
  },
  {
    id: 'pst-wrapper',
    reason: 'PST file (!BDN) carrying script: a mailbox export written as a webshell (ProxyShell)',
    test: (t, head) => head.startsWith('!BDN') && isScript.test(t),
    cves: ['CVE-2021-34473', 'CVE-2021-34523', 'CVE-2021-31207'],
  },
  {
    id: 'der-wrapper',
    reason: 'certificate request (DER) carrying script: an export written as a webshell',
    test: (t, head) => head.startsWith('\x30\x82') && isScript.test(t),
    cves: [],
  },
];

/** Content analysis over the whole kept text, window by window, hits merged by behaviour. */
function analyseWebText(text: string): ContentResult {
  if (text.length <= WINDOW + OVERLAP) return analyseContent(text);
  const hits = new Map<string, BehaviourHit>();
  const tricks = new Set<string>();
  for (let at = 0; at < text.length; at += WINDOW) {
    const part = analyseContent(text.slice(at, at + WINDOW + OVERLAP));
    for (const t of part.tricks) tricks.add(t);
    for (const h of part.hits) if (!hits.has(h.id)) hits.set(h.id, { ...h, offset: h.offset + at });
  }
  const list = [...hits.values()];
  return { webshell: list.some((h) => h.strong) || list.length >= 3, hits: list, tricks: [...tricks] };
}

export const webshellFileDetector: Detector = {
  id: 'webshell-file',
  title: 'Webshells on disk',
  sources: ['web-file'],
  check(r) {
    // A web.config also yields one record per module it adds (src/sources/files): judged by iis-modules.ts.
    if (r.source !== 'web-file') return undefined;
    const path = str(r, 'Path');
    const lower = path.toLowerCase();
    const text = r.text();
    const head = text.slice(0, 8);
    const content = analyseWebText(text);
    const wrappers = WRAPPERS.filter((w) => w.test(text, head));
    const notShipped = notShippedReason(lower);
    const strong = content.hits.filter((h) => h.strong);
    const weak = content.hits.filter((h) => !h.strong);
    const confirmed = content.webshell || wrappers.length > 0;
    if (!confirmed && !notShipped && weak.length === 0) return undefined;
    const reasons = [
      ...wrappers.map((w) => w.reason),
      ...strong.map(reasonOf),
      ...weak.map(reasonOf),
      ...(notShipped ? [notShipped] : []),
    ];
    const shown = [...strong, ...weak].slice(0, 6);
    const rule = confirmed ? CONFIRMED : notShipped ? UNKNOWN : ODD_CODE;
    const truncated = r.get('Truncated') === true;
    const hit: Hit = {
      rule,
      severity: confirmed ? 'critical' : 'medium',
      cves: [...new Set(wrappers.flatMap((w) => w.cves))],
      stage: 'webshell-write',
      outcome: confirmed ? 'compromise' : 'suspicious',
      time: r.time,
      sourceIps: [],
      summary: `${path}: ${reasons.join('; ')}`,
      excerpt: shown[0]?.excerpt ?? excerptAt(text, firstCode(text), firstCode(text) + 1),
      // The record's file section, with the reasons (toFinding keeps a detector's section as it is).
      ...withReasons(fileSectionOf(r), reasons),
      details: {
        path,
        reasons: reasons.join('; '),
        size: String(r.get('Size') ?? ''),
        ...(content.hits.length ? { behaviours: content.hits.map((h) => h.id).join(', ') } : {}),
        ...(shown.length ? { code: shown.map((h) => `${h.id} @${h.offset}: ${h.excerpt}`).join('\n') } : {}),
        ...(content.tricks.length ? { deobfuscated: content.tricks.join(', ') } : {}),
        ...(notShipped ? { inventory: notShipped } : {}),
      },
    };
    if (truncated) hit.note = 'only the first part of this file was examined (see the limit problem on it)';
    return [hit];
  },
};

function reasonOf(h: BehaviourHit): string {
  return h.decoded ? `${h.reason} (in a ${h.decoded} string)` : h.reason;
}

/** Why a script file is not stock: not in the inventory of an Exchange web tree, or in a folder Exchange leaves empty. */
function notShippedReason(lower: string): string | undefined {
  const where = exchangeTreePath(lower);
  if (where) {
    // In Exchange's trees every script and configuration file is listed, web.config included.
    if (!SCRIPT_EXT.test(lower) && !/\.(config|cs|vb|master)$/.test(lower)) return undefined;
    if (stockInventory().shipped(where.rel)) return undefined;
    const folder = where.rel.slice(0, where.rel.lastIndexOf('/'));
    return `script file not shipped by Exchange in ${folder}`;
  }
  // Elsewhere only pages count: IIS writes wwwroot's web.config itself (URL Rewrite, EOMT).
  const folder = SCRIPT_EXT.test(lower) ? shellFolder(lower) : undefined;
  if (folder === undefined || isStockScript(folder, lower)) return undefined;
  return `script file not shipped by Exchange in ${folder}`;
}

/** Where the page's code starts, so an excerpt without a behaviour still shows code, not PST headers. */
function firstCode(text: string): number {
  const at = text.search(/<%|<script|Page_Load|eval\s*\(|FromBase64String/i);
  return at < 0 ? 0 : at;
}

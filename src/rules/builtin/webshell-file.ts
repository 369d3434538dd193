// Webshells on disk: script files in web-served folders that carry shell code or are not part of Exchange.

import type { Detector } from '../../core/detector.js';
import { shellFolder, isStockScript } from './webfolders.js';
import { builtinRule, str } from './util.js';

const CONFIRMED = builtinRule('webshell.file', 'Webshell in a web-served folder', 'critical');
const UNKNOWN = builtinRule(
  'webshell.unknown-script',
  'Script file not shipped by Exchange in a webshell folder',
  'medium',
);

interface Trait {
  reason: string;
  test(text: string, head: string): boolean;
  cves?: string[];
}

const has = (re: RegExp) => (t: string) => re.test(t);
const isScript = /<%|<script[^>]*runat\s*=\s*["']?server|Page\s+Language\s*=/i;

/** Content traits of the webshell families seen on Exchange; each gives a reason in the report. */
export const TRAITS: Trait[] = [
  {
    reason: 'China Chopper-style eval of request data',
    test: has(/eval\s*\(\s*(System\.Text\.Encoding[^)]*\(\s*)?Request(\.Item)?\s*[[(]/i),
  },
  {
    reason: 'OAB virtual directory configuration dump carrying script (CVE-2021-27065)',
    test: (t) =>
      /(External|Internal)Url/i.test(t) && /<script[^>]*runat\s*=\s*["']?server|Page_Load/i.test(t),
    cves: ['CVE-2021-27065'],
  },
  {
    reason: 'PST file (!BDN) carrying script: a mailbox export written as a webshell (ProxyShell)',
    test: (t, head) => head.startsWith('!BDN') && isScript.test(t),
    cves: ['CVE-2021-34473', 'CVE-2021-34523', 'CVE-2021-31207'],
  },
  {
    reason: 'certificate request (DER) carrying script: an export written as a webshell',
    test: (t, head) => head.startsWith('\x30\x82') && isScript.test(t),
  },
  {
    reason: 'decodes base64 from the request (FromBase64String(Request[...]))',
    test: has(/FromBase64String\s*\(\s*Request\s*[[.(]/i),
  },
  {
    reason: 'writes uploaded request data to disk',
    test: has(/StreamWriter\s*\(\s*Request\.Form\s*\[|Request\.Files\s*\[\s*0\s*\]\s*\.SaveAs/i),
  },
  {
    reason: 'starts a shell with request data',
    test: (t) => /Request/.test(t) && /Process(StartInfo)?\b/.test(t) && /cmd(\.exe)?|powershell/i.test(t),
  },
  {
    reason: 'loads a .NET assembly from request data',
    test: (t) => /Assembly\.Load\s*\(/i.test(t) && /Request/.test(t),
  },
];

export const webshellFileDetector: Detector = {
  id: 'webshell-file',
  title: 'Webshells on disk',
  sources: ['web-file'],
  check(r) {
    const path = str(r, 'Path');
    const lower = path.toLowerCase();
    const text = r.text();
    const head = text.slice(0, 8);
    const traits = TRAITS.filter((t) => t.test(text, head));
    const folder = shellFolder(lower);
    const unknown = folder !== undefined && !isStockScript(folder, lower);
    if (traits.length === 0 && !unknown) return undefined;
    const reasons = traits.map((t) => t.reason);
    if (unknown) reasons.push(`script file not shipped by Exchange in ${folder}`);
    const cves = [...new Set(traits.flatMap((t) => t.cves ?? []))];
    const confirmed = traits.length > 0;
    return [
      {
        rule: confirmed ? CONFIRMED : UNKNOWN,
        severity: confirmed ? 'critical' : 'medium',
        cves,
        stage: 'webshell-write',
        outcome: confirmed ? 'compromise' : 'suspicious',
        time: r.time,
        sourceIps: [],
        summary: `${path}: ${reasons.join('; ')}`,
        excerpt: excerptOf(text),
        details: { path, reasons: reasons.join('; '), size: String(r.get('Size') ?? '') },
      },
    ];
  },
};

/** The first script-looking part of the file, so the report shows the shell code, not PST headers. */
function excerptOf(text: string): string {
  const at = text.search(/<%|<script|Page_Load|eval\s*\(|FromBase64String/i);
  const start = at < 0 ? 0 : Math.max(0, at - 40);
  // eslint-disable-next-line no-control-regex -- keep tabs and line ends, dot out other bytes
  return text.slice(start, start + 600).replace(/[^\x09\x0a\x0d\x20-\x7e]/g, '.');
}

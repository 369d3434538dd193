// CVE-2021-27065 in the ECP Server log: a Set-*VirtualDirectory whose URL carries script, and the reset after it.

import type { Detector, Hit } from '../../core/detector.js';
import { parseEcpEventData } from '../../core/ecp-data.js';
import { builtinRule } from './util.js';
import { RULE_IDS } from '../../core/rule-ids.js';

const REFS = ['https://github.com/microsoft/CSS-Exchange/blob/main/docs/Security/Test-ProxyLogon.md'];
const SCRIPT_SET = builtinRule(
  RULE_IDS.ecpVdirScript,
  'Virtual directory URL set to script through ECP (CVE-2021-27065)',
  'critical',
  REFS,
);
const RESET = builtinRule(
  RULE_IDS.ecpVdirReset,
  'Virtual directory removed or recreated through ECP (webshell write step)',
  'medium',
  REFS,
);

/**
 * Test-ProxyLogon's Get-Cve27065 ECP Server log pattern, as the script has it. Not run as a regular
 * expression: its nested `.+` take minutes on a few kilobytes of hostile text. `matchesTpl27065` decides
 * the same in one pass (a test checks both agree).
 */
export const TPL_27065 = /Set-.+VirtualDirectory.+?(?=Url).+<\w+.*>(.*?)<\/\w+>.+?(?=VirtualDirectory)/i;

/**
 * Does a line match TPL_27065? Each part must come after the previous one on the same line (`.` stops at
 * line ends), and the earliest place of each leaves the most room for the rest, so searching forward once
 * decides.
 */
export function matchesTpl27065(text: string): boolean {
  for (const line of text.toLowerCase().split(/[\n\r\u2028\u2029]/)) {
    const set = line.indexOf('set-');
    if (set < 0) continue;
    const vd = line.indexOf('virtualdirectory', set + 5);
    if (vd < 0) continue;
    const url = line.indexOf('url', vd + 17);
    if (url < 0) continue;
    const open = find(/<\w/g, line, url + 1);
    if (open < 0) continue;
    const gt = line.indexOf('>', open + 2);
    if (gt < 0) continue;
    const close = find(/<\/\w+>/g, line, gt + 1, true);
    if (close < 0) continue;
    if (line.indexOf('virtualdirectory', close + 1) >= 0) return true;
  }
  return false;
}

/** Index of the first match of a global pattern at or after `from` (its end with `end`), or -1. */
function find(re: RegExp, s: string, from: number, end = false): number {
  re.lastIndex = from;
  const m = re.exec(s);
  return m ? (end ? m.index + m[0].length : m.index) : -1;
}

/**
 * The same fact read from the command alone: a Set-*VirtualDirectory whose *Url parameter holds the start
 * of a tag (`<script`, `<%`). No URL contains `<`, so it is markup for the file the URL gets written into,
 * whatever follows on the line. Test-ProxyLogon's pattern also wants a closing tag and a second
 * "VirtualDirectory" later on the line (the `S:URL` field), which published excerpts and SIEM exports
 * cut off.
 */
export function scriptInUrl(command: string): boolean {
  const set = find(/\bset-\w*virtualdirectory\b/gi, command, 0, true);
  if (set < 0) return false;
  const url = find(/url\s*=/gi, command, set, true);
  return url >= 0 && find(/<[a-z%!]/gi, command, url) >= 0;
}

const RESET_CMD = /S:CMD=(Remove|New)-[A-Za-z]*VirtualDirectory/i;

export const ecpVdirDetector: Detector = {
  id: 'proxylogon-ecp-vdir',
  title: 'CVE-2021-27065 virtual directory changes in the ECP Server log',
  sources: ['ecp-server'],
  literals: ['virtualdirectory'],
  check(r) {
    const text = r.text();
    const data = parseEcpEventData(text);
    const cmd = data.get('CMD') ?? '';
    const base = {
      cves: ['CVE-2021-27065'],
      stage: 'webshell-write' as const,
      time: r.time,
      sourceIps: [],
      details: {
        cmd,
        url: data.get('URL') ?? '',
        ecpCanary: /msExchEcpCanary=([^&;\s]+)/i.exec(text)?.[1] ?? '',
      },
    };
    const tpl = matchesTpl27065(text);
    // A line cut inside the quoted command leaves no CMD pair: the text after `S:CMD=` is the command.
    const command = cmd || (/S:CMD=(.*)$/is.exec(text)?.[1] ?? '');
    if (tpl || scriptInUrl(command)) {
      const hit: Hit = {
        ...base,
        rule: SCRIPT_SET,
        severity: 'critical',
        outcome: 'success',
        summary: `ECP command with script in a virtual directory URL: ${command.slice(0, 200)}`,
        // The command recovered from the text when the line was cut inside it (no CMD field to read).
        command: { text: command.slice(0, 2048) },
        details: { ...base.details, cmd: command, testProxyLogon: tpl ? 'CVE-2021-27065' : 'no' },
      };
      return [hit];
    }
    if (RESET_CMD.test(text)) {
      return [
        {
          ...base,
          rule: RESET,
          severity: 'medium',
          outcome: 'context',
          summary: `ECP: ${cmd.slice(0, 200)}`,
        },
      ];
    }
    return undefined;
  },
};

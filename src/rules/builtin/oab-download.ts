// CVE-2021-26858 in the OAB generator log: a failed download whose temporary file lies outside ClientAccess\OAB.

import type { Detector } from '../../core/detector.js';
import { builtinRule } from './util.js';

const RULE = builtinRule(
  'proxylogon.oab-download-path',
  'OAB download written outside ClientAccess\\OAB (CVE-2021-26858)',
  'critical',
  ['https://github.com/microsoft/CSS-Exchange/blob/main/docs/Security/Test-ProxyLogon.md'],
);

const LINE = /Download failed and temporary file (.*?) needs to be removed/i;

/**
 * Test-ProxyLogon compares with the install path from the registry. Here the install path comes from the
 * evidence layout when there is one; without it, any `<drive>:\...\ClientAccess\OAB\` path counts as normal.
 */
export function isOabPath(downloadPath: string, installWindows: string | undefined): boolean {
  const p = downloadPath.replace(/^'/, '').toLowerCase();
  const rest = p.replace(/^[a-z]:/, '');
  if (installWindows) return rest.startsWith(installWindows.replace(/^[a-z]:/, '') + 'clientaccess\\oab');
  return /^[a-z]:\\(.*\\)?clientaccess\\oab(\\|')/.test(p) || /^[a-z]:\\(.*\\)?clientaccess\\oab$/.test(p);
}

export const oabDownloadDetector: Detector = {
  id: 'proxylogon-oab-download',
  title: 'CVE-2021-26858 OAB generator download paths',
  sources: ['oab-generator'],
  literals: ['download failed and temporary file'],
  check(r, ctx) {
    const m = LINE.exec(r.text());
    const path = m?.[1];
    if (path === undefined || isOabPath(path, ctx.installPathWindows)) return undefined;
    return [
      {
        rule: RULE,
        severity: 'critical',
        cves: ['CVE-2021-26858'],
        stage: 'webshell-write',
        outcome: 'success',
        time: r.time,
        sourceIps: [],
        summary: `OAB generator wrote a download to ${path.replace(/^'|'$/g, '')}`,
        serverFile: { path: path.replace(/^'|'$/g, ''), writtenBy: 'oab-generator' },
        details: { downloadPath: path.replace(/^'|'$/g, ''), testProxyLogon: 'CVE-2021-26858' },
      },
    ];
  },
};

// CVE-2021-27065 in the ECP Server log: a Set-*VirtualDirectory whose URL carries script, and the reset after it.

import type { Detector, Hit } from '../../core/detector.js';
import { parseEcpEventData } from '../../core/ecp-data.js';
import { builtinRule } from './util.js';

const REFS = ['https://github.com/microsoft/CSS-Exchange/blob/main/docs/Security/Test-ProxyLogon.md'];
const SCRIPT_SET = builtinRule(
  'proxylogon.ecp-vdir-script',
  'Virtual directory URL set to script through ECP (CVE-2021-27065)',
  'critical',
  REFS,
);
const RESET = builtinRule(
  'proxylogon.ecp-vdir-reset',
  'Virtual directory removed or recreated through ECP (webshell write step)',
  'medium',
  REFS,
);

/** Test-ProxyLogon's Get-Cve27065 ECP Server log pattern, unchanged. */
export const TPL_27065 = /Set-.+VirtualDirectory.+?(?=Url).+<\w+.*>(.*?)<\/\w+>.+?(?=VirtualDirectory)/i;
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
    if (TPL_27065.test(text)) {
      const hit: Hit = {
        ...base,
        rule: SCRIPT_SET,
        severity: 'critical',
        outcome: 'success',
        summary: `ECP command with script in a virtual directory URL: ${cmd.slice(0, 200)}`,
        details: { ...base.details, testProxyLogon: 'CVE-2021-27065' },
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

// CVE-2021-26855 in HttpProxy logs: Test-ProxyLogon's check, the blog's variant, and each row's ProxyLogon stage.

import type { Detector, Hit } from '../../core/detector.js';
import type { Outcome, RuleRef, Stage } from '../../core/finding.js';
import type { LogRecord } from '../../core/record.js';
import { like } from './like.js';
import { SCANNER_CHECK_TAG } from '../../core/rule-ids.js';
import { addressesOf, builtinRule, httpStatus, str, userAgentOf } from './util.js';

const REFS = ['https://github.com/microsoft/CSS-Exchange/blob/main/docs/Security/Test-ProxyLogon.md'];
const CVES = ['CVE-2021-26855'];

interface Step {
  rule: RuleRef;
  stage: Stage;
  /** Outcome when the back end answered with success, and when it did not. */
  ok: Outcome;
  failed: Outcome;
  cves: string[];
  match(anchor: string): boolean;
  success(status: number): boolean;
}

const ok2xx = (s: number) => s >= 200 && s < 300;

/** Ordered: the first step whose pattern fits the AnchorMailbox decides the row. */
const STEPS: Step[] = [
  {
    rule: builtinRule(
      'proxylogon.scanner-probe',
      'ProxyLogon scanner probe (ServerInfo~localhost)',
      'low',
      REFS,
      // Microsoft's own nmap check sent exactly this; Test-ProxyLogon ignores it as noise.
      [SCANNER_CHECK_TAG],
    ),
    stage: 'recon',
    ok: 'probe',
    failed: 'probe',
    cves: CVES,
    match: (a) => like(a, 'ServerInfo~localhost*/*'),
    success: ok2xx,
  },
  {
    rule: builtinRule(
      'proxylogon.reset-vdir',
      'ProxyLogon virtual directory reset: webshell written (CVE-2021-27065)',
      'critical',
      REFS,
    ),
    stage: 'webshell-write',
    ok: 'compromise',
    failed: 'attempt',
    cves: ['CVE-2021-26855', 'CVE-2021-27065'],
    match: (a) => like(a, 'ServerInfo~*/*Reset*VirtualDirectory#'),
    success: (s) => s === 200,
  },
  {
    rule: builtinRule(
      'proxylogon.set-vdir',
      'ProxyLogon virtual directory changed through the SSRF (CVE-2021-27065)',
      'critical',
      REFS,
    ),
    stage: 'webshell-write',
    ok: 'success',
    failed: 'attempt',
    cves: ['CVE-2021-26855', 'CVE-2021-27065'],
    match: (a) => like(a, 'ServerInfo~*/ecp/*DDIService.svc/*schema=*VirtualDirectory*'),
    success: ok2xx,
  },
  {
    rule: builtinRule(
      'proxylogon.ecp-session',
      'ProxyLogon ECP session obtained (proxyLogon.ecp)',
      'critical',
      REFS,
    ),
    stage: 'exploit',
    ok: 'success',
    failed: 'attempt',
    cves: CVES,
    match: (a) => like(a, 'ServerInfo~*/ecp/proxyLogon.ecp*'),
    success: (s) => s === 241 || s === 200,
  },
  {
    rule: builtinRule('proxylogon.sid-theft', 'ProxyLogon SID theft through /mapi/emsmdb', 'high', REFS),
    stage: 'exploit',
    ok: 'success',
    failed: 'attempt',
    cves: CVES,
    match: (a) => like(a, 'ServerInfo~*/mapi/emsmdb*'),
    success: ok2xx,
  },
  {
    rule: builtinRule(
      'proxylogon.ssrf-recon',
      'ProxyLogon SSRF reconnaissance (autodiscover)',
      'medium',
      REFS,
      // Test-ProxyLogon leaves autodiscover-only targets out: scanners stop there.
      [SCANNER_CHECK_TAG],
    ),
    stage: 'recon',
    ok: 'attempt',
    failed: 'attempt',
    cves: CVES,
    match: (a) => like(a, 'ServerInfo~*/autodiscover*'),
    success: ok2xx,
  },
  {
    rule: builtinRule(
      'proxylogon.ssrf',
      'ProxyLogon SSRF request proxied to a back-end service',
      'high',
      REFS,
    ),
    stage: 'exploit',
    ok: 'success',
    failed: 'attempt',
    cves: CVES,
    match: (a) => like(a, 'ServerInfo~*/*'),
    success: ok2xx,
  },
];

/** Test-ProxyLogon's Get-Cve26855 row test, exactly (its 2021-03-11 exclusions included). */
export function testProxyLogon26855(anchor: string): boolean {
  return (
    like(anchor, 'ServerInfo~*/*') &&
    !like(anchor, 'ServerInfo~*/autodiscover*') &&
    !like(anchor, 'ServerInfo~localhost*/*')
  );
}

/** The Microsoft blog's query: the same pattern with an empty AuthenticatedUser, no exclusions. */
export function blogQuery26855(r: LogRecord, anchor: string): boolean {
  return str(r, 'AuthenticatedUser') === '' && like(anchor, 'ServerInfo~*/*');
}

export const serverInfoDetector: Detector = {
  id: 'proxylogon-serverinfo',
  title: 'ProxyLogon (CVE-2021-26855) SSRF in HttpProxy logs',
  sources: ['httpproxy'],
  literals: ['serverinfo~'],
  check(r) {
    const anchor = str(r, 'AnchorMailbox');
    if (!anchor.toLowerCase().startsWith('serverinfo~')) return undefined;
    const step = STEPS.find((s) => s.match(anchor));
    if (!step) return undefined;
    const status = httpStatus(r);
    const tpl: string[] = [];
    if (testProxyLogon26855(anchor)) tpl.push('CVE-2021-26855');
    if (step === STEPS[1] && status === 200) tpl.push('CVE-2021-27065');
    const blog = blogQuery26855(r, anchor);
    const hit: Hit = {
      rule: step.rule,
      severity: step.rule.level ?? 'high',
      cves: step.cves,
      stage: step.stage,
      outcome: step.success(status) ? step.ok : step.failed,
      time: r.time,
      sourceIps: addressesOf(r),
      userAgent: userAgentOf(r),
      summary: `${str(r, 'Method')} ${str(r, 'UrlStem')} -> ${anchor} (${status})`,
      details: {
        // The request as the front end received it: the event joins its back-end line by these.
        method: str(r, 'Method'),
        url: str(r, 'UrlStem'),
        anchorMailbox: anchor,
        httpStatus: String(status),
        requestId: str(r, 'RequestId'),
        testProxyLogon: tpl.length > 0 ? tpl.join(' ') : 'no',
        microsoftBlogQuery: blog ? 'match' : 'no match',
      },
    };
    const canary = /msExchEcpCanary=([^&#\s]+)/i.exec(anchor)?.[1];
    if (canary && hit.details) {
      hit.details.ecpCanary = canary;
      hit.request = { canary };
    }
    return [hit];
  },
};

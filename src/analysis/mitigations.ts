// Mitigations to apply until the updates are in, chosen by the campaigns the findings and the build point to.

import type { RemediationTarget, ScanReport } from '../core/report.js';
import { buildIndex } from '../exposure/data.js';

const BY_CAMPAIGN: Record<string, RemediationTarget[]> = {
  ProxyLogon: [
    {
      kind: 'mitigation',
      value: "EOMT.ps1 (Microsoft's Exchange On-premises Mitigation Tool)",
      detail:
        'a URL Rewrite rule that blocks the X-AnonResource-Backend and X-BEResource cookies of CVE-2021-26855',
    },
  ],
  ProxyShell: [
    {
      kind: 'mitigation',
      value:
        'URL Rewrite rule: abort requests matching .*autodiscover\\.json.*\\@.*(powershell|mapi/nspi|ews).*',
      detail: 'on {REQUEST_URI}, action AbortRequest, in the Default Web Site',
    },
  ],
  ProxyNotShell: [
    {
      kind: 'mitigation',
      value:
        'EOMTv2.ps1, or the URL Rewrite rule (?=.*autodiscover)(?=.*powershell) on {UrlDecode:{REQUEST_URI}}',
      detail: 'action AbortRequest, stop processing; the rule Microsoft published first was bypassable',
    },
    {
      kind: 'mitigation',
      value: 'remote PowerShell off for users who are not administrators',
      detail: 'Set-User <user> -RemotePowerShellEnabled $false',
    },
  ],
  OWASSRF: [
    {
      kind: 'mitigation',
      value: 'remote PowerShell off for users who are not administrators',
      detail:
        'the ProxyNotShell URL Rewrite rule does not stop OWASSRF (it comes through /owa/): Set-User <user> -RemotePowerShellEnabled $false',
    },
  ],
};

/**
 * With the build known, only the campaigns it is still open to; without it, the campaigns the findings show.
 * A campaign whose mitigation the server's web.config already holds in full is named as in place instead.
 */
export function mitigationTargets(
  report: ScanReport,
  vulnerableCampaigns: readonly string[] | undefined,
): RemediationTarget[] {
  const cves = buildIndex().data.cves;
  const seen = report.findings
    .filter((f) => f.outcome !== 'context')
    .flatMap((f) => f.cves.map((c) => cves[c]?.campaign))
    .filter((c): c is string => !!c);
  const inPlace = new Set(
    (report.exposure?.mitigations ?? [])
      .filter((m) => m.state === 'mitigated')
      .map((m) => cves[m.cve]?.campaign),
  );
  const campaigns = [...new Set(vulnerableCampaigns ?? seen)].filter((c) => !inPlace.has(c)).sort();
  const out = new Map<string, RemediationTarget>();
  for (const c of campaigns)
    for (const t of BY_CAMPAIGN[c] ?? [])
      if (!out.has(t.value)) out.set(t.value, { ...t, detail: `${c}: ${t.detail ?? ''}` });
  // What the server's web.config files already hold, as the exposure step read them; on a build that has
  // the fixes they are no longer needed, and nothing is left to do about them.
  const needed = (cve: string) =>
    vulnerableCampaigns === undefined || vulnerableCampaigns.includes(cves[cve]?.campaign ?? '');
  for (const m of report.exposure?.mitigations ?? [])
    if (m.state !== 'absent' && needed(m.cve))
      out.set(`seen ${m.path} ${m.cve}`, {
        kind: 'mitigation',
        value: `${m.tool} for ${m.cve}: ${m.state}`,
        detail: `found in ${m.path}${m.state === 'mitigated' ? '' : ': fix or replace it, it does not fully block the attack'}`,
      });
  if (out.size > 0)
    out.set('eems', {
      kind: 'mitigation',
      value: 'Exchange Emergency Mitigation Service enabled',
      detail:
        'Exchange 2016 CU22, 2019 CU11 and later apply Microsoft mitigations themselves: Get-OrganizationConfig | Format-List MitigationsEnabled',
    });
  return [...out.values()];
}

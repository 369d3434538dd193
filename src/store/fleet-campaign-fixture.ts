// Test-only: a fleet of four organisations hit by two attackers and one scanner, for the store, API and
// dashboard tests of the campaign clusters.

import type { Finding } from '../core/finding.js';
import type { Verdict } from '../core/report.js';
import type { Store } from './db.js';
import { ingestReport } from './ingest.js';
import { createOrganisation } from './orgs.js';
import { orgScope } from './scope.js';
import { attackerSession, finding, makeReport, sessionsOf, webshell } from './testing.js';

export const SHELL_A = 'a1'.repeat(32);
export const SHELL_B = 'b2'.repeat(32);
/** Not in the scanner table: seen at every organisation, it is noise by count. */
export const SCANNER_IP = '192.0.2.200';
export const SCANNER_UA = 'Mozilla/5.0 zgrab/0.x';
/** The widespread threshold the fixture is built for (four organisations see the scanner). */
export const FIXTURE_WIDESPREAD = 3;

export interface CampaignFleet {
  orgs: Record<'north' | 'east' | 'south' | 'west', number>;
}

/**
 * Attacker A (tool agent `AttackerA/1.0`, webshell A, a fresh address per victim) hits north (two servers,
 * the first on 3 March) and east (on 5 March); attacker B (address 203.0.113.50, webshell B) hits south and
 * west. A zgrab scanner at 192.0.2.200 shows up in one session with each attacker (an ECP canary it reused,
 * say) and at every server.
 */
export async function loadCampaignFleet(store: Store): Promise<CampaignFleet> {
  const orgs = {
    north: (await createOrganisation(store, 'north', 'test')).id,
    east: (await createOrganisation(store, 'east', 'test')).id,
    south: (await createOrganisation(store, 'south', 'test')).id,
    west: (await createOrganisation(store, 'west', 'test')).id,
  };
  const hit = async (
    org: number,
    server: string,
    verdict: Verdict,
    attacker: { ip: string; ua: string; shell: string; sha: string; cve: string; day: string },
  ) => {
    const t = `2021-03-${attacker.day}T06:00:00.000Z`;
    const findings: Finding[] = [
      finding(`${server}-x`, {
        time: t,
        sourceIps: [attacker.ip, SCANNER_IP],
        userAgent: attacker.ua,
        cves: [attacker.cve],
        stage: 'webshell-use',
        outcome: 'compromise',
      }),
      finding(`${server}-s`, {
        time: t,
        sourceIps: [SCANNER_IP],
        userAgent: SCANNER_UA,
        stage: 'recon',
        outcome: 'probe',
        cves: [],
      }),
    ];
    await ingestReport(store, orgScope(org), {
      serverName: server,
      report: makeReport(verdict, findings, {
        webshells: [webshell(`inetpub/wwwroot/aspnet_client/${attacker.shell}`, attacker.sha)],
        sessions: sessionsOf([
          attackerSession('S1', {
            addresses: [attacker.ip, SCANNER_IP],
            userAgents: [attacker.ua],
            webshells: [`/aspnet_client/${attacker.shell}`],
            firstSeen: t,
            lastSeen: t,
            findings: [`${server}-x`],
          }),
          attackerSession('S2', {
            addresses: [SCANNER_IP],
            userAgents: [SCANNER_UA],
            firstSeen: t,
            lastSeen: t,
            outcome: 'probe',
            findings: [`${server}-s`],
          }),
        ]),
      }),
      actor: 'test',
    });
  };
  const a = (ip: string, day: string) => ({
    ip,
    ua: 'AttackerA/1.0',
    shell: 'OutlookEN.aspx',
    sha: SHELL_A,
    cve: 'CVE-2021-26855',
    day,
  });
  const b = (day: string) => ({
    ip: '203.0.113.50',
    ua: 'python-requests/2.25.1',
    shell: 'errorEE.aspx',
    sha: SHELL_B,
    cve: 'CVE-2021-34473',
    day,
  });
  await hit(orgs.north, 'north-ex1', 'compromised', a('198.51.100.1', '03'));
  await hit(orgs.north, 'north-ex2', 'exploited', a('198.51.100.3', '04'));
  await hit(orgs.east, 'east-ex1', 'compromised', a('198.51.100.2', '05'));
  await hit(orgs.south, 'south-ex1', 'compromised', b('10'));
  await hit(orgs.west, 'west-ex1', 'exploited', b('12'));
  return { orgs };
}

// The simulated organisation and Exchange server: names, addresses, install path and build numbers.

import type { Rng } from './rng.js';

export interface Build {
  /** `15.01.2176.002`, as in `#Version:` and TargetServerVersion. */
  long: string;
  /** `15.1.2176.2`, as in ECP `S:BLD=` and PowerShell `ExchClientVer=`. */
  short: string;
  /** `15.1.2176`, the OWA resource folder name. */
  cu: string;
  parts: readonly [number, number, number, number];
  /** The FEAuth `BEVersion-<n>` integer: a version flag, major, minor and build packed together. */
  beVersion: number;
}

export function build(long: string): Build {
  const parts = long.split('.').map((x) => Number.parseInt(x, 10));
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) throw new Error(`bad build ${long}`);
  const [a, b, c, d] = parts as [number, number, number, number];
  return {
    long,
    short: `${a}.${b}.${c}.${d}`,
    cu: `${a}.${b}.${c}`,
    parts: [a, b, c, d],
    beVersion: (0x70000000 | (a << 22) | (b << 16) | 0x8000 | c) >>> 0,
  };
}

export interface Site {
  server: string;
  fqdn: string;
  netbios: string;
  adDomain: string;
  mailDomain: string;
  extHost: string;
  autodHost: string;
  ip: string;
  domainSid: string;
  /** Windows install path with the trailing backslash, as the registry `MsiInstallPath` holds it. */
  install: string;
  /** The same path relative to the evidence root, forward slashes. */
  installRel: string;
  /** Health mailbox used by the managed availability probes. */
  healthUser: string;
  healthSid: string;
  /** GUID of the OAB virtual directory object before the incident. */
  oabVdirGuid: string;
  oabGuid: string;
}

/** The names that tell one organisation's server from another's; every scenario but the fleet uses the default. */
export interface SiteNames {
  server: string;
  netbios: string;
  adDomain: string;
  mailDomain: string;
  /** The server's internal address. */
  ip: string;
}

export const DEFAULT_SITE_NAMES: SiteNames = {
  server: 'EXCH01',
  netbios: 'CORP',
  adDomain: 'corp.local',
  mailDomain: 'corp.example',
  ip: '10.10.1.15',
};

export function makeSite(rng: Rng, names: SiteNames = DEFAULT_SITE_NAMES): Site {
  const domainSid = `S-1-5-21-${rng.int(1_000_000_000, 3_999_999_999)}-${rng.int(1_000_000_000, 3_999_999_999)}-${rng.int(100_000_000, 999_999_999)}`;
  return {
    server: names.server,
    fqdn: `${names.server}.${names.adDomain}`,
    netbios: names.netbios,
    adDomain: names.adDomain,
    mailDomain: names.mailDomain,
    extHost: `mail.${names.mailDomain}`,
    autodHost: `autodiscover.${names.mailDomain}`,
    ip: names.ip,
    domainSid,
    install: 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\',
    installRel: 'Program Files/Microsoft/Exchange Server/V15',
    healthUser: `HealthMailbox${rng.hex(7)}`,
    healthSid: `${domainSid}-${rng.int(1130, 1190)}`,
    oabVdirGuid: rng.guid(),
    oabGuid: rng.guid(),
  };
}

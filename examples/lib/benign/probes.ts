// Managed availability: the health probes Exchange runs against itself all day, front end and back end.

import { dom, ecpCanary } from '../env.js';
import type { Env } from '../env.js';
import type { Req } from '../request.js';
import { iso } from '../time.js';
import { ecpRequest } from './ecp.js';
import { rpsRow } from './powershell.js';

const AM = 'AMProbe/Local/ClientAccess';

/** One round of probes starting at `t` (the caller repeats it every few minutes). */
export function probeRound(env: Env, t: number): void {
  const { rng, site } = env;
  const user = dom(env, site.healthUser);
  const auth = {
    AuthenticationType: 'Negotiate',
    IsAuthenticated: 'true',
    AuthenticatedUser: user,
    AnchorMailbox: `Sid~${site.healthSid}`,
    RoutingHint: 'WindowsIdentity',
  };
  const req = (over: Partial<Req> & Pick<Req, 'stem' | 'proto'>): Req => ({
    t: t + rng.int(0, 40_000),
    taken: rng.int(3, 60),
    rid: rng.guid(),
    method: 'GET',
    host: 'localhost',
    port: 443,
    query: '',
    status: 200,
    cip: '127.0.0.1',
    ua: AM,
    feUser: user,
    px: auth,
    be: { stem: over.stem, query: over.query ?? '', user },
    ...over,
  });
  const canary = ecpCanary(env);
  const inboxRules = `/ecp/RulesEditor/InboxRules.svc/GetList`;
  const ecpQuery = `msExchEcpCanary=${canary}`;
  const easQuery = `Cmd=FolderSync&User=${site.healthUser}&DeviceId=EASProbeDeviceId1&DeviceType=EASProbeDeviceType`;
  const reqs = [
    req({ stem: '/owa/', proto: 'Owa' }),
    req({ stem: '/ews/', proto: 'Ews' }),
    req({ stem: '/autodiscover/autodiscover.xml', method: 'POST', proto: 'Autodiscover' }),
    req({ stem: '/oab/', proto: 'Oab', status: 200 }),
    req({ stem: inboxRules, query: ecpQuery, method: 'POST', proto: 'Ecp' }),
    req({ stem: '/mapi/emsmdb/', method: 'POST', ua: 'MapiHttpClient', cip: site.ip, proto: 'Mapi' }),
    req({ stem: '/Microsoft-Server-ActiveSync/default.eas', query: easQuery, method: 'POST', ua: 'MSEXCHMON', proto: 'Eas', be: { stem: '/Microsoft-Server-ActiveSync/Proxy/default.eas', query: easQuery, user } }),
    req({ stem: '/rpc/rpcproxy.dll', query: `${site.fqdn}:6001`, method: 'RPC_IN_DATA', ua: 'MSRPC', proto: 'RpcHttp' }),
  ]; // prettier-ignore
  env.book.add(...reqs);
  const ecpReq = reqs[4] as Req;
  ecpRequest(env, ecpReq.t - 3, {
    cmd: 'Get-InboxRule',
    url: `${inboxRules}?${ecpQuery}`,
    build: env.buildAt(t),
  });

  // The PowerShell back-end probe goes straight to port 444, so only W3SVC2 and Rps_Http see it.
  const pt = t + rng.int(0, 40_000);
  const query = `serializationLevel=Full;clientApplication=ActiveMonitor;TargetServer=${site.server}`;
  env.book.beOnly.push({
    t: pt, sIp: site.ip, method: 'POST', stem: '/powershell', query, port: 444, user, cIp: site.ip,
    ua: 'Exchange BackEnd Probes', referer: '', status: 200, sub: 0, win32: 0, taken: rng.int(40, 400),
  }); // prettier-ignore
  rpsRow(env, pt, {
    user,
    cip: site.ip,
    clientInfo: 'Exchange BackEnd Probes',
    action: 'Command',
    command: 'Get-Mailbox',
    query: `?${query}`,
    start: iso(pt - 200),
  });
}

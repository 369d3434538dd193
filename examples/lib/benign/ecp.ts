// The Exchange admin center: ECP Server log lines and an administrator's ECP sessions.

import { browserUa, dom, ecpCanary } from '../env.js';
import type { Env } from '../env.js';
import type { Req } from '../request.js';
import type { Build } from '../site.js';
import type { User } from '../users.js';

export interface EcpCall {
  cmd: string;
  url: string;
  build: Build;
  ex?: string;
  /** Session and user ids stay the same over one ECP session. */
  sid?: string;
  usid?: string;
  referrer?: string;
}

/** One `ECP.Request` line, keys in the order the ECP Server log writes them. */
export function ecpRequest(env: Env, t: number, c: EcpCall): void {
  const { rng } = env;
  env.book.ecp.push({
    t,
    eventId: 'ECP.Request',
    pairs: [
      ['TIME', String(rng.int(4, 400))],
      ['SID', c.sid ?? rng.guid()],
      ['CMD', c.cmd],
      ['REQID', ''],
      ['URL', c.url],
      ['REFERRER', c.referrer ?? ''],
      ['EX', c.ex ?? ''],
      ['ACTID', rng.guid()],
      ['RS', '0'],
      ['BLD', c.build.short],
      ['TNAME', '<null>'],
      ['TID', ''],
      ['USID', c.usid ?? rng.guid()],
      ['EDOID', ''],
      ['ACID', ''],
    ],
  });
}

/** An admin reads a few lists in the admin center; `extra` lets scenarios add a change (e.g. an OAB URL). */
export function adminEcpSession(
  env: Env,
  admin: User,
  t0: number,
  extra?: { schema: string; cmd: string; action?: string },
): number {
  const { rng, site } = env;
  const ua = browserUa(env);
  const user = dom(env, admin.sam);
  const canary = ecpCanary(env);
  const sid = rng.guid();
  const usid = rng.guid();
  const px = {
    AuthenticationType: 'Forms',
    IsAuthenticated: 'true',
    AuthenticatedUser: user,
    AnchorMailbox: `Sid~${admin.sid}`,
    RoutingHint: 'WindowsIdentity',
  };
  const referer = `https://${site.extHost}/ecp/`;
  let t = t0;
  const call = (action: string, schema: string, cmd: string) => {
    t += rng.int(2000, 40_000);
    const stem = `/ecp/DDI/DDIService.svc/${action}`;
    const query = `schema=${schema}&msExchEcpCanary=${canary}`;
    const r: Req = {
      t, taken: rng.int(60, 900), rid: rng.guid(), method: 'POST', host: site.extHost, port: 443, stem, query,
      status: 200, cip: admin.desk, ua, referer, feUser: user, proto: 'Ecp', px, be: { stem, query, user },
    }; // prettier-ignore
    env.book.add(r);
    ecpRequest(env, t - 5, {
      cmd,
      url: `${stem}?${query}`,
      build: env.buildAt(t),
      sid,
      usid,
      referrer: referer,
    });
  };
  env.book.add({
    t, taken: rng.int(200, 900), rid: rng.guid(), method: 'GET', host: site.extHost, port: 443, stem: '/ecp/',
    query: '', status: 200, cip: admin.desk, ua, feUser: user, proto: 'Ecp', px, be: { stem: '/ecp/', query: '', user },
  }); // prettier-ignore
  call('GetList', 'MailboxService', 'Get-Recipient');
  if (rng.chance(0.5)) call('GetObject', 'MailboxPropertiesService', 'Get-Mailbox');
  if (rng.chance(0.3)) call('GetList', 'VirtualDirectoryService', 'Get-OwaVirtualDirectory');
  if (extra) call(extra.action ?? 'SetObject', extra.schema, extra.cmd);
  return t;
}

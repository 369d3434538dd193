// Desktop Outlook: MAPI over HTTP bursts on Windows, EWS sync on the Mac, plus Autodiscover and OAB downloads.

import { dom, macOutlookUa, outlookUa } from '../env.js';
import type { Env } from '../env.js';
import type { Req } from '../request.js';
import type { User } from '../users.js';

const ntlm = (env: Env, u: User, type = 'Negotiate') => ({
  AuthenticationType: type,
  IsAuthenticated: 'true',
  AuthenticatedUser: dom(env, u.sam),
  AnchorMailbox: `Sid~${u.sid}`,
  RoutingHint: 'WindowsIdentity',
});

/** A short burst of Outlook activity: a few MAPI calls, sometimes Autodiscover, EWS or an OAB check. */
export function outlookBurst(env: Env, u: User, t0: number, outside: boolean): void {
  const { rng, site } = env;
  const mac = u.outlook === 'mac';
  const ua = mac ? macOutlookUa(env) : outlookUa(env);
  const cip = outside ? u.away : u.desk;
  const host = outside ? site.extHost : site.fqdn.toLowerCase();
  const user = dom(env, u.sam);
  const out: Req[] = [];
  let t = t0;
  const add = (r: Omit<Req, 'rid' | 'cip' | 'ua' | 'host' | 'port' | 'feUser'>) =>
    out.push({ rid: rng.guid(), cip, ua, host, port: 443, feUser: user, ...r });

  if (rng.chance(mac ? 0.15 : 0.25)) {
    add({
      t,
      taken: rng.int(30, 250),
      method: 'POST',
      stem: '/autodiscover/autodiscover.xml',
      query: '',
      status: 200,
      proto: 'Autodiscover',
      px: ntlm(env, u),
      be: { stem: '/Autodiscover/Autodiscover.xml', query: '', user },
    });
    t += rng.int(200, 2000);
  }
  if (mac) {
    for (let i = rng.int(2, 5); i > 0; i--) {
      t += rng.int(300, 20_000);
      add({
        t,
        taken: rng.int(20, 500),
        method: 'POST',
        stem: '/EWS/Exchange.asmx',
        query: '',
        status: 200,
        proto: 'Ews',
        px: {
          ...ntlm(env, u, 'NTLM'),
          ProtocolAction: rng.pick(['SyncFolderItems', 'GetItem', 'FindItem', 'GetUserAvailability']),
        },
        be: { stem: '/EWS/Exchange.asmx', query: '', user },
      });
    }
  } else {
    const mbx = `MailboxId=${u.mailboxGuid}@${site.mailDomain}`;
    const session = rng.guid();
    for (let i = rng.int(2, 6); i > 0; i--) {
      t += rng.int(200, 30_000);
      const nspi = rng.chance(0.2);
      const stem = nspi ? '/mapi/nspi/' : '/mapi/emsmdb/';
      const rt = rng.weighted([
        ['Execute', 8],
        ['NotificationWait', 3],
        ['Connect', 1],
      ] as const);
      const taken = rt === 'NotificationWait' ? rng.int(20_000, 300_000) : rng.int(5, 120);
      add({
        t: t + taken, taken, method: 'POST', stem, query: mbx, status: 200, proto: 'Mapi',
        px: { ...ntlm(env, u), AnchorMailbox: `MailboxGuid~${u.mailboxGuid}`, RoutingHint: 'MailboxGuidWithDomain', Organization: site.adDomain, ClientRequestId: `R:${session}:${i};RT:${rt};CI:${session}:1;CID:${rng.guid()}` },
        be: { stem, query: mbx, user },
      }); // prettier-ignore
    }
    if (rng.chance(0.25)) {
      t += rng.int(500, 5000);
      add({
        t,
        taken: rng.int(10, 200),
        method: 'POST',
        stem: '/EWS/Exchange.asmx',
        query: '',
        status: 200,
        proto: 'Ews',
        px: { ...ntlm(env, u), ProtocolAction: 'GetUserAvailability' },
        be: { stem: '/EWS/Exchange.asmx', query: '', user },
      });
    }
  }
  if (rng.chance(0.06)) {
    t += rng.int(500, 5000);
    const stem = `/OAB/${site.oabGuid}/oab.xml`;
    add({
      t,
      taken: rng.int(5, 60),
      method: 'GET',
      stem,
      query: '',
      status: rng.chance(0.7) ? 304 : 200,
      proto: 'Oab',
      px: ntlm(env, u),
      be: { stem, query: '', user },
    });
  }
  if (!mac && rng.chance(0.02)) {
    // A straggler on Outlook Anywhere (RPC over HTTP), still seen on 2016 servers.
    const q = `${site.fqdn}:6001`;
    add({
      t: t + 900_000,
      taken: 900_000,
      method: 'RPC_IN_DATA',
      stem: '/rpc/rpcproxy.dll',
      query: q,
      status: 200,
      proto: 'RpcHttp',
      px: ntlm(env, u, 'NTLM'),
      be: { stem: '/rpc/rpcproxy.dll', query: q, user },
    });
  }
  env.book.add(...out);
}

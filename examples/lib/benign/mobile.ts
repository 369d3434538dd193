// Phones: ActiveSync ping/sync/foldersync, and Autodiscover V2 lookups whose query carries an encoded `@`.

import { dom, outlookUa } from '../env.js';
import type { Env } from '../env.js';
import type { User } from '../users.js';

/** ActiveSync traffic of one phone between `from` and `to`: long Pings with Syncs after new mail. */
export function phoneDay(env: Env, u: User, from: number, to: number, busy: (t: number) => number): void {
  const { rng, site } = env;
  const p = u.phone;
  if (!p) return;
  const user = dom(env, u.sam);
  // Phones roam between home Wi-Fi and a carrier's NAT pool.
  const carrier = `198.51.100.${rng.int(200, 250)}`;
  const cip = rng.chance(0.5) ? u.away : carrier;
  const eas = (cmd: string, t: number, taken: number, status = 200) => {
    const query = `Cmd=${cmd}&User=${encodeURIComponent(u.upn)}&DeviceId=${p.id}&DeviceType=${p.type}`;
    env.book.add({
      t, taken, rid: rng.guid(), method: 'POST', host: site.extHost, port: 443, stem: '/Microsoft-Server-ActiveSync/default.eas',
      query, status, cip, ua: p.ua, feUser: user, proto: 'Eas',
      px: { AuthenticationType: 'Basic', IsAuthenticated: 'true', AuthenticatedUser: user, AnchorMailbox: `Sid~${u.sid}`, RoutingHint: 'WindowsIdentity', ProtocolAction: cmd },
      be: { stem: '/Microsoft-Server-ActiveSync/Proxy/default.eas', query: `${query}&Log=V161_Sst${rng.int(1, 40)}_LdapC0_LdapL0_Hb${cmd === 'Ping' ? 1680 : 0}_S1_Mbx:${site.fqdn}_`, user },
    }); // prettier-ignore
  };
  let t = from + rng.int(0, 1_500_000);
  while (t < to) {
    const taken = rng.int(1_200_000, 1_740_000);
    eas('Ping', t + taken, taken);
    t += taken + rng.int(100, 2000);
    if (rng.chance(0.05 + 0.35 * busy(t))) {
      eas('Sync', t, rng.int(40, 900));
      t += rng.int(200, 3000);
    }
    if (rng.chance(0.02)) eas('FolderSync', t, rng.int(30, 300));
  }
}

/** Autodiscover V2: Outlook mobile and desktop ask for a protocol endpoint by e-mail address. */
export function autodiscoverV2(env: Env, u: User, t: number, form?: 0 | 1 | 2, protocol?: string): void {
  const { rng, site } = env;
  const kind = form ?? rng.int(0, 2);
  const proto = protocol ?? rng.pick(['ActiveSync', 'Ews', 'AutodiscoverV1'] as const);
  const stem =
    kind === 2 ? `/autodiscover/autodiscover.json/v1.0/${u.upn}` : '/autodiscover/autodiscover.json';
  const query =
    kind === 2
      ? `Protocol=${proto}&RedirectCount=1`
      : `Email=${encodeURIComponent(u.upn)}&Protocol=${proto}&RedirectCount=1`;
  const ua = kind === 0 ? 'Outlook-iOS/709.2226530.prod.iphone (4.2115.0)' : outlookUa(env);
  env.book.add({
    t, taken: rng.int(5, 40), rid: rng.guid(), method: 'GET', host: site.autodHost, port: 443, stem, query, status: 200,
    cip: u.phone ? u.away : u.desk, ua, proto: 'Autodiscover',
    px: { AnchorMailbox: `Smtp~${u.upn}`, RoutingHint: 'Url', IsAuthenticated: 'false' },
    be: { stem, query, user: '' },
  }); // prettier-ignore
}

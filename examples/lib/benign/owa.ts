// Outlook on the web: an FBA logon followed by service.svc calls and notification polls.

import { browserUa, dom, ecpCanary } from '../env.js';
import type { Env } from '../env.js';
import type { Req } from '../request.js';
import type { User } from '../users.js';

const ACTIONS: readonly (readonly [string, number])[] = [
  ['FindItem', 6],
  ['GetItem', 8],
  ['FindConversation', 5],
  ['GetConversationItems', 6],
  ['UpdateItem', 2],
  ['CreateItem', 2],
  ['GetAttachmentDownloadToken', 1],
  ['FindPeople', 1],
  ['GetMailTips', 1],
];

/** One browser session; returns when it ended so callers can space sessions out. */
export function owaSession(env: Env, u: User, t0: number, outside: boolean): number {
  const { rng, site } = env;
  const ua = browserUa(env);
  const cip = outside ? u.away : u.desk;
  const host = site.extHost;
  const base = `https://${host}/owa/`;
  const auth = {
    AuthenticationType: 'Forms',
    IsAuthenticated: 'true',
    AuthenticatedUser: dom(env, u.sam),
    AnchorMailbox: `Sid~${u.sid}`,
    RoutingHint: 'WindowsIdentity',
    Organization: '',
  };
  const be = (stem: string, query = '') => ({ stem, query, user: dom(env, u.sam) });
  const out: Req[] = [];
  let t = t0;
  const add = (r: Omit<Req, 'rid' | 'cip' | 'ua' | 'host' | 'port'>) => {
    out.push({ rid: rng.guid(), cip, ua, host, port: 443, ...r });
  };
  add({ t, taken: rng.int(2, 9), method: 'GET', stem: '/owa/', query: '', status: 302, proto: 'Owa' });
  t += rng.int(150, 600);
  const logonQuery = `url=${encodeURIComponent(base).toLowerCase()}&reason=0`;
  add({
    t,
    taken: rng.int(8, 30),
    method: 'GET',
    stem: '/owa/auth/logon.aspx',
    query: logonQuery,
    status: 200,
    proto: 'Owa',
    owaEncoding: true,
  });
  for (const f of ['logon.css', 'owa_text_blue.png', 'favicon.ico']) {
    t += rng.int(20, 90);
    const stem = `/owa/auth/${env.buildAt(t).cu}/themes/resources/${f}`;
    add({
      t,
      taken: rng.int(1, 6),
      method: 'GET',
      stem,
      query: '',
      status: 200,
      referer: base + 'auth/logon.aspx',
    });
  }
  t += rng.int(4000, 15000);
  add({
    t,
    taken: rng.int(40, 180),
    method: 'POST',
    stem: '/owa/auth.owa',
    query: '',
    status: 302,
    proto: 'Owa',
    referer: base + 'auth/logon.aspx',
    px: { AuthenticationType: 'FBA' },
  });
  t += rng.int(200, 700);
  add({
    t,
    taken: rng.int(120, 600),
    method: 'GET',
    stem: '/owa/',
    query: '',
    status: 200,
    proto: 'Owa',
    feUser: u.upn,
    px: auth,
    be: be('/owa/'),
  });
  const canary = ecpCanary(env);
  const calls = rng.int(4, 16);
  for (let i = 0; i < calls; i++) {
    t += Math.round(rng.expo(40_000)) + 300;
    const action = i === 0 ? 'GetOwaUserConfiguration' : rng.weighted(ACTIONS);
    const query = `action=${action}&app=Mail${i === 0 ? '' : `&n=${i + 10}`}`;
    add({
      t,
      taken: rng.int(15, 400),
      method: 'POST',
      stem: '/owa/service.svc',
      query,
      status: 200,
      proto: 'Owa',
      referer: base,
      feUser: u.upn,
      px: { ...auth, ProtocolAction: action },
      be: be('/owa/service.svc', query),
    });
    if (rng.chance(0.15)) {
      const q = `ns=PendingRequest&ev=PendingNotificationRequest&UA=0&cid=${rng.guid()}&X-OWA-CANARY=${canary.slice(0, 43)}`;
      const taken = rng.int(20_000, 60_000);
      add({
        t: t + taken,
        taken,
        method: 'POST',
        stem: '/owa/ev.owa2',
        query: q,
        status: 200,
        proto: 'Owa',
        referer: base,
        feUser: u.upn,
        px: auth,
        be: be('/owa/ev.owa2', q),
      });
    }
  }
  if (rng.chance(0.4)) {
    t += rng.int(5000, 60000);
    add({
      t,
      taken: rng.int(10, 60),
      method: 'GET',
      stem: '/owa/logoff.owa',
      query: '',
      status: 302,
      proto: 'Owa',
      referer: base,
      feUser: u.upn,
      px: auth,
      be: be('/owa/logoff.owa'),
    });
  }
  env.book.add(...out);
  return t;
}

/** Someone outside subscribed to a published calendar: anonymous fetches through OwaCalendar. */
export function publishedCalendar(env: Env, u: User, t: number): void {
  const { rng, site } = env;
  const stem = `/owa/calendar/${u.mailboxGuid.replace(/-/g, '')}@${site.mailDomain}/${u.sid.slice(-4)}a1c9e2d04b7f/calendar.ics`;
  env.book.add({
    t, taken: rng.int(20, 300), rid: rng.guid(), method: 'GET', host: site.extHost, port: 443, stem, query: '',
    status: 200, cip: rng.pick(['198.51.100.240', '198.51.100.241']),
    ua: rng.pick(['Google-Calendar-Importer', 'Mozilla/5.0 (compatible; Thunderbird/102.5.1)']), proto: 'OwaCalendar',
    px: { AnchorMailbox: `Smtp~${u.upn}`, RoutingHint: 'OwaCalendar-Url' },
    be: { stem, query: '', user: '' },
  }); // prettier-ignore
}

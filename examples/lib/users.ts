// The benign population: mailbox users, their desks, phones and home connections, and the admins.

import type { Rng } from './rng.js';
import type { Site } from './site.js';

export interface Device {
  type: string;
  id: string;
  ua: string;
}

export interface User {
  sam: string;
  upn: string;
  sid: string;
  mailboxGuid: string;
  admin: boolean;
  /** Internal workstation address. */
  desk: string;
  /** Outside address (home broadband or mobile carrier), from a documentation range. */
  away: string;
  outlook: 'win' | 'mac' | 'none';
  phone?: Device;
}

const FIRST = [
  'anna',
  'bjorn',
  'carla',
  'david',
  'emma',
  'farid',
  'grete',
  'henrik',
  'ingrid',
  'jonas',
  'kari',
];
const LAST = ['berg', 'dahl', 'hansen', 'lie', 'moen', 'nilsen', 'olsen', 'strand', 'vik', 'aas', 'holm'];

const PHONES: readonly (readonly [Omit<Device, 'id'>, number])[] = [
  [{ type: 'iPhone', ua: 'Apple-iPhone13C2/1804.26' }, 4],
  [{ type: 'iPhone', ua: 'Apple-iPhone12C1/1803.198' }, 3],
  [{ type: 'Android', ua: 'Android-SAMSUNG-SM-G991B/102.10.1.1' }, 3],
  [{ type: 'Outlook', ua: 'Outlook-iOS-Android/1.0' }, 4],
];

function deviceId(rng: Rng, type: string): string {
  if (type === 'iPhone') return 'Appl' + rng.chars(11, 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789');
  if (type === 'Android') return 'androidc' + rng.int(100_000_000, 999_999_999);
  return rng.hex(32).toUpperCase();
}

export function makeUsers(rng: Rng, site: Site, count: number): User[] {
  const users: User[] = [];
  const seen = new Set<string>();
  let rid = 1105;
  while (users.length < count) {
    const base = `${rng.pick(FIRST)}.${rng.pick(LAST)}`;
    const sam =
      seen.has(base) && seen.size >= (FIRST.length * LAST.length) / 2 ? `${base}${users.length}` : base;
    if (seen.has(sam)) continue;
    seen.add(sam);
    const n = users.length;
    const hasPhone = rng.chance(0.5);
    const kind = hasPhone ? rng.weighted(PHONES) : undefined;
    users.push({
      sam,
      upn: `${sam}@${site.mailDomain}`,
      sid: `${site.domainSid}-${(rid += rng.int(1, 9))}`,
      mailboxGuid: rng.guid(),
      admin: n < 2,
      // Enough room for the bench corpus' larger populations; benign ranges never meet the attackers'.
      desk: `10.10.${20 + Math.floor(n / 200)}.${20 + (n % 200)}`,
      away: `198.51.100.${10 + ((n * 3) % 190)}`,
      outlook: rng.weighted([
        ['win', 7],
        ['mac', 2],
        ['none', 1],
      ] as const),
      ...(kind ? { phone: { ...kind, id: deviceId(rng, kind.type) } } : {}),
    });
  }
  return users;
}

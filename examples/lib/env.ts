// What every traffic generator needs: randomness, the site, its users, the log book and the build over time.

import type { LogBook } from './logbook.js';
import type { Rng } from './rng.js';
import type { Build, Site } from './site.js';
import type { User } from './users.js';

export interface Env {
  rng: Rng;
  site: Site;
  users: readonly User[];
  book: LogBook;
  buildAt(t: number): Build;
  /** Year of the scenario, to pick browser and Outlook versions of the time. */
  year: number;
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** An ECP canary: 76 base64url characters and a trailing dot, as ECP puts in `msExchEcpCanary=`. */
export function ecpCanary(env: { rng: Rng }): string {
  return env.rng.chars(76, B64URL) + '.';
}

export function browserUa(env: Env): string {
  const chrome = env.year <= 2021 ? (env.rng.chance(0.5) ? '88.0.4324.190' : '89.0.4389.82') : '108.0.0.0';
  const ff = env.year <= 2021 ? '86.0' : '107.0';
  return env.rng.weighted([
    [
      `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome} Safari/537.36`,
      5,
    ],
    [
      `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome} Safari/537.36 Edg/${chrome}`,
      3,
    ],
    [`Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:${ff}) Gecko/20100101 Firefox/${ff}`, 2],
  ]);
}

export function outlookUa(env: Env): string {
  const v = env.year <= 2021 ? '16.0.13801' : '16.0.15831';
  return `Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook ${v}; Pro)`;
}

export function macOutlookUa(env: Env): string {
  return env.year <= 2021
    ? 'MacOutlook/16.46.21021202 (Intelx64 Mac OS X 10.15.7 (19H524))'
    : 'MacOutlook/16.68.22121100 (Intelx64 Mac OS X 12.6.1 (21G217))';
}

export const dom = (env: Env, sam: string) => `${env.site.netbios}\\${sam}`;

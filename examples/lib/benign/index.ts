// Schedules a week of ordinary traffic: office-hours curve, weekends, phones all night, probes around the clock.

import type { Env } from '../env.js';
import { HOUR } from '../time.js';
import { adminEcpSession } from './ecp.js';
import { autodiscoverV2, phoneDay } from './mobile.js';
import { oabRun } from './oab.js';
import { outlookBurst } from './outlook.js';
import { owaSession, publishedCalendar } from './owa.js';
import { adminShell } from './powershell.js';
import { probeRound } from './probes.js';

export interface BenignOptions {
  /** Multiplies the user-driven request rates (1 = a small office, about 2-3k front-end requests a weekday). */
  scale: number;
  /** Offset of the office's local time from UTC, for the working-hours curve. */
  tzHours: number;
  probeMinutes: number;
}

const CURVE = [1, 1, 1, 1, 1, 2, 4, 7, 10, 10, 9, 8, 7, 9, 10, 9, 7, 4, 3, 3, 2, 2, 1, 1];

/** 0..1 activity of the office at time t. */
export function busyness(t: number, tzHours: number): number {
  const local = new Date(t + tzHours * HOUR);
  const day = local.getUTCDay();
  const w = (CURVE[local.getUTCHours()] ?? 1) / 10;
  return day === 0 || day === 6 ? w * 0.12 : w;
}

/** Arrival times within [t, t + HOUR) for a Poisson process of the given hourly rate. */
function arrivals(env: Env, t: number, rate: number): number[] {
  const out: number[] = [];
  if (rate <= 0) return out;
  for (let x = t + env.rng.expo(HOUR / rate); x < t + HOUR; x += env.rng.expo(HOUR / rate))
    out.push(Math.round(x));
  return out;
}

export function benignTraffic(env: Env, from: number, to: number, o: BenignOptions): void {
  const { rng, users } = env;
  const busy = (t: number) => busyness(t, o.tzHours);
  const probeGap = (o.probeMinutes * 60_000) / Math.min(1, o.scale);
  for (let t = from + rng.int(0, 60_000); t < to; t += probeGap) probeRound(env, Math.round(t));
  // Below scale 1 (tests) the always-on traffic thins out too: fewer phones, sparser probes.
  const phones = users.filter((u) => u.phone);
  for (const u of phones.slice(0, Math.ceil(phones.length * Math.min(1, o.scale))))
    phoneDay(env, u, from, to, busy);
  const desk = users.filter((u) => u.outlook !== 'none');
  const admins = users.filter((u) => u.admin);
  for (let h = from; h < to; h += HOUR) {
    const w = busy(h);
    for (const t of arrivals(env, h, 2.5 * w * o.scale)) owaSession(env, rng.pick(users), t, rng.chance(0.3));
    for (const t of arrivals(env, h, 11 * w * o.scale)) outlookBurst(env, rng.pick(desk), t, rng.chance(0.2));
    for (const t of arrivals(env, h, 1.5 * w * o.scale)) autodiscoverV2(env, rng.pick(users), t);
    for (const t of arrivals(env, h, 0.4 * o.scale)) publishedCalendar(env, rng.pick(users), t);
    if (w >= 0.7 && rng.chance(0.1)) adminEcpSession(env, rng.pick(admins), h + rng.int(0, 3_000_000));
    if (w >= 0.7 && rng.chance(0.06)) adminShell(env, rng.pick(admins), h + rng.int(0, 3_000_000));
    // The OAB generator runs every eight hours; about one run in eight has a harmless Temp download failure.
    if (Math.floor(h / HOUR) % 8 === 2) oabRun(env, h + rng.int(60_000, 600_000), rng.chance(0.125));
  }
}

// The OAB generator: a run every eight hours, with now and then a harmless failed download inside OAB\Temp.

import type { Env } from '../env.js';

export function oabRun(env: Env, t: number, failInTemp: boolean): void {
  const { rng, site } = env;
  const pid = 4000 + (Math.floor(t / 86_400_000) % 97) * 13;
  const tid = rng.int(20, 90);
  const oab = site.oabGuid;
  const push = (dt: number, level: 'Information' | 'Warning', msg: string) =>
    env.book.oab.push({ t: t + dt, pid, tid, level, oab, msg });
  push(
    0,
    'Information',
    `OABGeneratorAssistant: starting generation of offline address book '\\Default Offline Address Book'.`,
  );
  push(
    rng.int(200, 900),
    'Information',
    `Loaded ${rng.int(380, 420)} recipients, 2 address lists, 0 errors.`,
  );
  if (failInTemp) {
    const tmp = `${site.install}ClientAccess\\OAB\\Temp\\${rng.guid()}\\${rng.hex(8)}.lzx.tmp`;
    push(rng.int(1000, 3000), 'Warning', `Download failed and temporary file '${tmp}' needs to be removed.`);
  }
  push(
    rng.int(3000, 9000),
    'Information',
    `Generation complete, ${rng.int(3, 9)} files written to ${site.install}ClientAccess\\OAB\\${oab}.`,
  );
}

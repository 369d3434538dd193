// What every scenario shares: the server, its users, a week of benign traffic, stock files and the final write-out.

import { benignTraffic } from '../benign/index.js';
import { storedZip } from '../binaries.js';
import type { Env } from '../env.js';
import { LogBook, writeLogs } from '../logbook.js';
import type { ServerHistory } from '../logbook.js';
import { Rng } from '../rng.js';
import { makeSite } from '../site.js';
import type { Build, Site, SiteNames } from '../site.js';
import { iso, yyyymmdd } from '../time.js';
import { Tree } from '../tree.js';
import { makeUsers } from '../users.js';
import { stockWebFiles } from '../webfiles.js';
import { Timeline } from '../attacks/timeline.js';
import type { Step } from '../attacks/timeline.js';

export interface ScenarioOptions {
  seed: number;
  /** Benign traffic multiplier (1 = the default size; tests use less). */
  scale?: number;
}

export interface Scenario {
  name: string;
  tree: Tree;
  timeline: Step[];
}

/** Site facts and attack identifiers come from fixed seeds so the attack timeline never depends on --seed. */
export const SITE_SEED = 0x0e4c401;

export interface World {
  env: Env;
  /** Same site and book as `env`, with its own fixed-seed randomness, for the attack steps. */
  attackEnv: Env;
  site: Site;
  tree: Tree;
  tl: Timeline;
  history: ServerHistory;
}

export interface WorldSpec {
  name: string;
  from: number;
  to: number;
  history: Omit<ServerHistory, 'span'>;
  /** When the installed CU's files were laid down (stock file times). */
  installed: number;
  opts: ScenarioOptions;
  /** Another organisation's server (the fleet): its names and the seed of its fixed facts; default EXCH01. */
  site?: { seed: number; names: SiteNames };
  /** Minutes between rounds of health probes at scale 1 (default 20). */
  probeMinutes?: number;
}

export function makeWorld(spec: WorldSpec): World {
  const root = new Rng(spec.opts.seed);
  const siteSeed = spec.site?.seed ?? SITE_SEED;
  const site = makeSite(new Rng(siteSeed), spec.site?.names);
  const book = new LogBook();
  const buildAt = (t: number): Build => {
    let b = spec.history.builds[0]?.build;
    for (const x of spec.history.builds) if (x.from <= t) b = x.build;
    if (!b) throw new Error('no build');
    return b;
  };
  const year = new Date(spec.from).getUTCFullYear();
  const users = makeUsers(root.fork('users'), site, 20);
  const env: Env = { rng: root.fork('benign'), site, users, book, buildAt, year };
  const attackEnv: Env = { ...env, rng: new Rng(siteSeed).fork(spec.name) };
  const tree = new Tree();
  stockWebFiles(tree, site, buildAt(spec.from), spec.installed);
  benignTraffic(env, spec.from, spec.to, {
    scale: spec.opts.scale ?? 1,
    tzHours: 1,
    probeMinutes: spec.probeMinutes ?? 20,
  });
  systemFiles(tree, root.fork('system'), spec.from, spec.to);
  const history = { ...spec.history, span: { from: spec.from, to: spec.to } };
  return { env, attackEnv, site, tree, tl: new Timeline(), history };
}

export function finish(w: World, name: string): Scenario {
  writeLogs(w.tree, w.env.book, w.site, w.history);
  return { name, tree: w.tree, timeline: w.tl.sorted() };
}

/** Ordinary files in the staging folders, so a detector has to tell them apart from the attacker's. */
function systemFiles(tree: Tree, rng: Rng, from: number, to: number): void {
  let log = '';
  for (let t = from + rng.int(3_600_000, 7_200_000); t < to; t += 86_400_000) {
    log +=
      '-------------------------------------------------------------------------------------\r\n' +
      'MpCmdRun: Command Line: "C:\\Program Files\\Windows Defender\\MpCmdRun.exe" -SignatureUpdate -ScheduleJob\r\n' +
      ` Start Time: ${iso(t)}\r\n\r\nStart: MpSignatureUpdate\r\nSignature update completed successfully.\r\n` +
      `MpCmdRun: End Time: ${iso(t + 41_000)}\r\n`;
  }
  tree.add('Windows/Temp/MpCmdRun.log', log, to - 3_000_000);
  tree.add('Windows/Temp/silconfig.log', 'SIL configuration: no changes\r\n', from - 40 * 86_400_000);
  const stamp = `${yyyymmdd(from - 86_400_000)}-101010`;
  // An antivirus support bundle zipped by the admin: an archive under ProgramData that is only context.
  const bundle = storedZip([
    {
      name: `MPLog-${stamp}.log`,
      data: Buffer.from('Defender operational log excerpt\r\n'),
      mtime: from - 86_400_000,
    },
    {
      name: `MPDetection-${stamp}.log`,
      data: Buffer.from('No threats detected.\r\n'),
      mtime: from - 86_400_000,
    },
  ]);
  tree.add('ProgramData/Microsoft/Windows Defender/Support/MpSupportFiles.zip', bundle, from - 86_400_000);
  tree.dir('ProgramData/Microsoft/Windows Defender/Support', from - 86_400_000);
  tree.dir('root', from - 90 * 86_400_000);
}

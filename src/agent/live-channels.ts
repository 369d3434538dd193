// The event logs of a running Windows server, read by the agent as the live scan reads them: the event log
// service holds the channels' files, so each channel's records after the last one read are exported with
// `wevtutil epl <channel> <file> /q:*[System[EventRecordID>N]]` into the agent's state folder and the export
// is read by the scan's EVTX parser and matchers (readEvtxSince), under the live file's path. `wevtutil qe`
// with XML output would need a second way to turn events into records and rules; the export needs none.
// `wevtutil` runs behind the live scan's CommandRunner, so tests hand in a fake.

import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DetectorContext } from '../core/detector.js';
import { EVTX_FOLDER, evtxFileName } from '../core/event-log-files.js';
import { firstLine, runCommand } from '../engine/live.js';
import type { CommandRunner } from '../engine/live.js';
import { SOURCES } from '../sources/registry.js';
import { readEvtxSince } from './examine.js';
import type { FoundItem } from './follow-text.js';
import type { AgentRules } from './rules.js';
import type { ChannelState } from './state.js';

export interface LiveChannelOptions {
  /** The channels to follow (data/collect.json's `eventLogs`). */
  channels: readonly string[];
  /** Default: run the program. */
  run?: CommandRunner;
  /** Default: `wevtutil` (EXHUNT_WEVTUTIL names another). */
  program?: string;
  /** How often a quiet channel is asked whether it was cleared (default once a minute). */
  clearedCheckMs?: number;
}

/** A channel that could not be queried, as the heartbeat tells the server (kept until a query works again). */
export interface ChannelProblem {
  code: 'agent.event-log-query-failed';
  /** The channel's live file, relative to the root (`Windows/System32/winevt/Logs/Security.evtx`). */
  path: string;
  channel: string;
  message: string;
  /** When it first failed, and last. */
  since: string;
  at: string;
}

/** wevtutil's exit code for ERROR_EVT_CHANNEL_NOT_FOUND: the server has no such log (no Sysmon, say). */
const CHANNEL_NOT_FOUND = 15007;
/** How often a quiet channel is asked whether it was cleared (record ids then start again from 1). */
const CLEARED_CHECK_MS = 60_000;

export class LiveChannels {
  private readonly run: CommandRunner;
  private readonly program: string;
  readonly problems = new Map<string, ChannelProblem>();
  /** Channels the server does not have: said once, asked again only after a restart. */
  private readonly absent = new Set<string>();

  constructor(
    private readonly o: LiveChannelOptions,
    /** A folder of the agent's own (in its state folder), emptied here: exports live there while read. */
    private readonly folder: string,
    private readonly say: (line: string) => void,
  ) {
    this.run = o.run ?? runCommand;
    this.program = o.program ?? 'wevtutil';
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
  }

  /** The live file a channel's records are cited under, and keyed by (as if read from the folder). */
  static relOf(channel: string): string {
    return `${EVTX_FOLDER}/${evtxFileName(channel)}`;
  }

  /**
   * Each channel's records after its state's last record id, through the scan's matchers. A channel seen for
   * the first time starts after its newest record unless `backlog`. Updates `states` in place.
   */
  async poll(
    states: Record<string, ChannelState>,
    rules: AgentRules,
    ctx: Omit<DetectorContext, 'path'>,
    backlog: boolean,
  ): Promise<{ found: FoundItem[]; changed: boolean }> {
    const found: FoundItem[] = [];
    let changed = false;
    for (const channel of this.o.channels) {
      if (this.absent.has(channel)) continue;
      const rel = LiveChannels.relOf(channel);
      let st = states[rel];
      if (!st) {
        const newest = backlog ? 0 : await this.newest(channel, rel);
        if (newest === undefined) continue;
        st = { key: rel, lastRecord: newest, size: 0, mtimeMs: 0 };
        states[rel] = st;
        changed = true;
      }
      const out = path.join(this.folder, evtxFileName(channel));
      const r = await this.run(this.program, [
        'epl',
        channel,
        out,
        `/q:*[System[EventRecordID>${st.lastRecord}]]`,
        '/ow:true',
      ]);
      if (!this.ok(channel, rel, 'epl', r)) {
        rmSync(out, { force: true });
        continue;
      }
      if (!exists(out)) {
        this.fail(channel, rel, `wevtutil epl ${channel} answered 0 but wrote no file`);
        continue;
      }
      try {
        const family = SOURCES.get('evtx')?.family(rel.toLowerCase(), Buffer.alloc(0)) ?? 'EVTX';
        const got = readEvtxSince(out, rel, st.key, st.lastRecord, rules, ctx, family);
        found.push(...got.found);
        if (this.problems.delete(rel)) this.say(`${rel}: read again`);
        if (got.last !== st.lastRecord) {
          states[rel] = { ...st, lastRecord: got.last };
          changed = true;
        } else if (await this.cleared(channel, rel, st.lastRecord)) {
          // A cleared log numbers its records from 1 again (and its first says who cleared it): read it all,
          // under a new key, so that its record 1 is not taken for the old log's record 1 (a duplicate).
          states[rel] = { ...st, key: `${rel}@${new Date().toISOString()}`, lastRecord: 0 };
          changed = true;
        }
      } catch (e) {
        this.fail(channel, rel, `the export of ${channel} could not be read: ${(e as Error).message}`);
      } finally {
        rmSync(out, { force: true });
      }
    }
    return { found, changed };
  }

  private readonly checked = new Map<string, number>();

  /** Whether the channel's newest record is older than the last one read (asked once a minute at most). */
  private async cleared(channel: string, rel: string, last: number): Promise<boolean> {
    const now = Date.now();
    if (last === 0 || now - (this.checked.get(channel) ?? 0) < (this.o.clearedCheckMs ?? CLEARED_CHECK_MS))
      return false;
    this.checked.set(channel, now);
    const newest = await this.newest(channel, rel);
    if (newest === undefined || newest >= last) return false;
    this.say(
      `${channel}: the log was cleared (newest record ${newest}, last read ${last}); read from its start`,
    );
    return true;
  }

  /** The channel's newest record id (0 for an empty log), or undefined when it cannot be asked. */
  private async newest(channel: string, rel: string): Promise<number | undefined> {
    const r = await this.run(this.program, ['qe', channel, '/c:1', '/rd:true', '/f:xml']);
    if (!this.ok(channel, rel, 'qe', r)) return undefined;
    const m = /<EventRecordID>(\d+)<\/EventRecordID>/.exec(r.stdout);
    return m ? Number(m[1]) : 0;
  }

  private ok(
    channel: string,
    rel: string,
    verb: string,
    r: { code: number; stdout: string; stderr: string },
  ): boolean {
    if (r.code === 0) return true;
    const said = firstLine(r.stderr) || firstLine(r.stdout);
    if (r.code === CHANNEL_NOT_FOUND || /channel.*not.*found/i.test(said)) {
      this.absent.add(channel);
      this.say(`${channel}: no such event log on this server; not followed`);
      return false;
    }
    this.fail(
      channel,
      rel,
      `wevtutil ${verb} ${channel} failed (exit code ${r.code}${said ? `: ${said}` : ''})`,
    );
    return false;
  }

  private fail(channel: string, rel: string, message: string): void {
    const at = new Date().toISOString();
    const had = this.problems.get(rel);
    // Said when it starts or changes; the server hears it with every heartbeat until it is over.
    if (had?.message !== message) this.say(`${rel}: ${message}; its new records are read once a query works`);
    this.problems.set(rel, { code: 'agent.event-log-query-failed', path: rel, channel, message, since: had?.since ?? at, at }); // prettier-ignore
  }
}

function exists(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

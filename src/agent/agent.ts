// `exhunt watch`: the monitoring agent's loop. Surveys the plan's folders, follows logs as they grow,
// examines changed web files, reads event logs by record id, and commits what it found to the spool
// before it records how far it read (so a kill at any moment neither loses nor repeats); a sender drains
// the spool to the fleet server in order, a heartbeat reports lag and versions and fetches new rules.

import { sourceKind } from '../core/fields.js';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import path from 'node:path';
import type { DetectorContext } from '../core/detector.js';
import type { Task } from '../engine/discover.js';
import type { RuleConfig } from '../engine/ruleset.js';
import { openFolder } from '../evidence/folder.js';
import { AgentClient } from './client.js';
import { correlateLive } from './correlate-live.js';
import { examineWhole, readEvtxSince, WHOLE_FILE_SOURCES } from './examine.js';
import { LiveChannels } from './live-channels.js';
import type { ChannelProblem, LiveChannelOptions } from './live-channels.js';
import { newTextState, TextFollower } from './follow-text.js';
import type { FoundItem } from './follow-text.js';
import { findingKey, loadAgentRules } from './rules.js';
import type { AgentRules } from './rules.js';
import { Spool } from './spool.js';
import type { AgentFinding } from './spool.js';
import { loadState, saveState, statePath } from './state.js';
import type { AgentState, Loss, RetainedEvent } from './state.js';
import { installFolderOf, plan, planFolders, survey } from './survey.js';
import { startAt } from './start-at.js';

export interface AgentOptions {
  root: string;
  stateDir: string;
  serverUrl: string;
  token: string;
  serverName: string;
  toolVersion: string;
  /** How often followed files are polled (default 1 s). */
  pollMs?: number;
  /** How often log, web and event log folders are listed for new files (default 5 s); staged folders: `coldSurveyMs`. */
  surveyMs?: number;
  coldSurveyMs?: number;
  heartbeatMs?: number;
  /** The spool's size limit (default 256 MiB). */
  spoolMaxBytes?: number;
  /** Findings per request to the server. */
  batch?: number;
  /** On the first start, read existing logs from their start (default: from their end). */
  backlog?: boolean;
  /** Bytes read from one file per poll at most, so one huge log does not starve the others. */
  readBudget?: number;
  rules?: Partial<RuleConfig>;
  /**
   * On a running Windows server: the event log channels are queried through wevtutil (live-channels.ts)
   * instead of reading the files the event log service holds.
   */
  liveEventLogs?: LiveChannelOptions;
  /** How often live channels are queried (default 5 s: each query starts a process per channel). */
  liveMs?: number;
  log?: (line: string) => void;
  /** Test hook: runs between the spool's append and the state's write (a crash there is simulated by throwing). */
  afterSpool?: () => void;
}

const IDLE_PARSER_MS = 10 * 60_000;

export class Agent {
  private readonly o: Required<Omit<AgentOptions, 'rules' | 'log' | 'afterSpool' | 'liveEventLogs'>> &
    Pick<AgentOptions, 'log' | 'afterSpool'>;
  private readonly live: LiveChannels | undefined;
  private lastLive = 0;
  private readonly ruleConfig: RuleConfig;
  private rules!: AgentRules;
  private nextRules: AgentRules | undefined;
  private readonly client: AgentClient;
  private readonly spool: Spool;
  /** What is on disk: the sender updates `acked` in it, never anything read since. */
  private committed: AgentState;
  private readonly text = new Map<string, TextFollower>();
  private whole: AgentState['whole'];
  private channels: AgentState['channels'];
  private correlation: AgentState['correlation'];
  private losses: Loss[];
  private readonly tasks = new Map<string, Task>();
  private ctx: Omit<DetectorContext, 'path'> = {};
  private siteRoots: string[] = [];
  private lastCold = 0;
  private stopped = false;
  private sending: Promise<void> | undefined;
  private sendBackoff = 0;
  private readonly commitTimes = new Map<number, number>();
  private readLag = 0;
  private fullSaid = false;
  private dirty = false;
  /** Whether the first survey was made (committed with the offsets it set). */
  private surveyed: boolean;
  private readonly install: string;

  constructor(opts: AgentOptions) {
    this.o = {
      pollMs: 1000,
      surveyMs: 5000,
      coldSurveyMs: 60_000,
      heartbeatMs: 30_000,
      spoolMaxBytes: 256 * 1024 * 1024,
      batch: 500,
      backlog: false,
      readBudget: 8 * 1024 * 1024,
      liveMs: 5000,
      ...opts,
    };
    this.ruleConfig = { builtinRules: true, rulePaths: [], mappingPaths: [], ...opts.rules };
    this.client = new AgentClient(opts.serverUrl, opts.token);
    mkdirSync(opts.stateDir, { recursive: true });
    this.committed = loadState(opts.stateDir);
    // The agent's id is kept from its very first start, before anything was read.
    if (!existsSync(statePath(opts.stateDir))) saveState(opts.stateDir, this.committed);
    this.spool = new Spool(path.join(opts.stateDir, 'spool'), this.o.spoolMaxBytes);
    // Commits the state does not include were written by a process killed in between: read again.
    const gone = this.spool.discardAfter(this.committed.seq);
    if (gone) this.say(`${gone} uncommitted spool entries discarded; their records are read again`);
    const s = this.committed;
    for (const [rel, st] of Object.entries(s.text)) this.text.set(rel, new TextFollower(opts.root, rel, st));
    this.whole = structuredClone(s.whole);
    this.channels = structuredClone(s.channels);
    this.correlation = structuredClone(s.correlation);
    this.losses = structuredClone(s.losses);
    this.surveyed = s.surveyed;
    this.install = installFolderOf(opts.root);
    this.live = opts.liveEventLogs
      ? new LiveChannels(opts.liveEventLogs, path.join(opts.stateDir, 'export'), (l) => this.say(l))
      : undefined;
  }

  get agentId(): string {
    return this.committed.agentId;
  }

  async run(): Promise<void> {
    this.rules = await loadAgentRules(this.ruleConfig, undefined);
    const heartbeats = this.heartbeatLoop();
    let lastSurvey = 0;
    while (!this.stopped) {
      const t = Date.now();
      if (t - lastSurvey >= this.o.surveyMs) {
        await this.survey(t - this.lastCold >= this.o.coldSurveyMs);
        lastSurvey = t;
      }
      await this.cycle();
      void this.send();
      await sleep(this.o.pollMs, () => this.stopped);
    }
    await heartbeats;
    await this.sending;
  }

  /** One survey of every folder and one read, without the server (tests). */
  async step(): Promise<void> {
    if (!this.rules) this.rules = await loadAgentRules(this.ruleConfig, undefined);
    await this.survey(true);
    await this.cycle();
  }

  /** The spool's size, in commits and bytes. */
  spooled(): { commits: number; bytes: number } {
    return { commits: this.spool.count, bytes: this.spool.bytes };
  }

  stop(): void {
    this.stopped = true;
  }

  /** What the agent cannot read now (event log channels whose queries fail), each with its path. */
  problems(): ChannelProblem[] {
    return this.live ? [...this.live.problems.values()] : [];
  }

  private say(line: string): void {
    this.o.log?.(`exhunt watch: ${line}`);
  }

  private async survey(cold: boolean): Promise<void> {
    const folders = planFolders(plan(), this.install, this.siteRoots);
    const s = await survey(this.o.root, cold ? [...folders.hot, ...folders.cold] : folders.hot);
    if (cold) this.lastCold = Date.now();
    this.siteRoots = s.layout.siteRoots ?? this.siteRoots;
    this.ctx = {
      ...(s.layout.installPath ? { installPath: s.layout.installPath } : {}),
      ...(s.layout.installPathWindows ? { installPathWindows: s.layout.installPathWindows } : {}),
    };
    const first = !this.surveyed;
    const seen = new Set<string>();
    for (const t of s.tasks) {
      const rel = t.file.path;
      seen.add(rel);
      this.tasks.set(rel, t);
      // Live, the channels are queried instead: their files are held by the event log service.
      if (sourceKind(t.source) === 'event-log') {
        if (!this.live) this.addChannel(rel, first);
      } else if (!WHOLE_FILE_SOURCES.has(t.source) && !this.text.has(rel)) this.addText(rel, t, first);
    }
    // Files gone from the folders surveyed: moved (same file id under a new name) or deleted.
    const surveyed = (rel: string) => cold || !folders.cold.some((f) => rel.startsWith(`${f}/`));
    for (const [rel, f] of this.text) {
      if (seen.has(rel) || !surveyed(rel) || exists(this.o.root, rel)) continue;
      this.text.delete(rel);
      this.tasks.delete(rel);
      this.dirty = true;
      if (f.st.size > f.st.offset)
        this.losses.push({
          path: rel,
          bytes: f.st.size - f.st.offset,
          at: new Date().toISOString(),
          why: 'deleted before it was read to its end',
        });
    }
    for (const rel of Object.keys(this.whole))
      if (!seen.has(rel) && surveyed(rel)) {
        delete this.whole[rel];
        this.tasks.delete(rel);
        this.dirty = true;
      }
    if (first) {
      this.surveyed = true;
      this.dirty = true;
    }
  }

  private addText(rel: string, t: Task, first: boolean): void {
    const st = statOf(this.o.root, rel);
    if (!st) return;
    // A rotated file keeps its file id under a new name: carry its state over rather than read it again.
    for (const [old, f] of this.text)
      if (f.st.dev === st.dev && f.st.ino === st.ino && !exists(this.o.root, old)) {
        this.text.delete(old);
        this.text.set(rel, new TextFollower(this.o.root, rel, f.st));
        this.dirty = true;
        return;
      }
    const state = newTextState(rel, t, st);
    // Logs already there at the first start were the scan's to read: the agent follows from their end.
    if (first && !this.o.backlog) {
      state.offset = startAt(path.join(this.o.root, rel), st.size);
      state.size = state.offset === st.size ? st.size : 0;
      state.mtimeMs = state.offset === st.size ? st.mtimeMs : 0;
    }
    this.text.set(rel, new TextFollower(this.o.root, rel, state));
    this.dirty = true;
  }

  private addChannel(rel: string, first: boolean): void {
    if (this.channels[rel]) return;
    const st = statOf(this.o.root, rel);
    if (!st) return;
    let last = 0;
    if (first && !this.o.backlog)
      last = readEvtxSince(path.join(this.o.root, rel), rel, rel, Infinity, this.rules, this.ctx, '').last;
    this.channels[rel] = {
      key: rel,
      lastRecord: last,
      size: last ? st.size : 0,
      mtimeMs: last ? st.mtimeMs : 0,
    };
    this.dirty = true;
  }

  /** One pass over everything followed, then one commit. */
  private async cycle(): Promise<void> {
    if (this.nextRules) {
      this.rules = this.nextRules;
      this.nextRules = undefined;
      // Parsers hold the old rules' line gate: each replays its file up to its offset on the next read.
      for (const f of this.text.values()) f.reset();
      this.say(`rules ${this.rules.version} loaded (${this.rules.indicators} indicators)`);
    }
    if (this.spool.full()) {
      if (!this.fullSaid)
        this.say(
          `spool full (${this.spool.bytes} bytes, limit ${this.spool.maxBytes}): reading paused until the server accepts findings; the oldest are kept`,
        );
      this.fullSaid = true;
      return;
    }
    this.fullSaid = false;
    const found: FoundItem[] = [];
    let lag = 0;
    const now = Date.now();
    for (const [rel, f] of this.text) {
      const st = statOf(this.o.root, rel);
      if (!st) continue;
      const before = `${f.st.offset}:${f.st.size}:${f.st.mtimeMs}:${f.st.key}`;
      try {
        const r = f.poll(st, this.rules, this.ctx, this.o.readBudget);
        found.push(...r.found);
        if (r.loss) this.losses.push(r.loss);
        if (r.more) lag = Math.max(lag, (now - st.mtimeMs) / 1000);
      } catch (e) {
        this.say(`${rel}: ${(e as Error).message}`);
      }
      if (before !== `${f.st.offset}:${f.st.size}:${f.st.mtimeMs}:${f.st.key}`) this.dirty = true;
      else if (now - f.lastActive > IDLE_PARSER_MS) f.reset();
    }
    this.readLag = lag;
    const ev = openFolder(this.o.root);
    try {
      for (const [rel, t] of this.tasks) {
        if (!WHOLE_FILE_SOURCES.has(t.source)) continue;
        const st = statOf(this.o.root, rel);
        const w = this.whole[rel];
        if (!st || (w && w.size === st.size && w.mtimeMs === st.mtimeMs && w.ino === st.ino)) continue;
        const r = await examineWhole(ev, { ...t, file: { ...t.file, size: st.size } }, this.rules, this.ctx);
        found.push(...r.found);
        this.whole[rel] = {
          source: t.source,
          family: t.family,
          dev: st.dev,
          ino: st.ino,
          size: st.size,
          mtimeMs: st.mtimeMs,
          sha256: r.sha256,
        };
        this.dirty = true;
      }
    } finally {
      await ev.close();
    }
    if (this.live) {
      if (now - this.lastLive >= this.o.liveMs) {
        this.lastLive = now;
        const r = await this.live.poll(this.channels, this.rules, this.ctx, this.o.backlog);
        found.push(...r.found);
        if (r.changed) this.dirty = true;
      }
    } else
      for (const [rel, c] of Object.entries(this.channels)) {
        const st = statOf(this.o.root, rel);
        if (!st || (st.size === c.size && st.mtimeMs === c.mtimeMs)) continue;
        const family = this.tasks.get(rel)?.family ?? 'EVTX';
        try {
          const r = readEvtxSince(
            path.join(this.o.root, rel),
            rel,
            c.key,
            c.lastRecord,
            this.rules,
            this.ctx,
            family,
          );
          found.push(...r.found);
          this.channels[rel] = { ...c, lastRecord: r.last, size: st.size, mtimeMs: st.mtimeMs };
          this.dirty = true;
        } catch (e) {
          // Held by another process (the event log service on a live server): tried again next poll.
          this.say(`${rel}: ${(e as Error).message}`);
        }
      }
    const fresh: RetainedEvent[] = found.flatMap((f) => (f.correlation ? [f.correlation] : []));
    found.push(...correlateLive(this.rules.sigma, this.correlation, fresh));
    if (fresh.length) this.dirty = true;
    this.commit(found);
  }

  /**
   * Spool first (durably), then the state that says how far was read: killed after the first, the next
   * start discards the spool entry and reads those records again; killed before it, nothing was written.
   * Synchronous from end to end, so the sender cannot run in between.
   */
  private commit(found: FoundItem[]): void {
    if (found.length === 0 && !this.dirty) return;
    let seq = this.committed.seq;
    if (found.length > 0) {
      seq++;
      const seenAt = new Date().toISOString();
      const items: AgentFinding[] = found.map((f) => ({
        key: findingKey(this.o.serverName, f.fileKey, f.record, f.finding),
        source: f.source,
        family: f.family,
        seenAt,
        finding: f.finding,
      }));
      this.spool.append(seq, items);
      this.commitTimes.set(seq, Date.now());
      this.o.afterSpool?.();
    }
    const next: AgentState = {
      ...this.committed,
      seq,
      surveyed: this.surveyed,
      text: Object.fromEntries([...this.text].map(([rel, f]) => [rel, structuredClone(f.st)])),
      whole: structuredClone(this.whole),
      channels: structuredClone(this.channels),
      correlation: structuredClone(this.correlation),
      losses: this.losses.slice(-100),
    };
    saveState(this.o.stateDir, next);
    this.committed = next;
    this.dirty = false;
  }

  /** Drains the spool in commit order; a failure waits (with backoff) and retries the same batch. */
  private send(): Promise<void> {
    if (this.sending) return this.sending;
    if (this.sendBackoff > Date.now() || this.spool.count === 0) return Promise.resolve();
    const drain = async () => {
      try {
        while (this.spool.count > 0 && !this.stopped) {
          const batch = this.spool.oldest(this.o.batch);
          await this.client.sendFindings(
            this.agentId,
            this.o.serverName,
            batch.flatMap((b) => b.items),
          );
          const last = batch[batch.length - 1]!.seq;
          this.spool.release(last);
          for (const b of batch) this.commitTimes.delete(b.seq);
          this.committed = { ...this.committed, acked: last };
          saveState(this.o.stateDir, this.committed);
          this.sendDelay = 1000;
        }
      } catch (e) {
        this.say(
          `findings not sent (${this.spool.count} commits wait in the spool): ${(e as Error).message}`,
        );
        this.sendBackoff = Date.now() + this.sendDelay;
        this.sendDelay = Math.min(30_000, this.sendDelay * 2);
      }
    };
    // Cleared in a callback, which always runs after this assignment (a drain that finds nothing to send
    // finishes synchronously: cleared inside it, the stale promise would stay and block every later send).
    const p = drain().finally(() => {
      if (this.sending === p) this.sending = undefined;
    });
    this.sending = p;
    return p;
  }

  private sendDelay = 1000;

  private async heartbeatLoop(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.heartbeat();
      } catch (e) {
        this.say(`heartbeat failed: ${(e as Error).message}`);
      }
      await sleep(this.o.heartbeatMs, () => this.stopped);
    }
  }

  private async heartbeat(): Promise<void> {
    const oldest = Math.min(Date.now(), ...this.commitTimes.values());
    // At most 20 losses a heartbeat, oldest first; the rest go with the next ones.
    const told = this.losses.slice(0, 20);
    const answer = await this.client.heartbeat({
      agentId: this.agentId,
      server: this.o.serverName,
      version: this.o.toolVersion,
      rulesVersion: this.rules.version,
      indicators: this.rules.indicators,
      lagSeconds: Math.round(Math.max(this.readLag, (Date.now() - oldest) / 1000)),
      spool: { bytes: this.spool.bytes, commits: this.spool.count, full: this.spool.full() },
      files: this.text.size + Object.keys(this.whole).length + Object.keys(this.channels).length,
      losses: told,
      problems: this.problems(),
    });
    // Told once: the server keeps them with the agent.
    if (told.length > 0) {
      this.losses.splice(0, told.length);
      this.dirty = true;
    }
    if (answer.rulesVersion && answer.rulesVersion !== this.rules.version && !this.nextRules) {
      const feeds = await this.client.rules();
      this.nextRules = await loadAgentRules(this.ruleConfig, feeds);
    }
  }
}

function statOf(root: string, rel: string): Stats | undefined {
  try {
    const st = statSync(path.join(root, rel));
    return st.isFile() ? st : undefined;
  } catch {
    return undefined;
  }
}

function exists(root: string, rel: string): boolean {
  return statOf(root, rel) !== undefined;
}

/** Sleeps `ms`, waking early (every 100 ms at most) once `stop()` says so. */
async function sleep(ms: number, stop: () => boolean): Promise<void> {
  const until = Date.now() + ms;
  while (!stop() && Date.now() < until)
    await new Promise((r) => setTimeout(r, Math.min(100, until - Date.now())));
}

// The agent's state: how far each followed file, web file and event channel was read, the correlation
// window, and the commit sequence that ties the state to the spool. Written whole and atomically.

import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { CorrelationEvent } from '../engine/correlate.js';
import { readJsonFile, writeFileAtomic } from './atomic.js';

/** A text log followed line by line. */
export interface TextFileState {
  /** Identity used in finding keys: new when the file under this name is replaced. */
  key: string;
  source: string;
  reader?: string;
  family: string;
  dev: number;
  ino: number;
  /** Hex of the file's first bytes (up to 64) when it was first read: a copy over the file changes them. */
  head: string;
  /** Bytes read, always at the end of a line. */
  offset: number;
  lines: number;
  size: number;
  mtimeMs: number;
}

/** A file examined whole when it changes (scripts in web folders, staged files, applicationHost.config). */
export interface WholeFileState {
  source: string;
  family: string;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  sha256: string;
}

/** An event log read by record id (an EVTX file, or a channel through wevtutil). */
export interface ChannelState {
  key: string;
  lastRecord: number;
  size: number;
  mtimeMs: number;
}

export interface RetainedEvent extends CorrelationEvent {
  path: string;
  source: string;
}

/** Bytes that went away before the agent read them (a log deleted or replaced while it could not keep up). */
export interface Loss {
  path: string;
  bytes: number;
  at: string;
  why: string;
}

export interface AgentState {
  version: 1;
  /** This installation's id: the server tells agents of one server apart by it. */
  agentId: string;
  /** The last spool commit this state includes. */
  seq: number;
  /** The last commit the server accepted. */
  acked: number;
  /** Set after the first survey: files found later are new and read from their start. */
  surveyed: boolean;
  text: Record<string, TextFileState>;
  whole: Record<string, WholeFileState>;
  channels: Record<string, ChannelState>;
  correlation: { events: RetainedEvent[]; emitted: string[] };
  losses: Loss[];
  /** Losses not yet told to the server. */
  lossesUnsent: number;
}

export function emptyState(): AgentState {
  return {
    version: 1,
    agentId: randomBytes(8).toString('hex'),
    seq: 0,
    acked: 0,
    surveyed: false,
    text: {},
    whole: {},
    channels: {},
    correlation: { events: [], emitted: [] },
    losses: [],
    lossesUnsent: 0,
  };
}

export function statePath(dir: string): string {
  return path.join(dir, 'state.json');
}

export function loadState(dir: string): AgentState {
  const s = readJsonFile<AgentState>(statePath(dir));
  if (!s) return emptyState();
  if (s.version !== 1) throw new Error(`${statePath(dir)}: state version ${String(s.version)} is not known`);
  return s;
}

export function saveState(dir: string, s: AgentState): void {
  writeFileAtomic(statePath(dir), JSON.stringify(s));
}

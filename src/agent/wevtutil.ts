// Event log channels on a live Windows server, where the .evtx files are held open by the event log
// service: each poll exports the records after the last one read with `wevtutil epl` and a record-id query
// into a scratch .evtx file, which the scan's EVTX reader then reads like any other. Not run by the tests
// (they grow EVTX files instead, through the same reader); see ARCHITECTURE.md, "The agent".

import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { DetectorContext } from '../core/detector.js';
import type { FoundItem } from './follow-text.js';
import { readEvtxSince } from './examine.js';
import type { AgentRules } from './rules.js';
import type { ChannelState } from './state.js';

const run = promisify(execFile);

/** The arguments of the export: records with an id above `after` only, overwriting the scratch file. */
export function wevtutilArgs(channel: string, file: string, after: number): string[] {
  return ['epl', channel, file, `/q:*[System[(EventRecordID>${after})]]`, '/ow:true'];
}

export async function pollChannel(
  channel: string,
  st: ChannelState,
  scratchDir: string,
  rules: AgentRules,
  ctx: Omit<DetectorContext, 'path'>,
): Promise<{ found: FoundItem[]; last: number }> {
  const file = path.join(scratchDir, `${channel.replace(/[^A-Za-z0-9]+/g, '_')}.evtx`);
  try {
    await run('wevtutil.exe', wevtutilArgs(channel, file, st.lastRecord), { windowsHide: true });
    // Findings cite the channel, as the collector's exports are named.
    return readEvtxSince(file, `eventlog/${channel}`, st.key, st.lastRecord, rules, ctx, `EVTX/${channel}`);
  } finally {
    rmSync(file, { force: true });
  }
}

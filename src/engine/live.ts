// A live scan of a running Windows server (`exhunt scan C:\` on it, or `--live`). Text logs are read in
// place: Node opens files through libuv, whose Windows `fs__open` (src/win/fs.c) passes
// FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE to CreateFileW unless UV_FS_O_EXLOCK is asked for,
// so IIS and Exchange go on writing their logs while we read them. The event log service opens its `.evtx`
// files without sharing read, so each channel is first exported with `wevtutil epl` into a private
// temporary folder, and the export is read under the live file's path (evidence/overlay.ts).
// `wevtutil` runs behind `CommandRunner`, so tests on Linux hand in a fake.

import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Artifact } from '../core/artifact.js';
import { EVTX_FOLDER, evtxFileName } from '../core/event-log-files.js';
import type { Problem } from '../core/problem.js';
import type { LiveExport, LiveScanInfo } from '../core/report.js';
import type { Overlay } from '../evidence/index.js';

export interface CommandResult {
  /** The exit code; -1 when the program could not be run or was stopped. */
  code: number;
  stdout: string;
  stderr: string;
}

export type CommandRunner = (program: string, args: readonly string[]) => Promise<CommandResult>;

/** A large Security log takes minutes to export; past half an hour the channel is reported as failed. */
const EXPORT_TIMEOUT_MS = 30 * 60_000;

/** Runs a program without a shell (arguments are never parsed by one) and with no window. */
export const runCommand: CommandRunner = (program, args) =>
  new Promise((resolve) => {
    execFile(
      program,
      [...args],
      { windowsHide: true, timeout: EXPORT_TIMEOUT_MS, maxBuffer: 1 << 20, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const code = !err ? 0 : typeof err.code === 'number' ? err.code : -1;
        resolve({ code, stdout, stderr: stderr || (err && code === -1 ? err.message : '') });
      },
    );
  });

export interface LiveOptions {
  /** The channels to export (data/collect.json's `eventLogs`). */
  channels: readonly string[];
  /** Default: run the program. */
  run?: CommandRunner;
  /** Default: `wevtutil` (from the system's PATH). */
  program?: string;
  /** Where the private temporary folder is made; default the system's temporary folder. */
  tempParent?: string;
}

/** Windows, and the evidence is the system drive's root: the scan runs on the live server. */
export function isLiveTarget(
  target: string,
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (platform !== 'win32') return false;
  const drive = (env['SystemDrive'] ?? 'C:').replace(/[\\/]+$/, '');
  return path.win32.resolve(target).toLowerCase() === `${drive}\\`.toLowerCase();
}

export interface LiveSession {
  overlay: Overlay;
  info: LiveScanInfo;
  /** Removes the temporary folder (again harmless); records whether it is gone. */
  cleanup(): Promise<void>;
}

/** wevtutil's exit code for ERROR_EVT_CHANNEL_NOT_FOUND: the server has no such log (no Sysmon, say). */
const CHANNEL_NOT_FOUND = 15007;

export async function exportEventLogs(root: string, o: LiveOptions): Promise<LiveSession> {
  const run = o.run ?? runCommand;
  const program = o.program ?? 'wevtutil';
  // mkdtemp: a new folder only this account can write to (0700 on POSIX; the user's profile or, for SYSTEM,
  // Windows\Temp, whose ACL keeps other users out of folders they did not create).
  const folder = await mkdtemp(path.join(o.tempParent ?? os.tmpdir(), 'exhunt-live-'));
  const files: Record<string, string> = {};
  const exports: LiveExport[] = [];
  for (const channel of o.channels) {
    const name = evtxFileName(channel);
    const live = `${EVTX_FOLDER}/${name}`;
    const startedAt = new Date().toISOString();
    const r = await run(program, ['epl', channel, path.join(folder, name)]);
    const finishedAt = new Date().toISOString();
    const size = await stat(path.join(folder, name)).then(
      (s) => (s.isFile() ? s.size : undefined),
      () => undefined,
    );
    const said = firstLine(r.stderr) || firstLine(r.stdout);
    const e: LiveExport = { channel, path: live, status: 'exported', startedAt, finishedAt };
    if (r.code === 0 && size !== undefined) {
      e.bytes = size;
      files[live] = name;
    } else if (r.code === CHANNEL_NOT_FOUND || /channel.*not.*found/i.test(said)) e.status = 'absent';
    else {
      e.status = 'failed';
      e.error = `exit code ${r.code}${said ? `: ${said}` : size === undefined ? ': no file written' : ''}`;
    }
    exports.push(e);
  }
  const info: LiveScanInfo = { tempFolder: folder, removed: false, exports };
  const inside = path.relative(path.resolve(root), folder);
  const hide =
    inside && !inside.startsWith('..') && !path.isAbsolute(inside)
      ? inside.split(path.sep).join('/')
      : undefined;
  const locked = {
    folder: EVTX_FOLDER,
    code: 'live.locked-log',
    why: 'held open by the event log service, and not a channel exported first (data/collect.json lists those exhunt reads)',
  };
  return {
    overlay: { folder, files, locked, ...(hide ? { hide } : {}) },
    info,
    cleanup: async () => {
      await rm(folder, { recursive: true, force: true, maxRetries: 3 });
      info.removed = await stat(folder).then(
        () => false,
        () => true,
      );
    },
  };
}

/**
 * A channel that could not be exported is a located problem on its live file: a loss unless the live file
 * was read as it is (a scan of a copied drive with `--live`, or a log the service does not hold).
 */
export function liveProblems(info: LiveScanInfo, artifacts: readonly Artifact[]): Problem[] {
  const read = new Set(artifacts.filter((a) => a.unread !== 'all').map((a) => a.path.toLowerCase()));
  return info.exports
    .filter((e) => e.status === 'failed')
    .map((e): Problem => {
      e.readLive = read.has(e.path.toLowerCase());
      return e.readLive
        ? {
            code: 'live.read-live-file',
            message: `wevtutil could not export ${e.channel} (${e.error ?? 'failed'}); the live file was read as it is`,
            path: e.path,
            severity: 'warning',
          }
        : {
            code: 'live.export-failed',
            message: `wevtutil could not export ${e.channel} (${e.error ?? 'failed'}) and the live file was not read`,
            path: e.path,
            severity: 'error',
          };
    });
}

/** The first non-empty line of a command's output, cut to 300 characters: what a problem quotes of it. */
export function firstLine(s: string): string {
  return (
    s
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => l !== '') ?? ''
  ).slice(0, 300);
}

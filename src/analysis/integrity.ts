// What became of the evidence: every file read, skipped with a reason or lost, and which losses the verdict feels.

import type { Artifact } from '../core/artifact.js';
import type { Problem } from '../core/problem.js';
import { formatLocation } from '../core/problem.js';
import { lossOf } from '../core/problem-codes.js';
import type { Loss } from '../core/problem-codes.js';
import type { CoverageGap, EvidenceLoss, ExposureReport, IntegritySection } from '../core/report.js';
import { isLog } from './coverage.js';
import { campaignWindows, exposedSince, overlapsExposure } from './exposure-windows.js';
import { familyGaps } from './gaps.js';

export interface IntegrityInput {
  artifacts: readonly Artifact[];
  problems: readonly Problem[];
  /**
   * The log family of a path that is not an artifact but would have been read (an unreadable log, a
   * refused zip entry, a folder that may hold logs); undefined when exhunt would not read it.
   */
  familyOf(p: Problem): string | undefined;
  skipped: IntegritySection['skipped'];
  /** Every file the evidence listed (read, skipped or not), and their bytes. */
  listed: { files: number; bytes: number };
  exposure?: ExposureReport;
  access: IntegritySection['access'];
}

const WORST: Record<Exclude<Loss, 'none'>, number> = { records: 1, part: 2, file: 3 };

export function integrityOf(input: IntegrityInput): IntegritySection {
  const byPath = new Map(input.artifacts.map((a) => [a.path, a]));
  const losses = new Map<string, EvidenceLoss>();
  for (const p of input.problems) {
    const loss = lossOf(p.code);
    if (loss === 'none') continue;
    const path = p.path ?? '.';
    const art = byPath.get(path);
    let e = losses.get(path);
    if (!e) {
      const family = art?.family ?? input.familyOf(p);
      e = {
        path,
        ...(family ? { family } : {}),
        loss,
        codes: [],
        problems: 0,
        first: formatLocation(p) || path,
        message: p.message,
        ...(art?.firstTime ? { from: art.firstTime } : {}),
        ...(art?.lastTime ? { to: art.lastTime } : {}),
        lowers: false,
      };
      losses.set(path, e);
    }
    if (WORST[loss] > WORST[e.loss]) e.loss = loss;
    if (!e.codes.includes(p.code)) e.codes.push(p.code);
    e.problems++;
    if (p.bytes !== undefined) e.bytes = (e.bytes ?? 0) + p.bytes;
  }
  const windows = campaignWindows(input.exposure);
  const since = exposedSince(windows);
  for (const e of losses.values()) {
    const art = byPath.get(e.path);
    if (art && art.badRecords > 0) e.records = art.badRecords;
    judge(e, art, since);
  }
  const gaps = familyGaps(input.artifacts.filter(isLog)).map(({ verdict, ...g }): CoverageGap => {
    const inExposure = overlapsExposure(windows, `${g.from}T00:00:00.000Z`, `${g.to}T23:59:59.999Z`);
    return { ...g, inExposure, lowers: inExposure && verdict };
  });
  const list = [...losses.values()].sort(
    (a, b) =>
      Number(b.lowers) - Number(a.lowers) || WORST[b.loss] - WORST[a.loss] || a.path.localeCompare(b.path),
  );
  const unreadFiles = list.filter((e) => e.loss === 'file' && !byPath.has(e.path));
  const skippedFiles = input.skipped.reduce((n, g) => n + g.files, 0);
  const skippedBytes = input.skipped.reduce((n, g) => n + g.bytes, 0);
  return {
    complete: !list.some((e) => e.lowers) && !gaps.some((g) => g.lowers),
    files: {
      listed: input.listed.files,
      read: input.artifacts.length,
      withLoss: list.filter((e) => byPath.has(e.path)).length,
      skipped: skippedFiles,
      unread: unreadFiles.length,
    },
    bytes: {
      listed: input.listed.bytes,
      read: input.artifacts.reduce((n, a) => n + a.size, 0),
      skipped: skippedBytes,
      // Files not read at all, and the rest of those whose reading stopped part way.
      unread:
        unreadFiles.reduce((n, e) => n + (e.bytes ?? 0), 0) +
        input.artifacts.reduce((n, a) => n + (a.unreadBytes ?? 0), 0),
    },
    skipped: input.skipped,
    losses: list,
    gaps,
    access: input.access,
  };
}

/**
 * A loss lowers a clean verdict unless it is in nothing exhunt reads, or provably outside the time the
 * verdict needs: the file was last written, and its records end, before the server was first exposed.
 */
function judge(e: EvidenceLoss, art: Artifact | undefined, since: string | undefined): void {
  if (!e.family) {
    e.why = 'not a file exhunt reads for its verdict';
    return;
  }
  if (since && art?.modified && art.lastTime && art.modified < since && art.lastTime < since) {
    e.why = `the file was last written (${art.modified}) before the server was first exposed (${since})`;
    return;
  }
  e.lowers = true;
}

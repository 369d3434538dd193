// Reads one artifact end to end: hashes every byte, parses records, runs the matchers, keeps bounded results.

import { createHash } from 'node:crypto';
import type { Artifact } from '../core/artifact.js';
import type { DetectorContext, Hit } from '../core/detector.js';
import type { Finding } from '../core/finding.js';
import { excerpt } from '../core/finding.js';
import { isFileSource } from '../core/fields.js';
import { commandSectionOf, eventSectionOf, fileSectionOf, requestSectionOf } from '../core/sections.js';
import type { Problem } from '../core/problem.js';
import type { LogRecord } from '../core/record.js';
import { EvidenceError } from '../evidence/index.js';
import type { Evidence, NoatimeMode } from '../evidence/index.js';
import { SOURCES } from '../sources/registry.js';
import { MAX_UNENDED_LINE_BYTES } from '../sources/text/gated-lines.js';
import { createSigmaSidecar } from './correlate.js';
import type { SigmaSidecar } from './correlate.js';
import type { Task } from './discover.js';
import type { VersionSeen } from './exposure.js';
import type { MatcherSet } from './matchers.js';

export interface ReadLimits {
  /** Findings kept per rule and file; the rest are counted and reported as a limit hit. */
  findingsPerRule: number;
  /** Problems kept per problem code and file; the rest are counted. */
  problemsPerCode: number;
  /** Text logs: a line with no end within this many bytes stops the reading of its file (`--max-unended-line`). */
  unendedLine: number;
}

/** One read buffer per artifact being read at the same time, reused across artifacts. */
const CHUNK = 1 << 20;
const spare: Buffer[] = [];

export const DEFAULT_READ_LIMITS: ReadLimits = {
  findingsPerRule: 500,
  problemsPerCode: 50,
  unendedLine: MAX_UNENDED_LINE_BYTES,
};

export interface ArtifactResult extends SigmaSidecar {
  artifact: Artifact;
  findings: Finding[];
  problems: Problem[];
  versions: VersionSeen[];
  /** Whether this reader (a worker has its own) kept access times, after this artifact. */
  noatime?: NoatimeMode;
}

export async function readArtifact(
  ev: Evidence,
  task: Task,
  matchers: MatcherSet,
  ctx: Omit<DetectorContext, 'path'>,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): Promise<ArtifactResult> {
  const path = task.file.path;
  const hash = createHash('sha256');
  const artifact: Artifact = {
    path,
    source: task.source,
    family: task.family,
    size: 0,
    sha256: '',
    records: 0,
    badRecords: 0,
    ...(task.file.modified ? { modified: task.file.modified } : {}),
  };
  const findings: Finding[] = [];
  const problems: Problem[] = [];
  const versions: VersionSeen[] = [];
  const perRule = new Map<string, number>();
  const perCode = new Map<string, number>();
  const dctx: DetectorContext = { ...ctx, path };
  const hits: Hit[] = [];
  const sidecar = createSigmaSidecar();

  const onRecord = (r: LogRecord) => {
    artifact.records++;
    const t = r.time;
    if (t !== undefined) {
      if (artifact.firstTime === undefined || t < artifact.firstTime) artifact.firstTime = t;
      if (artifact.lastTime === undefined || t > artifact.lastTime) artifact.lastTime = t;
    }
    sidecar.record(r);
    matchers.run(r, dctx, hits);
    if (hits.length === 0) return;
    for (const h of hits) {
      sidecar.hit(h, r);
      const n = (perRule.get(h.rule.id) ?? 0) + 1;
      perRule.set(h.rule.id, n);
      if (n <= limits.findingsPerRule) findings.push(toFinding(h, r, path));
    }
    hits.length = 0;
  };
  const onProblem = (p: Problem) => {
    if (p.severity === 'error' && p.line !== undefined) artifact.badRecords++;
    const n = (perCode.get(p.code) ?? 0) + 1;
    perCode.set(p.code, n);
    if (n <= limits.problemsPerCode) problems.push(p);
  };

  const def = SOURCES.get(task.reader ?? task.source);
  if (!def) throw new Error(`unknown source ${task.reader ?? task.source}`);
  const gate = matchers.gate();
  const parser = def.createParser(
    {
      path,
      size: task.file.size,
      maxUnendedLine: limits.unendedLine,
      ...(task.file.modified ? { modified: task.file.modified } : {}),
      ...(gate ? { gate } : {}),
    },
    {
      record: onRecord,
      tally: (n, first, last) => {
        artifact.records += n;
        if (first !== undefined && (artifact.firstTime === undefined || first < artifact.firstTime))
          artifact.firstTime = first;
        if (last !== undefined && (artifact.lastTime === undefined || last > artifact.lastTime))
          artifact.lastTime = last;
      },
      problem: onProblem,
      version: (build, time) => versions.push({ build, path, ...(time ? { time } : {}) }),
    },
  );
  let failed = false;
  /** The parser stopped at a bound it reported (a line that never ends): the rest is not read. */
  let stopped = false;
  try {
    const held = task.content;
    const buf =
      !held && def.copiesChunks && ev.reuse ? (spare.pop() ?? Buffer.allocUnsafe(CHUNK)) : undefined;
    // Bytes discovery already read (and hashed nothing of) are used as they are: one read of the file.
    const stream = held
      ? [Buffer.from(held.buffer, held.byteOffset, held.byteLength)]
      : buf && ev.reuse
        ? ev.reuse(task.file, buf)
        : await ev.open(task.file, undefined, onProblem);
    try {
      for await (const chunk of stream) {
        const b = chunk as Buffer;
        artifact.size += b.length;
        hash.update(b);
        parser.push(b);
        if (parser.stopped?.()) {
          stopped = true;
          break;
        }
      }
    } finally {
      if (buf) spare.push(buf);
    }
    parser.end();
  } catch (e) {
    failed = true;
    // Not one byte read: the file is lost to the scan. Part read: what was read still counts.
    const none = artifact.size === 0;
    const why = e instanceof Error ? e.message : String(e);
    onProblem({
      code: e instanceof EvidenceError ? e.code : none ? 'evidence.unreadable-file' : 'evidence.read-failed',
      message: none ? `not read: ${why}` : `reading stopped after ${artifact.size} bytes: ${why}`,
      path,
      offset: artifact.size,
      ...(task.file.size > artifact.size ? { bytes: task.file.size - artifact.size } : {}),
      severity: 'error',
    });
    artifact.unread = none ? 'all' : 'rest';
  }
  if (stopped || (failed && artifact.size > 0)) {
    artifact.unread = 'rest';
    if (task.file.size > artifact.size) artifact.unreadBytes = task.file.size - artifact.size;
  }
  if (!failed && !stopped && ev.kind === 'folder' && artifact.size < task.file.size)
    onProblem({
      code: 'evidence.changed',
      message: `${task.file.size} bytes when listed, ${artifact.size} when read: the file changed during the scan`,
      path,
      bytes: task.file.size - artifact.size,
      severity: 'warning',
    });
  // A hash of the part read is kept apart: in `sha256` it would pass for the file's own.
  const digest = hash.digest('hex');
  artifact.sha256 = failed || stopped ? '' : digest;
  if (artifact.unread === 'rest') artifact.partialSha256 = digest;
  for (const [code, n] of perCode)
    if (n > limits.problemsPerCode)
      problems.push({
        code: 'limit.problems',
        message: `${n - limits.problemsPerCode} more ${code} problems not listed`,
        path,
        severity: 'limit',
      });
  for (const [rule, n] of perRule)
    if (n > limits.findingsPerRule)
      problems.push({
        code: 'limit.findings',
        message: `rule ${rule} matched ${n} records; the first ${limits.findingsPerRule} are reported (raise --max-findings-per-rule)`,
        path,
        severity: 'limit',
      });
  return { artifact, findings, problems, versions, noatime: ev.readMode().noatime, ...sidecar.result() };
}

/**
 * A hit as the finding a scan reports (the agent makes its findings with this too). The typed sections are
 * filled here, once, from the parsed record's fields; what the detector set itself wins field by field.
 */
export function toFinding(h: Hit, r: LogRecord, path: string): Finding {
  const { excerpt: ex, ...rest } = h;
  const line = isFileSource(r.source) ? undefined : r.line;
  const request = requestSectionOf(r);
  const f: Finding = {
    ...rest,
    // The id's inputs stay what they were before the typed sections (ids must not change across versions):
    // the anchor only of a hit whose rule named it (Sigma web findings and the SSRF detector).
    id: findingId(h.rule.id, path, line ?? 0, h.details?.anchorMailbox ?? ''),
    evidence: [{ path, ...(line !== undefined ? { line } : {}), excerpt: excerpt(ex ?? r.text()) }],
  };
  if (request || h.request) f.request = { ...request, ...h.request };
  const file = h.file ?? fileSectionOf(r);
  if (file) f.file = file;
  const command = h.command ?? commandSectionOf(r);
  if (command) f.command = command;
  const event = h.event ?? eventSectionOf(r);
  if (event) f.event = event;
  if (f.userAgent === undefined) delete f.userAgent;
  if (f.time === undefined) delete f.time;
  return f;
}

export function findingId(...parts: (string | number)[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);
}

// Child process for the hostile tests: scans one evidence path and prints what the assertions need, as JSON.

import { scan } from '../../src/engine/scan.js';
import { DEFAULT_READ_LIMITS } from '../../src/engine/read-artifact.js';
import type { CaseLimits } from './case.js';

const target = process.argv[2];
if (!target) {
  console.error('usage: node run-case.js <evidence> [limits as JSON]');
  process.exit(2);
}
const limits = JSON.parse(process.argv[3] ?? '{}') as CaseLimits;
const { report } = await scan(target, {
  threads: 1,
  readLimits: { ...DEFAULT_READ_LIMITS, ...(limits.unendedLine ? { unendedLine: limits.unendedLine } : {}) },
});
const summary = {
  verdict: report.verdict,
  explanation: report.explanation,
  rules: [...new Set(report.findings.map((f) => f.rule.id))],
  problems: report.problems.map((p) => ({ code: p.code, path: p.path, line: p.line, offset: p.offset })),
  artifacts: report.artifacts.map((a) => ({
    path: a.path,
    size: a.size,
    badRecords: a.badRecords,
    sha256: a.sha256,
    ...(a.unread ? { unread: a.unread } : {}),
    ...(a.partialSha256 ? { partialSha256: a.partialSha256 } : {}),
  })),
  skipped: report.integrity?.skipped.map((g) => ({ reason: g.reason, files: g.files })) ?? [],
  gaps: report.integrity?.gaps.filter((g) => g.lowers).map((g) => [g.from, g.to]) ?? [],
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
};
process.stdout.write(JSON.stringify(summary));

// The verdict: clean, attempted, exploited, compromised or inconclusive, with the evidence that decided it.

import type { Coverage } from '../core/artifact.js';
import type { Finding, Outcome } from '../core/finding.js';
import { SEVERITY_ORDER } from '../core/finding.js';
import type { ExposureReport, IntegritySection, Verdict, VerdictResult } from '../core/report.js';
import { gapsNote, lossesNote } from './integrity-text.js';
import { internalScannerSentence, internalScannerSummary } from './internal-scanners.js';
import { uncoveredExposure } from './windows.js';

const RANK: Record<Outcome, number> = {
  context: 0,
  suspicious: 0,
  probe: 1,
  attempt: 1,
  success: 2,
  compromise: 3,
};
const VERDICTS: Verdict[] = ['clean', 'attempted', 'exploited', 'compromised'];

/** Log families whose absence means the web-facing attack cannot be ruled out. */
const WEB_LOGS = /^(IIS|HttpProxy)/;

export function decideVerdict(
  findings: readonly Finding[],
  coverage: readonly Coverage[],
  exposure?: ExposureReport,
  integrity?: IntegritySection,
): VerdictResult {
  const v = decide(findings, coverage, exposure, integrity);
  // Probes set aside as an internal scanner are said, so a reader knows they were seen and why not counted.
  const scanners = internalScannerSentence(internalScannerSummary(findings));
  return scanners ? { ...v, explanation: `${v.explanation} ${scanners}` } : v;
}

function decide(
  findings: readonly Finding[],
  coverage: readonly Coverage[],
  exposure?: ExposureReport,
  integrity?: IntegritySection,
): VerdictResult {
  const top = findings.reduce((m, f) => Math.max(m, RANK[f.outcome]), 0);
  const decisive = findings
    .filter((f) => RANK[f.outcome] === top && top > 0)
    .sort(
      (a, b) =>
        SEVERITY_ORDER[b.severity] - SEVERITY_ORDER[a.severity] || (a.time ?? '').localeCompare(b.time ?? ''),
    );
  const webLogs = coverage.filter((c) => WEB_LOGS.test(c.family) && c.records > 0);
  const review = findings.filter((f) => f.outcome === 'suspicious');
  const verdict = VERDICTS[top] ?? 'clean';
  const lost = integrity ? lossesNote(integrity) : '';
  const gaps = integrity ? gapsNote(integrity) : '';
  if (verdict !== 'clean') {
    // A lower bound: what was lost could hold more of the attack, never less.
    let caveat = lost ? ` ${lost} The attack may have gone further than this shows.` : '';
    if (webLogs.length === 0 && (verdict === 'compromised' || verdict === 'exploited'))
      caveat +=
        ' No IIS or HttpProxy logs were read, so how the attacker got in and what they ran through the web is not shown; collect inetpub/logs/LogFiles and the Exchange Logging folder to find the entry point.';
    return {
      verdict,
      explanation: explain(verdict, decisive, webLogs, review) + caveat + (gaps ? ` ${gaps}` : ''),
      decisive: decisive.slice(0, 10).map((f) => f.id),
    };
  }
  const reasons: string[] = [];
  if (webLogs.length === 0)
    reasons.push(
      'No IIS or HttpProxy logs with records were found, so the web-facing attacks cannot be ruled out. Collect inetpub/logs/LogFiles and the Exchange Logging folder and scan again.',
    );
  else if (!webLogs.some((c) => c.firstTime))
    reasons.push(
      'The web logs hold no record with a readable time, so what they cover cannot be told. Check their encoding and format (see problems).',
    );
  else {
    const early = earlyExposure(exposure, webLogs);
    if (early) reasons.push(early);
  }
  if (lost)
    reasons.push(
      `${lost} An attack recorded there would not show; recollect or repair those files and scan again.`,
    );
  if (gaps && integrity?.gaps.some((g) => g.lowers)) reasons.push(gaps);
  if (reasons.length > 0) {
    const lead =
      webLogs.length === 0
        ? ''
        : 'Nothing suspicious was found in the evidence read, but it cannot clear the server. ';
    return {
      verdict: 'inconclusive',
      explanation: `${lead}${reasons.join(' ')}${reviewNote(review)}`,
      decisive: [],
    };
  }
  return {
    verdict,
    explanation: explain(verdict, decisive, webLogs, review) + (gaps ? ` ${gaps}` : ''),
    decisive: [],
  };
}

/** Campaign CVEs the server was vulnerable to before its web logs begin: a period nothing here can clear. */
function earlyExposure(
  exposure: ExposureReport | undefined,
  webLogs: readonly Coverage[],
): string | undefined {
  const first = webLogs
    .map((c) => c.firstTime)
    .filter((t): t is string => !!t)
    .sort()[0];
  const gap = uncoveredExposure(exposure, first);
  if (gap.length === 0) return undefined;
  const campaigns = [...new Set(gap.map((w) => w.campaign))].join(', ');
  const until = gap
    .map((w) => w.to)
    .filter((t): t is string => !!t)
    .sort()
    .pop();
  return `The server ran a build vulnerable to ${campaigns} from before the logs begin (${first ?? 'unknown'})${until ? ` until ${until}` : ''}. An attack in that period would not show in these logs; the on-disk checks (webshells, staged files) found nothing either. Collect older logs if they exist.`;
}

function reviewNote(review: readonly Finding[]): string {
  return review.length > 0
    ? ` ${review.length} finding${review.length > 1 ? 's need' : ' needs'} review (see the findings marked suspicious).`
    : '';
}

function explain(
  verdict: Verdict,
  decisive: readonly Finding[],
  webLogs: readonly Coverage[],
  review: readonly Finding[],
): string {
  const first = decisive[0];
  const where = first ? describe(first) : '';
  const more =
    decisive.length > 1
      ? ` and ${decisive.length - 1} more finding${decisive.length > 2 ? 's' : ''} like it`
      : '';
  const span = coverageSpan(webLogs);
  const note = reviewNote(review);
  switch (verdict) {
    case 'compromised':
      return `The server was compromised: ${where}${more}. Treat every account and mailbox on it as exposed and follow the remediation steps.${note}`;
    case 'exploited':
      return `An exploit step succeeded: ${where}${more}. No webshell or post-exploitation activity was found in the evidence read, but the attacker had the access to leave some; check the paths the evidence does not cover.${note}`;
    case 'attempted':
      return `The server was probed or attacked without a success visible in the evidence: ${where}${more}. Apply the missing updates; nothing shows that an attack got through.${note}`;
    default:
      return `Nothing suspicious was found in the evidence read (${span}). This covers only that period; an attack before it would not show in these logs.${note}`;
  }
}

function describe(f: Finding): string {
  const ev = f.evidence[0];
  const at = ev ? ` (${ev.path}${ev.line !== undefined ? `:${ev.line}` : ''})` : '';
  const when = f.time ? ` at ${f.time}` : '';
  const from = f.sourceIps.length > 0 ? ` from ${f.sourceIps.join(', ')}` : '';
  return `${f.rule.title}${when}${from}${at}`;
}

function coverageSpan(webLogs: readonly Coverage[]): string {
  const firsts = webLogs
    .map((c) => c.firstTime)
    .filter((t): t is string => !!t)
    .sort();
  const lasts = webLogs
    .map((c) => c.lastTime)
    .filter((t): t is string => !!t)
    .sort();
  if (firsts.length === 0) return 'no dated records';
  return `web logs from ${firsts[0]} to ${lasts[lasts.length - 1]}`;
}

// The Markdown report: the same sections as the HTML one; attacker text only in code spans or escaped.

import { custodyText, liveText } from './custody-text.js';
import type { Finding } from '../core/finding.js';
import { STAGES } from '../core/finding.js';
import { formatLocation } from '../core/problem.js';
import type { IntegritySection, ScanReport, TimelineEvent } from '../core/report.js';
import { accountingLines } from './integrity-lines.js';
import { mdCode, mdText } from './escape.js';
import { markdownEvents } from './markdown-events.js';
import { groupFindings } from './groups.js';
import { whyOf, whyText } from './why.js';
import { STEP_COMMANDS } from './powershell.js';
import { VERDICT_HEADLINE, doNow, exposedLines, kindWords, whatHappened } from './summary.js';

const c = (s: string) => mdCode(s, true);
const t = mdText;
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);
const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const head = (cells: string[]) => [row(cells), row(cells.map(() => '---'))];

export function renderMarkdown(report: ScanReport): string {
  const ev = report.scan.evidence;
  const out: string[] = [
    `# exhunt report: ${report.verdict.toUpperCase()}`,
    '',
    `Evidence ${c(ev.root)} (${ev.kind}, ${report.scan.layout})${report.scan.host ? `, server ${c(report.scan.host.name)}` : ''}, scanned ${report.scan.finishedAt} by exhunt ${t(report.tool.version)}; report schema ${report.schemaVersion}.`,
    '',
    '## Summary',
    '',
    `**${VERDICT_HEADLINE[report.verdict]}.** ${t(report.explanation)}`,
    '',
    '### What happened',
    '',
    ...whatHappened(report).map((l) => `- ${t(l)}`),
    '',
    '### What was exposed',
    '',
  ];
  const exposed = exposedLines(report);
  if (exposed.lines.length === 0) out.push('Nothing in the evidence read shows data exposed.');
  else
    out.push(
      ...exposed.lines.map((l) => `- ${t(l)}`),
      ...(exposed.more ? [`- and ${exposed.more} more`] : []),
    );
  out.push('', '### What to do now', '', ...doNow(report).map((s, i) => `${i + 1}. ${t(s)}`), '');
  out.push(
    ...markdownEvents(report),
    ...findings(report),
    ...sessions(report),
    ...exposure(report),
    ...remediation(report),
    ...coverage(report),
  );
  return out.join('\n') + '\n';
}

function findings(report: ScanReport): string[] {
  const out = ['## Findings', ''];
  if (report.findings.length === 0) out.push('None.', '');
  const groups = groupFindings(report.findings);
  for (const stage of STAGES) {
    const gs = groups.get(stage);
    if (!gs) continue;
    out.push(`### ${stage}`, '');
    for (const fs of gs) {
      const f = fs[0] as Finding;
      const times = fs
        .map((x) => x.time)
        .filter((x): x is string => !!x)
        .sort();
      const ips = [...new Set(fs.flatMap((x) => x.sourceIps))];
      out.push(
        `- **${f.outcome}** ${f.severity} ${t(f.rule.title)}${fs.length > 1 ? ` ×${fs.length}` : ''}${times[0] ? `, ${times[0]}${times.length > 1 ? ` … ${times[times.length - 1]}` : ''}` : ''}${
          ips.length
            ? `, from ${ips
                .slice(0, 8)
                .map((i) => mdCode(i))
                .join(', ')}`
            : ''
        }`,
      );
      const e = f.evidence[0];
      if (e)
        out.push(
          `  - ${mdCode(e.line !== undefined ? `${e.path}:${e.line}` : e.path)}: ${mdCode(clip(e.excerpt, 300))}`,
        );
      if (f.note) out.push(`  - ${t(f.note)}`);
      for (const w of whyOf(fs)) out.push(`  - why: ${t(whyText(w))}`);
    }
    out.push('');
  }
  out.push(`## Webshells on disk (${report.webshells.length})`, '');
  if (report.webshells.length === 0) out.push('None found on disk.', '');
  else {
    out.push(...head(['Path', 'SHA-256', 'Size', 'Reasons', 'Requests']));
    for (const w of report.webshells)
      out.push(
        row([
          c(w.path),
          c(w.sha256),
          String(w.size),
          t(w.reasons.join('; ')),
          String(w.accessedBy?.length ?? 0),
        ]),
      );
    out.push('');
  }
  return out;
}

function timeline(events: readonly TimelineEvent[], withSession: boolean): string[] {
  const out = head([
    'Time (UTC)',
    ...(withSession ? ['Session'] : []),
    'Stage',
    'Outcome',
    'What',
    'Joined by',
  ]);
  for (const e of events)
    out.push(
      row([
        e.time ?? '',
        ...(withSession ? [e.session ?? 'unattributed'] : []),
        e.stage,
        e.outcome,
        c(clip(e.summary, 300)),
        e.joinedBy ?? '',
      ]),
    );
  return [...out, ''];
}

function sessions(report: ScanReport): string[] {
  const s = report.sessions;
  if (!s) return [];
  const out = [`## Attacker sessions (${s.list.length})`, ''];
  if (s.list.length > 0) {
    out.push(
      ...head(['Session', 'Outcome', 'First seen', 'Last seen', 'From', 'User agents', 'Stages', 'Findings']),
    );
    for (const x of s.list)
      out.push(
        row([
          x.id,
          x.outcome,
          x.firstSeen ?? '',
          x.lastSeen ?? '',
          x.addresses.map(c).join(' '),
          x.userAgents.map((u) => c(clip(u, 100))).join(' '),
          x.stages.map((st) => `${st.stage} (${st.outcome})`).join(', '),
          String(x.findings.length),
        ]),
      );
    out.push('');
  }
  for (const l of s.links)
    out.push(`- Linked by the same ${l.by} ${mdCode(clip(l.value, 160))}: ${l.sessions.join(', ')}`);
  for (const a of s.internalAddresses)
    out.push(`- Internal, not used to group: ${mdCode(a.address)} (${t(a.reason)})`);
  out.push('', `How sessions are built: ${t(s.rule)}`, '', '## Timeline', '');
  out.push(
    `Server: first attacker activity ${s.server.firstSeen ?? '—'}, last ${s.server.lastSeen ?? '—'}.`,
    '',
  );
  out.push(...head(['Stage', 'Outcome', 'First seen', 'Last seen', 'Sessions']));
  for (const st of s.server.stages)
    out.push(
      row([st.stage, st.outcome, st.firstSeen ?? '', st.lastSeen ?? '', (st.sessions ?? []).join(', ')]),
    );
  out.push('', '### Milestones', '', ...timeline(s.server.timeline, true));
  for (const x of s.list.filter((y) => y.outcome === 'success' || y.outcome === 'compromise'))
    out.push(`### Session ${x.id}`, '', ...timeline(x.timeline, false));
  return out;
}

function exposure(report: ScanReport): string[] {
  const d = report.dataExposure;
  if (!d) return [];
  const out = ['## What was exposed', ''];
  if (d.items.length === 0) out.push('Nothing in the evidence read shows data exposed.', '');
  else {
    out.push(...head(['What', 'Target', 'Confidence', 'Meaning', 'Sessions', 'Evidence']));
    for (const i of d.items)
      out.push(
        row([
          kindWords(i.kind),
          c(clip(i.target, 300)),
          `${i.confidence}: ${t(i.basis)}`,
          t(i.description),
          i.sessions.join(', '),
          i.evidence
            .slice(0, 2)
            .map((e) => c(e.line !== undefined ? `${e.path}:${e.line}` : e.path))
            .join(' '),
        ]),
      );
    out.push('');
  }
  if (d.cannotShow.length > 0)
    out.push('### What the evidence cannot show', '', ...d.cannotShow.map((x) => `- ${t(x)}`), '');
  return out;
}

function remediation(report: ScanReport): string[] {
  const r = report.remediation;
  if (!r) return [];
  const out = [
    '## Remediation plan',
    '',
    `In this order; steps marked *scripted* are carried out, reversibly, by the generated PowerShell script (a dry run unless \`-Apply\` is given).${r.build ? ` Server build ${mdCode(r.build)}.` : ''}`,
    '',
  ];
  for (const s of r.steps) {
    out.push(
      `### ${s.order}. ${t(s.title)} (${s.phase}${s.scripted ? ', scripted' : ''})`,
      '',
      t(s.why),
      '',
      ...s.actions.map((a) => `- ${t(a)}`),
      '',
    );
    if (s.targets.length > 0) {
      out.push(...head(['Target', 'On the server', 'SHA-256', 'Detail']));
      for (const x of s.targets)
        out.push(
          row([
            `${x.kind}: ${c(clip(x.value, 300))}`,
            x.serverPath ? c(x.serverPath) : '',
            x.sha256 ? c(x.sha256) : '',
            t(x.detail ?? ''),
          ]),
        );
      out.push('');
    }
    const cmds = STEP_COMMANDS[s.id];
    if (cmds) out.push('```powershell', ...cmds, '```', '');
  }
  return out;
}

function integrity(i: IntegritySection): string[] {
  const out = ['', `## Evidence read${i.complete ? '' : ' (incomplete)'}`, ''];
  out.push(...accountingLines(i).map((l) => `- ${t(l)}`));
  const lowering = i.losses.filter((e) => e.lowers);
  if (lowering.length > 0) {
    out.push('', `Lost, lowering the verdict (${lowering.length}):`, '');
    for (const e of lowering.slice(0, 100))
      out.push(`- ${e.loss} ${mdCode(e.first)} ${e.codes.join(' ')}: ${t(e.message)}`);
  }
  for (const g of i.gaps.filter((x) => x.lowers))
    out.push(`- missing logs while exposed: ${t(g.family)} ${g.from} to ${g.to} (${g.days} days)`);
  return out;
}

function coverage(report: ScanReport): string[] {
  const out = ['## Coverage', ''];
  out.push(...head(['Log family', 'Files', 'Records', 'From', 'To', 'Days missing']));
  for (const x of report.coverage)
    out.push(
      row([
        t(x.family),
        String(x.files),
        String(x.records),
        x.firstTime ?? '',
        x.lastTime ?? '',
        (x.gaps ?? []).map((g) => (g.from === g.to ? g.from : `${g.from} to ${g.to}`)).join(', '),
      ]),
    );
  if (report.integrity) out.push(...integrity(report.integrity));
  if (report.custody) out.push('', '### Chain of custody', '', t(custodyText(report.custody)));
  if (report.scan.live) out.push('', '### Live scan', '', t(liveText(report.scan.live)));
  out.push('', `## Problems (${report.problems.length})`, '');
  for (const p of report.problems.slice(0, 100))
    out.push(`- ${p.severity} ${p.code} ${mdCode(formatLocation(p))}: ${t(p.message)}`);
  return [...out, ''];
}

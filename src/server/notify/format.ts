// What a notification says, in each channel's words: an e-mail subject and body, an RFC 5424 syslog line
// with a JSON or CEF message. Server names and explanations come from evidence: control characters are
// removed wherever a line or header could be broken by them.

import os from 'node:os';
import { visible } from '../../report/escape.js';

export interface NotifyPayload {
  step?: { id: number; title: string; phase: string | null; status: string; since: string; due: string };
  event: string;
  at: string;
  server?: { id: number; name: string };
  scan?: { id: number; finishedAt: string };
  verdict?: string;
  previousVerdict?: string | null;
  explanation?: string;
  organisation?: string;
  message?: string;
  /** `agent.silent`: the agent's id and its last heartbeat. */
  agent?: string;
  lastContact?: string;
  /** `retrohunt.hit`: the hunt, what ran again, and the new findings on the server. */
  retrohunt?: { id: number; trigger: { kind: string; id: number; name: string } };
  hits?: { ruleId: string; title: string; author: string; firstAt: string | null; lastAt: string | null }[];
  moreHits?: number;
  /** campaign.new / campaign.grown: the cluster (label = its strongest indicator, attacker text). */
  campaign?: {
    id: number;
    label: string;
    victims: number;
    indicators: number;
    firstSeen: string;
    lastSeen: string;
    stages: string[];
    cves: string[];
  };
  /** The organisation's own servers the cluster reached since it was last told. */
  newVictims?: { server: { id: number; name: string }; verdict: string | null; firstSeen: string | null }[];
}

const isCampaign = (p: NotifyPayload) => p.event === 'campaign.new' || p.event === 'campaign.grown';

/**
 * One line of plain text, bounded: controls and the characters that reorder or hide text are shown as
 * `\xNN` / `\uNNNN` (the reports' `visible`), so no header, subject or syslog line can be split or disguised.
 */
export function oneLine(s: unknown, max = 200): string {
  const text = typeof s === 'string' ? s : s === undefined || s === null ? '' : JSON.stringify(s);
  const t = visible(text).trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

export function headline(p: NotifyPayload): string {
  if (p.event === 'test') return 'exhunt: test notification';
  if (p.event === 'remediation.overdue')
    return `exhunt: overdue on ${oneLine(p.server?.name ?? 'a server', 100)}: ${oneLine(p.step?.title, 120)}`;
  if (isCampaign(p)) {
    const what = p.event === 'campaign.new' ? 'new campaign' : 'campaign grew';
    return `exhunt: ${what}, ${p.campaign?.victims ?? '?'} servers: ${oneLine(p.campaign?.label, 120)}`;
  }
  const name = oneLine(p.server?.name ?? 'a server', 100);
  if (p.event === 'agent.silent') return `exhunt: the agent on ${name} went silent`;
  if (p.event === 'retrohunt.hit')
    return `exhunt: retro-hunt ${p.retrohunt?.id ?? '?'} found ${(p.hits?.length ?? 0) + (p.moreHits ?? 0)} new hit(s) on ${name}`;
  return `exhunt: ${name} is ${oneLine(p.verdict, 20)}`;
}

export function mailText(p: NotifyPayload, dashboard?: string): string {
  const lines = [headline(p), ''];
  if (p.event === 'test') lines.push(oneLine(p.message ?? 'This channel works.', 500));
  else if (p.event === 'remediation.overdue' && p.step) {
    lines.push(`Server: ${oneLine(p.server?.name)}`);
    lines.push(
      `Step: ${oneLine(p.step.title, 500)} (checklist item ${p.step.id}, ${oneLine(p.step.phase ?? 'no phase')})`,
    );
    lines.push(
      `Status: ${oneLine(p.step.status)} since ${oneLine(p.step.since)}; due ${oneLine(p.step.due)}`,
    );
  } else if (p.event === 'agent.silent') {
    lines.push(`Server: ${oneLine(p.server?.name)}`);
    lines.push(`Agent: ${oneLine(p.agent)}, last heartbeat ${oneLine(p.lastContact)}`);
    lines.push('', "Stopping the watcher is often an intruder's first move: check the server.");
  } else if (p.event === 'retrohunt.hit' && p.retrohunt) {
    const t = p.retrohunt.trigger;
    lines.push(`Server: ${oneLine(p.server?.name)}`);
    lines.push(`Retro-hunt ${p.retrohunt.id} with ${oneLine(t.kind)} ${t.id} (${oneLine(t.name)})`);
    for (const h of p.hits ?? [])
      lines.push(
        `- ${oneLine(h.title, 300)} [${oneLine(h.ruleId, 120)}, by ${oneLine(h.author, 100)}] ${oneLine(h.firstAt ?? '?')} .. ${oneLine(h.lastAt ?? '?')}`,
      );
    if (p.moreHits) lines.push(`... and ${p.moreHits} more`);
    if (dashboard) lines.push('', `${dashboard}/retrohunts/${p.retrohunt.id}`);
  } else if (isCampaign(p) && p.campaign) {
    const c = p.campaign;
    lines.push(`Campaign: ${oneLine(c.label, 500)} (cluster ${c.id}, ${c.indicators} indicators)`);
    lines.push(`Servers reached: ${c.victims}; seen ${oneLine(c.firstSeen)} to ${oneLine(c.lastSeen)}`);
    if (c.stages.length) lines.push(`Stages: ${oneLine(c.stages.join(', '), 500)}`);
    if (c.cves.length) lines.push(`CVEs: ${oneLine(c.cves.join(', '), 500)}`);
    lines.push('', p.event === 'campaign.new' ? 'Servers:' : 'Newly reached:');
    for (const v of p.newVictims ?? [])
      lines.push(`- ${oneLine(v.server.name)} (${oneLine(v.verdict ?? 'no verdict')}), first seen ${oneLine(v.firstSeen ?? '?')}`); // prettier-ignore
    if (dashboard) lines.push('', `${dashboard}/campaigns/${c.id}`);
  } else {
    lines.push(`Server: ${oneLine(p.server?.name)}`);
    lines.push(`Verdict: ${oneLine(p.verdict)} (before: ${oneLine(p.previousVerdict ?? 'none')})`);
    lines.push(`Scan: ${p.scan?.id ?? '?'}, finished ${oneLine(p.scan?.finishedAt)}`);
    lines.push('', oneLine(p.explanation, 2000));
    if (dashboard && p.server) lines.push('', `${dashboard}/servers/${p.server.id}`);
  }
  lines.push('', `Sent at ${p.at} by exhunt.`);
  return lines.join('\n') + '\n';
}

/** RFC 5424 severity: 2 critical, 3 error, 6 informational. */
function severityOf(p: NotifyPayload): number {
  if (p.event === 'remediation.overdue' || p.event === 'agent.silent' || p.event === 'retrohunt.hit')
    return 4;
  if (isCampaign(p)) return 3;
  return p.verdict === 'compromised' ? 2 : p.verdict === 'exploited' ? 3 : 6;
}

/** CEF header fields escape `\` and `|`; extension values escape `\`, `=` and line ends. */
const cefHead = (s: unknown) => oneLine(s).replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
const cefValue = (s: unknown, max = 1000) => oneLine(s, max).replace(/\\/g, '\\\\').replace(/=/g, '\\=');

export function cefMessage(p: NotifyPayload, version: string): string {
  const sev = p.verdict === 'compromised' ? 10 : p.verdict === 'exploited' ? 8 : p.campaign ? 8 : p.step || p.retrohunt ? 5 : 1; // prettier-ignore
  const ext = [
    p.campaign
      ? `cn3Label=campaignId cn3=${p.campaign.id} cs4Label=campaign cs4=${cefValue(p.campaign.label)} cn1Label=victims cn1=${p.campaign.victims}` // prettier-ignore
      : '',
    p.newVictims?.length ? `cs5Label=newServers cs5=${cefValue(p.newVictims.map((v) => v.server.name).join(', '))}` : '', // prettier-ignore
    p.server ? `dvchost=${cefValue(p.server.name)}` : '',
    p.verdict ? `cs1Label=verdict cs1=${cefValue(p.verdict)}` : '',
    p.previousVerdict ? `cs2Label=previousVerdict cs2=${cefValue(p.previousVerdict)}` : '',
    p.scan ? `cn1Label=scanId cn1=${p.scan.id}` : '',
    p.retrohunt
      ? `cn3Label=retrohuntId cn3=${p.retrohunt.id} cs4Label=hits cs4=${cefValue((p.hits ?? []).map((h) => h.ruleId).join(','))}`
      : '',
    p.step ? `cn2Label=checklistItem cn2=${p.step.id} cs3Label=step cs3=${cefValue(p.step.title)}` : '',
    `rt=${Date.parse(p.at) || Date.now()}`,
    p.explanation ? `msg=${cefValue(p.explanation)}` : p.message ? `msg=${cefValue(p.message)}` : '',
  ].filter(Boolean);
  return `CEF:0|exhunt|exhunt|${cefHead(version)}|${cefHead(p.event)}|${cefHead(headline(p))}|${sev}|${ext.join(' ')}`;
}

/** `<PRI>1 TIMESTAMP HOSTNAME exhunt PROCID MSGID - MSG`, facility local0. */
export function syslogLine(p: NotifyPayload, format: 'json' | 'cef', version: string): string {
  const pri = 16 * 8 + severityOf(p);
  const host = oneLine(os.hostname(), 255).replace(/\s/g, '') || '-';
  const msgid = oneLine(p.event, 32).replace(/\s/g, '') || '-';
  const msg = format === 'cef' ? cefMessage(p, version) : JSON.stringify(p);
  return `<${pri}>1 ${p.at} ${host} exhunt ${process.pid} ${msgid} - ${msg}`;
}

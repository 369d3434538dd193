// The HTML report's incident sections: sessions, timeline, exposure and the remediation plan.

import type { RemediationStep, ScanReport, TimelineEvent } from '../core/report.js';
import { clip, lines, markup } from './html-kit.js';
import type { Html } from './html-kit.js';
import { STEP_COMMANDS } from './powershell.js';
import { kindWords } from './summary.js';

export const badge = (cls: string, text: string) => markup`<span class="badge ${cls}">${text}</span>`;
export const at = (path: string, line?: number) => (line !== undefined ? `${path}:${line}` : path);

export function sessionsSection(report: ScanReport): Html {
  const s = report.sessions;
  if (!s)
    return markup`<section id="sessions">
      <h2>Attacker sessions</h2>
      <p>Not in this report.</p>
    </section>`;
  return markup`<section id="sessions">
    <h2>Attacker sessions (${s.list.length})</h2>
    ${
      s.list.length === 0
        ? markup`<p>No attacker activity.</p>`
        : markup`<table>
            <tr>
              <th>Session</th>
              <th>First seen</th>
              <th>Last seen</th>
              <th>From</th>
              <th>User agents</th>
              <th>Stages reached</th>
              <th>Webshells</th>
              <th>Findings</th>
            </tr>
            ${s.list.map(
              (x) =>
                markup`<tr id="${x.id}">
                  <td>${x.id} ${badge(`o-${x.outcome}`, x.outcome)}</td>
                  <td class="nowrap">${short(x.firstSeen)}</td>
                  <td class="nowrap">${short(x.lastSeen)}</td>
                  <td>${x.addresses.join(', ')}</td>
                  <td>${x.userAgents.map((u) => markup`<code>${clip(u, 120)}</code> `)}</td>
                  <td>${x.stages.map((st) => markup`${badge(`o-${st.outcome}`, st.stage)} `)}</td>
                  <td>${x.webshells.map((w) => markup`<code>${w}</code> `)}</td>
                  <td>${x.findings.length}</td>
                </tr>`,
            )}
          </table>`
    }
    ${
      s.links.length > 0
        ? markup`<h3>Linked sessions</h3>
            <ul>
              ${s.links.map((l) => markup`<li>same ${l.by} <code>${clip(l.value, 160)}</code>: ${l.sessions.join(', ')}</li>`)}
            </ul>`
        : ''
    }
    ${
      s.internalAddresses.length > 0
        ? markup`<h3>Internal addresses, not used to group</h3>
            <ul>
              ${s.internalAddresses.map((a) => markup`<li><code>${a.address}</code>: ${a.reason}</li>`)}
            </ul>`
        : ''
    }
    <p class="small muted">How sessions are built: ${s.rule}</p>
    ${s.unattributed.length > 0 ? markup`<p class="small">${s.unattributed.length} finding(s) could not be tied to a session; they are in the server timeline.</p>` : ''}
  </section>`;
}

function timelineTable(events: readonly TimelineEvent[], withSession: boolean): Html {
  return markup`<table>
    <tr>
      <th>Time (UTC)</th>
      ${withSession ? markup`<th>Session</th>` : ''}
      <th>Stage</th>
      <th>Outcome</th>
      <th>What</th>
      <th>Joined by</th>
    </tr>
    ${events.map(
      (e) =>
        markup`<tr>
          <td class="nowrap">${e.time ?? ''}</td>
          ${withSession ? markup`<td>${e.session ?? 'unattributed'}</td>` : ''}
          <td class="nowrap">${e.stage}</td>
          <td>${badge(`o-${e.outcome}`, e.outcome)}</td>
          <td><code>${clip(e.summary, 400)}</code></td>
          <td class="small">${e.joinedBy ?? ''}</td>
        </tr>`,
    )}
  </table>`;
}

export function timelineSection(report: ScanReport): Html {
  const s = report.sessions;
  if (!s) return markup``;
  const detailed = s.list.filter((x) => x.outcome === 'success' || x.outcome === 'compromise');
  return markup`<section id="timeline">
    <h2>Timeline</h2>
    <p>Server: first attacker activity ${s.server.firstSeen ?? '—'}, last ${s.server.lastSeen ?? '—'}.</p>
    <table>
      <tr>
        <th>Stage</th>
        <th>Outcome</th>
        <th>First seen</th>
        <th>Last seen</th>
        <th>Sessions</th>
        <th>Findings</th>
      </tr>
      ${s.server.stages.map(
        (st) =>
          markup`<tr>
            <td>${st.stage}</td>
            <td>${badge(`o-${st.outcome}`, st.outcome)}</td>
            <td class="nowrap">${short(st.firstSeen)}</td>
            <td class="nowrap">${short(st.lastSeen)}</td>
            <td>${(st.sessions ?? []).join(', ')}</td>
            <td>${st.findings}</td>
          </tr>`,
      )}
    </table>
    <h3>Milestones</h3>
    ${timelineTable(s.server.timeline, true)}
    ${s.server.timelineOmitted ? markup`<p class="small muted">${s.server.timelineOmitted} more in the JSON report.</p>` : ''}
    ${detailed.map(
      (x) =>
        markup`<h3>Session ${x.id}: ${x.addresses.join(', ') || 'no address'}</h3>
          ${timelineTable(x.timeline, false)}${x.timelineOmitted ? markup`<p class="small muted">${x.timelineOmitted} more events in the JSON report.</p>` : ''}`,
    )}
  </section>`;
}

export function exposureSection(report: ScanReport): Html {
  const d = report.dataExposure;
  if (!d) return markup``;
  return markup`<section id="exposure">
    <h2>What was exposed</h2>
    ${
      d.items.length === 0
        ? markup`<p>Nothing in the evidence read shows data exposed.</p>`
        : markup`<table>
            <tr>
              <th>What</th>
              <th>Target</th>
              <th>Confidence</th>
              <th>Meaning</th>
              <th>Sessions</th>
              <th>Evidence</th>
            </tr>
            ${d.items.map(
              (i) =>
                markup`<tr>
                  <td>${kindWords(i.kind)}</td>
                  <td><code>${clip(i.target, 400)}</code></td>
                  <td>
                    ${badge(`c-${i.confidence}`, i.confidence)}<br /><span class="small muted"
                      >${i.basis}</span
                    >
                  </td>
                  <td>${i.description}</td>
                  <td>${i.sessions.join(', ')}</td>
                  <td class="small">
                    ${i.evidence.slice(0, 3).map((e) => markup`<code>${at(e.path, e.line)}</code><br />`)}${i.findings.length}
                    finding(s)
                  </td>
                </tr>`,
            )}
          </table>`
    }
    ${
      d.cannotShow.length > 0
        ? markup`<h3>What the evidence cannot show</h3>
            <ul>
              ${d.cannotShow.map((c) => markup`<li>${c}</li>`)}
            </ul>`
        : ''
    }
  </section>`;
}

export function remediationSection(report: ScanReport): Html {
  const r = report.remediation;
  if (!r) return markup``;
  return markup`<section id="remediation">
    <h2>Remediation plan</h2>
    <p>
      In this order. Steps marked <em>scripted</em> are carried out, reversibly, by the generated PowerShell
      script (a dry run unless <code>-Apply</code> is
      given).${r.build ? markup` Server build: <code>${r.build}</code>.` : ''}
    </p>
    ${r.steps.map(step)}
  </section>`;
}

export function step(s: RemediationStep): Html {
  const cmds = STEP_COMMANDS[s.id] ?? [];
  return markup`<div class="step p-${s.phase}">
    <h3>
      ${s.order}. ${s.title}
      <span class="badge">${s.phase}</span>${s.scripted ? markup` <span class="badge">scripted</span>` : ''}
    </h3>
    <p>${s.why}</p>
    <ul>
      ${s.actions.map((a) => markup`<li>${a}</li>`)}
    </ul>
    ${s.targets.length > 0 ? targetTable(s) : ''}
    ${cmds.length > 0 ? markup`<pre>${lines(cmds)}</pre>` : ''}
  </div>`;
}

function targetTable(s: RemediationStep): Html {
  const where = s.targets.some((t) => t.serverPath && t.serverPath !== t.value);
  const hash = s.targets.some((t) => t.sha256);
  return markup`<table>
    <tr>
      <th>Target</th>
      ${where ? markup`<th>On the server</th>` : ''}${hash ? markup`<th>SHA-256</th>` : ''}
      <th>Detail</th>
    </tr>
    ${s.targets.map(
      (t) =>
        markup`<tr>
          <td>${t.kind}: <code>${clip(t.value, 300)}</code></td>
          ${where ? markup`<td>${t.serverPath ? markup`<code>${t.serverPath}</code>` : ''}</td>` : ''}${hash ? markup`<td>${t.sha256 ? markup`<code>${t.sha256}</code>` : ''}</td>` : ''}
          <td>${t.detail ?? ''}</td>
        </tr>`,
    )}
  </table>`;
}

/** `2021-03-03 06:49:42Z`: short enough for a table cell, exact to the second. */
const short = (t: string | undefined) => (t ? t.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '');

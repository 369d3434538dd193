// The HTML report's technical detail: findings by stage and rule, webshells on disk, coverage and problems.

import { custodyText, liveText } from './custody-text.js';
import type { Finding } from '../core/finding.js';
import { STAGES } from '../core/finding.js';
import { formatLocation } from '../core/problem.js';
import { accountingLines, SKIP_REASON, size } from './integrity-lines.js';
import type { IntegritySection, ScanReport } from '../core/report.js';
import { at, badge } from './html-sections.js';
import { clip, markup } from './html-kit.js';
import type { Html } from './html-kit.js';
import { groupFindings } from './groups.js';
import { whyOf, whyText } from './why.js';

export function findingsSection(report: ScanReport): Html {
  const groups = groupFindings(report.findings);
  return markup`<section id="findings">
    <h2>Findings (${report.findings.length})</h2>
    ${report.findings.length === 0 ? markup`<p>None.</p>` : ''}
    ${STAGES.filter((s) => groups.has(s)).map(
      (stage) =>
        markup`<h3>${stage}</h3>
          ${(groups.get(stage) ?? []).map(findingGroup)}`,
    )}
    <h2>Webshells on disk (${report.webshells.length})</h2>
    ${
      report.webshells.length === 0
        ? markup`<p>None found on disk.</p>`
        : markup`<table>
            <tr>
              <th>Path</th>
              <th>SHA-256</th>
              <th>Size</th>
              <th>Modified</th>
              <th>Reasons</th>
              <th>Requests</th>
            </tr>
            ${report.webshells.map(
              (w) =>
                markup`<tr>
                  <td><code>${w.path}</code></td>
                  <td><code>${w.sha256}</code></td>
                  <td>${w.size}</td>
                  <td>${w.modified ?? ''}</td>
                  <td>${w.reasons.join('; ')}</td>
                  <td>${w.accessedBy?.length ?? 0}</td>
                </tr>`,
            )}
          </table>`
    }
  </section>`;
}

function findingGroup(fs: Finding[]): Html {
  const f = fs[0] as Finding;
  const times = fs
    .map((x) => x.time)
    .filter((t): t is string => !!t)
    .sort();
  const ips = [...new Set(fs.flatMap((x) => x.sourceIps))];
  const span =
    times.length === 0 ? '' : times.length === 1 ? times[0] : `${times[0]} … ${times[times.length - 1]}`;
  return markup`<div class="finding">
    <h4>
      ${badge(`o-${f.outcome}`, f.outcome)} ${f.severity} ·
      ${f.rule.title}${fs.length > 1 ? ` ×${fs.length}` : ''}
    </h4>
    <p class="small muted">
      ${span}${f.cves.length ? ` · ${f.cves.join(' ')}` : ''}${ips.length ? ` · from ${ips.slice(0, 8).join(', ')}${ips.length > 8 ? ` (+${ips.length - 8})` : ''}` : ''}
      · rule ${f.rule.id} by ${f.rule.author} (${f.rule.source})
    </p>
    ${f.note ? markup`<p class="note small">${f.note}</p>` : ''}
    ${whyOf(fs).map((w) => markup`<p class="note small">why: ${whyText(w)}</p>`)}
    ${fs.slice(0, 3).map((x) => {
      const e = x.evidence[0];
      return e
        ? markup`<p class="small"><code>${at(e.path, e.line)}</code></p>
            <pre>${clip(e.excerpt, 600)}</pre>`
        : '';
    })}${fs.length > 3 ? markup`<p class="small muted">${fs.length - 3} more in the JSON report.</p>` : ''}
  </div>`;
}

function integritySection(i: IntegritySection): Html {
  const lowering = i.losses.filter((e) => e.lowers);
  const gaps = i.gaps.filter((g) => g.lowers);
  return markup`<h2 id="integrity">Evidence read${i.complete ? '' : ' (incomplete)'}</h2>
    <ul class="small">
      ${accountingLines(i).map((l) => markup`<li>${l}</li>`)}
    </ul>
    ${
      lowering.length === 0
        ? markup`<p class="small">Nothing the verdict depends on was lost.</p>`
        : markup`<h3>Lost, lowering the verdict (${lowering.length})</h3>
          <table>
            <tr><th>Where</th><th>Lost</th><th>Problems</th><th>First</th></tr>
            ${lowering
              .slice(0, 200)
              .map(
                (e) =>
                  markup`<tr><td><code>${e.first}</code></td><td>${e.loss}${e.records ? ` (${e.records} records)` : ''}</td><td>${e.codes.join(' ')} (${e.problems})</td><td>${e.message}</td></tr>`,
              )}
          </table>`
    }
    ${
      gaps.length === 0
        ? ''
        : markup`<h3>Missing logs while the server was exposed</h3><p>
          ${gaps.map((g) => `${g.family} ${g.from === g.to ? g.from : `${g.from} to ${g.to}`} (${g.days} days)`).join('; ')}</p>`
    }
    ${
      i.skipped.length === 0
        ? ''
        : markup`<h3>Files skipped</h3><ul class="small">
          ${i.skipped.map((g) => markup`<li>${g.files} ${SKIP_REASON[g.reason]} (${size(g.bytes)}), e.g. ${g.examples.slice(0, 5).join(', ')}</li>`)}
        </ul>`
    }`;
}

export function appendix(report: ScanReport): Html {
  const s = report.stats;
  return markup`<section id="coverage">
    <h2>Coverage</h2>
    ${
      report.coverage.length === 0
        ? markup`<p>No logs found.</p>`
        : markup`<table>
            <tr>
              <th>Log family</th>
              <th>Files</th>
              <th>Records</th>
              <th>From</th>
              <th>To</th>
              <th>Days missing</th>
            </tr>
            ${report.coverage.map(
              (c) =>
                markup`<tr>
                  <td>${c.family}</td>
                  <td>${c.files}</td>
                  <td>${c.records}</td>
                  <td>${c.firstTime ?? ''}</td>
                  <td>${c.lastTime ?? ''}</td>
                  <td>${(c.gaps ?? []).map((g) => (g.from === g.to ? g.from : `${g.from} to ${g.to}`)).join(', ')}</td>
                </tr>`,
            )}
          </table>`
    }
    ${report.integrity ? integritySection(report.integrity) : ''}
    ${report.custody ? markup`<h3>Chain of custody</h3><p>${custodyText(report.custody)}</p>` : ''}
    ${report.scan.live ? markup`<h3>Live scan</h3><p>${liveText(report.scan.live)}</p>` : ''}
    <p class="small">
      Read ${s.artifacts} artifacts, ${(s.bytes / 1e6).toFixed(1)} MB, ${s.records} records (${s.badRecords}
      unreadable). Sigma rules: ${report.rules.loaded} loaded, ${report.rules.skipped.length} skipped.
    </p>
    <h2>Problems (${report.problems.length})</h2>
    ${
      report.problems.length === 0
        ? markup`<p>None.</p>`
        : markup`<ul class="small">
              ${report.problems.slice(0, 100).map((p) => markup`<li>${p.severity} ${p.code} <code>${formatLocation(p)}</code>: ${p.message}</li>`)}
            </ul>
            ${report.problems.length > 100 ? markup`<p class="small muted">${report.problems.length - 100} more in the JSON report.</p>` : ''}`
    }
  </section>`;
}

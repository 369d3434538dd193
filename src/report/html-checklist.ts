// The hand-off report's own parts: who it is for, and the remediation plan as the dashboard's checklist has
// it (each step with the status someone marked, by whom and when), so the client reads what the dashboard shows.

import type { RemediationStep, ScanReport } from '../core/report.js';
import { markup } from './html-kit.js';
import type { Html } from './html-kit.js';
import { step } from './html-sections.js';

/** One item of a server's remediation checklist, as the dashboard lists it. */
export interface ChecklistEntry {
  /** The step's id in the report (`quarantine-files`), the key the remediation script names. */
  key: string;
  title: string;
  status: 'open' | 'in-progress' | 'done' | 'wont-fix';
  /** `kind:id:name` of who set the status, null while nobody has. */
  updatedBy: string | null;
  updatedAt: string;
  /** The scan that last listed the step. */
  scanId: number;
  /** The step as that scan's report had it, when it has the report's shape. */
  detail: unknown;
}

export interface Handoff {
  organisation: string;
  server: string;
  scanId: number;
  /** As the dashboard counts them (every finding of the scan). */
  findings: number;
  /** When the file was made (UTC). */
  generatedAt: string;
  checklist: ChecklistEntry[];
}

/** The dashboard's words for the statuses. */
const STATUS_TEXT: Record<ChecklistEntry['status'], string> = {
  open: 'open',
  'in-progress': 'in progress',
  done: 'done',
  'wont-fix': 'set aside',
};

export function handoffHeader(report: ScanReport, h: Handoff): Html {
  const findings = `${h.findings} ${h.findings === 1 ? 'finding' : 'findings'}`;
  return markup`<section class="handoff" aria-label="Prepared for">
    <p>
      Prepared for <strong class="org">${h.organisation}</strong> · server <strong>${h.server}</strong> ·
      verdict <strong>${report.verdict}</strong> · ${findings} · scan ${h.scanId} · made ${h.generatedAt}
    </p>
  </section>`;
}

/** The dashboard's order: by the step's place in the plan, steps without one last, then as listed. */
function checklistOrder(items: readonly ChecklistEntry[]): ChecklistEntry[] {
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => orderOf(a.item) - orderOf(b.item) || a.i - b.i)
    .map((x) => x.item);
}

function orderOf(i: ChecklistEntry): number {
  const d = i.detail as { order?: unknown } | null;
  return d && typeof d === 'object' && typeof d.order === 'number' ? d.order : 1e9;
}

function asStep(i: ChecklistEntry): RemediationStep | undefined {
  const d = i.detail as Partial<RemediationStep> | null;
  if (!d || typeof d !== 'object') return undefined;
  if (typeof d.why !== 'string' || !Array.isArray(d.actions) || !Array.isArray(d.targets)) return undefined;
  return { order: orderOf(i), id: i.key, phase: 'contain', scripted: false, ...d } as RemediationStep;
}

/** `kind:id:name` → the name, as the dashboard shows it (a token's with its kind). */
function who(actor: string): string {
  const [kind, , ...name] = actor.split(':');
  const n = name.join(':');
  return kind === 'user' ? n : `${n} (${kind})`;
}

export function checklistSection(h: Handoff): Html {
  const items = checklistOrder(h.checklist);
  const done = items.filter((i) => i.status === 'done' || i.status === 'wont-fix').length;
  return markup`<section id="remediation">
    <h2>Remediation plan and progress</h2>
    ${
      items.length === 0
        ? markup`<p>The reports of this server list no remediation steps.</p>`
        : markup`<p class="progress">${done} of ${items.length} steps done or set aside, as marked in the dashboard
            at ${h.generatedAt}.</p>`
    }
    ${items.map((i) => {
      const s = asStep(i);
      return markup`<div class="checklist-item status-${i.status}" data-step="${i.key}">
        <p class="status">
          <span class="badge">${STATUS_TEXT[i.status]}</span>
          ${i.updatedBy ? markup` ${STATUS_TEXT[i.status]} — ${who(i.updatedBy)}, ${i.updatedAt}` : ''}
          <span class="muted small">checklist item ${i.key}${i.scanId !== h.scanId ? markup`, listed by an earlier scan (${i.scanId})` : ''}</span>
        </p>
        ${s ? step(s) : markup`<h3>${i.title}</h3>`}
      </div>`;
    })}
  </section>`;
}

/** The report with the steps marked done or set aside left out: what "What to do now" still lists. */
export function openStepsOnly(report: ScanReport, h: Handoff): ScanReport {
  const r = report.remediation;
  if (!r) return report;
  const closed = new Set(
    h.checklist.filter((i) => i.status === 'done' || i.status === 'wont-fix').map((i) => i.key),
  );
  return { ...report, remediation: { ...r, steps: r.steps.filter((s) => !closed.has(s.id)) } };
}

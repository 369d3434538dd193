// A server's page: the verdict and why, then tabs for the timeline, findings, webshells, what was exposed,
// patching, the remediation checklist, scan history with diffs, and downloads. Tab and scan are in the address.

import { useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { useApi } from '../api/hooks.js';
import type { ScanDetails, ServerView } from '../api/types.js';
import { VerdictBadge } from '../components/Badge.js';
import { FindingDetail } from '../components/FindingDetail.js';
import { ErrorBox, Loading } from '../components/Status.js';
import { count, utc } from '../format.js';
import { Link, useParam } from '../router.js';
import { useTitle } from '../title.js';
import { ServerAgents } from './Agents.js';
import { DataExposedTab } from './server/DataExposedTab.js';
import { DownloadsTab } from './server/DownloadsTab.js';
import { EvidenceTab } from './server/EvidenceTab.js';
import { EventsTab } from './server/EventsTab.js';
import { FindingsTab } from './server/FindingsTab.js';
import { HandoffDownloads } from './server/HandoffDownloads.js';
import { HistoryTab } from './server/HistoryTab.js';
import { PatchingTab } from './server/PatchingTab.js';
import { RemediationTab } from './server/RemediationTab.js';
import { TimelineTab } from './server/TimelineTab.js';
import { WebshellsTab } from './server/WebshellsTab.js';

const TABS = [
  ['timeline', 'Timeline'],
  ['events', 'Events'],
  ['findings', 'Findings'],
  ['webshells', 'Webshells'],
  ['exposed', 'Data exposed'],
  ['patching', 'Patching'],
  ['remediation', 'Remediation'],
  ['evidence', 'Evidence read'],
  ['history', 'History'],
  ['downloads', 'Downloads'],
] as const;
type Tab = (typeof TABS)[number][0];
const DECISIVE_SHOWN = 5;

export function ServerPage({ id }: { id: number }) {
  const server = useApi('/servers/:id', `/servers/${id}`);
  const [scanParam] = useParam('scan');
  const scanId = scanParam ? Number(scanParam) : server.data?.latestScanId;
  const details = useApi('/scans/:id/details', scanId ? `/scans/${scanId}/details` : null);
  useTitle(server.data ? `${server.data.name}` : 'Server');
  if (server.error) return <ErrorBox error={server.error} />;
  if (!server.data) return <Loading what="Loading the server" />;
  const s = server.data;
  return (
    <>
      <div className="page-head">
        <h1>
          {s.name}{' '}
          <span className="muted small">
            <Link to={`/orgs/${encodeURIComponent(s.organisation.name)}`}>{s.organisation.name}</Link>
          </span>
        </h1>
      </div>
      <TriagePanel triage={s.triage} />
      <ServerAgents serverId={s.id} {...(scanId ? { shownScan: scanId } : {})} />
      {!scanId ? (
        <p className="muted">No scan yet: an uploaded bundle may still be queued or running.</p>
      ) : details.error ? (
        <ErrorBox error={details.error} />
      ) : !details.data ? (
        <Loading what="Loading the scan" />
      ) : details.data.scan.serverId !== s.id ? (
        <p className="error" role="alert">
          Scan {details.data.scan.id} is of another server.
        </p>
      ) : (
        <ScanView d={details.data} server={s} />
      )}
    </>
  );
}

/** Why the server stands where it does in "Needs action first": each reason with the facts behind it. */
function TriagePanel({ triage }: { triage: ServerView['triage'] }) {
  return (
    <section className="triage-panel" aria-labelledby="triage-h">
      <h2 id="triage-h" className="small">
        Triage score {triage.score}
      </h2>
      {triage.reasons.length === 0 ? (
        <p className="muted small">Nothing to act on.</p>
      ) : (
        <ul className="plain-list small">
          {triage.reasons.map((r) => (
            <li key={r.code} data-code={r.code}>
              <span className={`reason reason-${r.code}`}>
                <span className="weight">+{r.weight}</span> {r.text}
              </span>{' '}
              <span className="muted">{r.detail}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ScanView({ d, server }: { d: ScanDetails; server: ServerView }) {
  const [tabParam, setTab] = useParam('tab');
  const tab: Tab = TABS.some(([t]) => t === tabParam) ? (tabParam as Tab) : 'timeline';
  const { scan, report } = d;
  const latest = scan.id === server.latestScanId;
  return (
    <>
      <section className={`verdict-panel verdict-${scan.verdict}`} aria-labelledby="verdict-h">
        <h2 id="verdict-h">
          <VerdictBadge verdict={scan.verdict} />
          <span className="visually-hidden"> verdict</span>
        </h2>
        <p className="explanation">{scan.explanation}</p>
        {report.integrity && !report.integrity.complete ? (
          <p className="error">
            Evidence incomplete: {count(report.integrity.losses.filter((e) => e.lowers).length, 'part')} lost
            {report.integrity.gaps.some((g) => g.lowers) ? ', days of logs missing' : ''}.{' '}
            <Link to="?tab=evidence">What was not read</Link>
          </p>
        ) : null}
        <DecisiveEvidence scanId={scan.id} ids={report.decisive} />
        <p className="muted small">
          Scan {scan.id}{' '}
          {latest ? '(latest)' : <Link to={`?tab=${tab}`}>(an older scan: show the latest)</Link>} · finished{' '}
          {utc(scan.finishedAt)} UTC · {count(scan.findings, 'finding')} ·{' '}
          {count(report.sessions?.list.length ?? 0, 'attacker session')} ·{' '}
          {count(report.webshells.length, 'webshell')} · exhunt {scan.toolVersion}
        </p>
      </section>
      <Tabs tab={tab} setTab={setTab} />
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tabpanel">
        {tab === 'timeline' ? <TimelineTab d={d} /> : null}
        {tab === 'events' ? <EventsTab scan={scan} /> : null}
        {tab === 'findings' ? <FindingsTab scan={scan} /> : null}
        {tab === 'webshells' ? <WebshellsTab webshells={report.webshells} /> : null}
        {tab === 'exposed' ? <DataExposedTab section={report.dataExposure} /> : null}
        {tab === 'patching' ? <PatchingTab exposure={report.exposure} /> : null}
        {tab === 'remediation' ? <RemediationTab serverId={server.id} /> : null}
        {tab === 'evidence' ? <EvidenceTab report={report} /> : null}
        {tab === 'history' ? <HistoryTab server={server} scan={scan} /> : null}
        {tab === 'downloads' ? (
          <>
            <HandoffDownloads server={server} />
            <DownloadsTab scan={scan} />
          </>
        ) : null}
      </div>
    </>
  );
}

/** The findings the verdict rests on, loaded when asked for; the first few, the rest are in the Findings tab. */
function DecisiveEvidence({ scanId, ids }: { scanId: number; ids: string[] }) {
  const [open, setOpen] = useState(false);
  const list = ids.slice(0, DECISIVE_SHOWN).join(',');
  const res = useApi(
    '/scans/:id/findings',
    open && list ? `/scans/${scanId}/findings?ids=${encodeURIComponent(list)}` : null,
  );
  if (ids.length === 0) return null;
  return (
    <>
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide' : 'Show'} the decisive evidence ({ids.length})
      </button>
      {open && res.error ? <ErrorBox error={res.error} /> : null}
      {open ? res.data?.items.map((f) => <FindingDetail key={f.id} f={f} />) : null}
      {open && ids.length > DECISIVE_SHOWN ? (
        <p className="muted small">and {ids.length - DECISIVE_SHOWN} more like them in the Findings tab.</p>
      ) : null}
    </>
  );
}

/** The WAI-ARIA tabs pattern: one tab stop, arrow keys move between tabs. */
function Tabs({ tab, setTab }: { tab: Tab; setTab(t: string): void }) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKeyDown = (e: KeyboardEvent, i: number) => {
    const to =
      e.key === 'ArrowRight'
        ? i + 1
        : e.key === 'ArrowLeft'
          ? i - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? TABS.length - 1
              : null;
    if (to === null) return;
    e.preventDefault();
    const j = (to + TABS.length) % TABS.length;
    setTab((TABS[j] as (typeof TABS)[number])[0]);
    refs.current[j]?.focus();
  };
  return (
    <div role="tablist" aria-label="Scan" className="tabs">
      {TABS.map(([t, label], i) => (
        <button
          key={t}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="tab"
          id={`tab-${t}`}
          aria-selected={t === tab}
          aria-controls={`panel-${t}`}
          tabIndex={t === tab ? 0 : -1}
          onClick={() => setTab(t)}
          onKeyDown={(e) => onKeyDown(e, i)}
        >
          {label}
        </button>
      ))}
    </div>
  );
}

// The attacker timeline tab: sessions as lanes, the events in the visible window as a list, and the
// findings behind the chosen event with their evidence.

import { useCallback, useMemo, useState } from 'react';
import { useApi } from '../../api/hooks.js';
import type { ScanDetails, TimelineEvent } from '../../api/types.js';
import { OutcomeBadge } from '../../components/Badge.js';
import { FindingDetail } from '../../components/FindingDetail.js';
import { ErrorBox, Loading } from '../../components/Status.js';
import { lanesOf, Timeline } from '../../components/Timeline.js';
import type { Window } from '../../components/timeScale.js';
import { textColumn, VirtualTable } from '../../components/VirtualTable.js';
import type { Column } from '../../components/VirtualTable.js';
import { count, utc } from '../../format.js';

interface Row {
  key: string;
  session: string;
  e: TimelineEvent;
}

export function TimelineTab({ d }: { d: ScanDetails }) {
  const sessions = d.report.sessions;
  const lanes = useMemo(() => lanesOf(sessions?.list ?? [], sessions?.server.timeline ?? []), [sessions]);
  const [selected, setSelected] = useState<TimelineEvent>();
  const [win, setWin] = useState<Window>();
  const onWindow = useCallback((w: Window) => setWin(w), []);
  const rows = useMemo<Row[]>(() => {
    const all = (sessions?.list ?? []).flatMap((s) =>
      s.timeline.map((e, i) => ({ key: `${s.id}-${i}`, session: s.id, e })),
    );
    const inView = all.filter((r) => {
      if (!win || !r.e.time) return true;
      const t = Date.parse(r.e.time);
      return t >= win.from && t <= win.to;
    });
    return inView.sort((a, b) => (a.e.time ?? '').localeCompare(b.e.time ?? ''));
  }, [sessions, win]);
  const columns = useMemo<Column<Row>[]>(
    () => [
      textColumn('time', 'Time (UTC)', (r) => utc(r.e.time), '12.5rem'),
      textColumn('session', 'Session', (r) => r.session, '6rem'),
      textColumn('stage', 'Stage', (r) => r.e.stage, '9rem'),
      {
        id: 'outcome',
        header: 'Outcome',
        cell: (c) => <OutcomeBadge outcome={c.row.original.e.outcome} />,
        meta: { width: '8rem' },
      },
      textColumn('summary', 'What happened', (r) => r.e.summary, 'minmax(16rem, 4fr)'),
    ],
    [],
  );
  if (!sessions || sessions.list.length === 0)
    return (
      <p className="muted">
        No attacker session in this scan: nothing attributable to an attacker was found.
      </p>
    );
  const omitted = sessions.list.reduce((n, s) => n + (s.timelineOmitted ?? 0), 0);
  return (
    <>
      <p className="muted small">
        {count(sessions.list.length, 'attacker session')}
        {sessions.unattributed.length
          ? ` · ${count(sessions.unattributed.length, 'finding')} no session could claim`
          : ''}
        {omitted ? ` · ${count(omitted, 'event')} beyond the timeline's cap left out` : ''}
      </p>
      <details className="small">
        <summary>How requests are grouped into sessions</summary>
        <p>{sessions.rule}</p>
      </details>
      <Timeline lanes={lanes} selected={selected} onSelect={setSelected} onWindow={onWindow} />
      {sessions.links.length ? (
        <p className="small">
          Same attacker, most likely:{' '}
          {sessions.links.map((l, i) => (
            <span key={i} className="tag">
              {l.by} {l.value}: {l.sessions.join(', ')}
            </span>
          ))}
        </p>
      ) : null}
      <h3>Events in view</h3>
      <VirtualTable
        label="Timeline events"
        data={rows}
        columns={columns}
        rowId={(r) => r.key}
        onActivate={(r) => setSelected(r.e)}
        selected={rows.find((r) => r.e === selected)?.key}
        footer={`${rows.length} events in the window`}
      />
      {selected ? (
        <EventFindings scanId={d.scan.id} event={selected} />
      ) : (
        <p className="muted">Choose an event to see its evidence.</p>
      )}
    </>
  );
}

function EventFindings({ scanId, event }: { scanId: number; event: TimelineEvent }) {
  const ids = event.findings.slice(0, 200).join(',');
  const res = useApi(
    '/scans/:id/findings',
    ids ? `/scans/${scanId}/findings?ids=${encodeURIComponent(ids)}` : null,
  );
  return (
    <section aria-label="Evidence of the chosen event" className="event-findings">
      <h3>
        {utc(event.time)} UTC · <span className="mono">{event.summary}</span>
      </h3>
      {res.error ? <ErrorBox error={res.error} /> : null}
      {res.loading ? <Loading what="Loading the evidence" /> : null}
      {res.data?.items.map((f) => (
        <FindingDetail key={f.id} f={f} />
      ))}
    </section>
  );
}

// The scan's events: one row per request (strongest first), opened to its lines from every log; then the
// probes grouped by rule and the context groups, as `/events` pages them.

import { usePaged } from '../../api/hooks.js';
import type { EventGroup, EventLine, RequestEvent, ScanView } from '../../api/types.js';
import { OutcomeBadge } from '../../components/Badge.js';
import { ErrorBox } from '../../components/Status.js';
import { utc } from '../../format.js';

export function EventsTab({ scan }: { scan: ScanView }) {
  const list = usePaged('/events', `/events?scanId=${scan.id}`);
  const requests = list.items.filter((x) => x.kind === 'event');
  const probes = list.items.filter((x) => x.kind === 'probe');
  const context = list.items.filter((x) => x.kind === 'context');
  return (
    <>
      {list.error ? <ErrorBox error={list.error} /> : null}
      <h2 className="small">
        Requests ({requests.length.toLocaleString('en')}
        {list.done ? '' : '+'})
      </h2>
      {requests.length === 0 && list.done ? <p className="muted">None beyond probes and context.</p> : null}
      <ol className="plain-list events" aria-label="Events">
        {requests.map((x) => (
          <li key={x.id}>
            <EventRow e={x.event as RequestEvent} />
          </li>
        ))}
      </ol>
      {probes.length > 0 ? (
        <Groups title="Probes, grouped by rule" gs={probes.map((x) => x.event as EventGroup)} />
      ) : null}
      {context.length > 0 ? <Groups title="Context" gs={context.map((x) => x.event as EventGroup)} /> : null}
      {list.done ? null : (
        <button type="button" onClick={list.loadMore} disabled={list.loading}>
          {list.loading ? 'Loading…' : 'More events'}
        </button>
      )}
    </>
  );
}

function EventRow({ e }: { e: RequestEvent }) {
  return (
    <details className="event" data-event={e.id}>
      <summary>
        <b>{e.id}</b> <OutcomeBadge outcome={e.outcome} /> {e.stage} · {utc(e.time)} UTC
        {e.addresses.length > 0 ? (
          <>
            {' '}
            · from <code>{e.addresses.slice(0, 5).join(', ')}</code>
          </>
        ) : null}
        {e.session ? <> · session {e.session}</> : null}
        {e.cves.length > 0 ? <> · {e.cves.join(' ')}</> : null} · {e.lines.length} line
        {e.lines.length === 1 ? '' : 's'}
        <br />
        <code className="summary">{e.summary}</code>
      </summary>
      <p className="small muted">
        {e.requestIds.length > 0 ? (
          <>
            request <code>{e.requestIds.join(', ')}</code> ·{' '}
          </>
        ) : null}
        {e.userAgent ? (
          <>
            user agent <code>{e.userAgent}</code> ·{' '}
          </>
        ) : null}
        findings {e.findings.join(', ')}
      </p>
      <Lines lines={e.lines} />
      {e.linesOmitted ? (
        <p className="muted small">and {e.linesOmitted} more lines (see the findings)</p>
      ) : null}
    </details>
  );
}

function Lines({ lines }: { lines: readonly EventLine[] }) {
  return (
    <table className="lines">
      <thead>
        <tr>
          <th>Log</th>
          <th>Where</th>
          <th>Time (UTC)</th>
          <th>Rule</th>
          <th>Line</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l) => (
          <tr key={`${l.path}:${l.line ?? ''}:${l.finding}`}>
            <td>{l.log}</td>
            <td>
              <code>{l.line !== undefined ? `${l.path}:${l.line}` : l.path}</code>
            </td>
            <td>{utc(l.time)}</td>
            <td>
              {l.rule.title}
              {l.rule.author !== 'exhunt' ? <span className="muted small"> by {l.rule.author}</span> : null}
            </td>
            <td>
              <pre>{l.excerpt}</pre>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Groups({ title, gs }: { title: string; gs: readonly EventGroup[] }) {
  return (
    <>
      <h2 className="small">
        {title} ({gs.reduce((n, g) => n + g.count, 0).toLocaleString('en')} requests)
      </h2>
      <table className="groups">
        <thead>
          <tr>
            <th>Group</th>
            <th>Rule</th>
            <th>Count</th>
            <th>First … last (UTC)</th>
            <th>Sources</th>
            <th>Requests</th>
          </tr>
        </thead>
        <tbody>
          {gs.map((g) => (
            <tr key={g.id} data-group={g.id}>
              <td>{g.id}</td>
              <td>{g.rule.title}</td>
              <td>{g.count.toLocaleString('en')}</td>
              <td>
                {utc(g.first)} … {utc(g.last)}
              </td>
              <td>
                <code>{g.sources.join(', ')}</code>
                {g.sourceCount > g.sources.length ? ` (+${g.sourceCount - g.sources.length})` : ''}
              </td>
              <td>
                {g.requests.map((r) => (
                  <div key={r.value}>
                    <code>{r.value}</code> ×{r.count}
                  </div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

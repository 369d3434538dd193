// The remediation checklist: the report's ordered steps, each marked done (or in progress, or set aside)
// by an analyst, with who did it and when.

import { useEffect, useState } from 'react';
import { api, ApiError } from '../../api/client.js';
import { useApi } from '../../api/hooks.js';
import type { RemediationStatus, RemediationView } from '../../api/types.js';
import { ErrorBox, Loading } from '../../components/Status.js';
import { actorName, utc } from '../../format.js';
import { can, useSession } from '../../session.js';

const STATUSES: [RemediationStatus, string][] = [
  ['open', 'open'],
  ['in-progress', 'in progress'],
  ['done', 'done'],
  ['wont-fix', 'set aside'],
];

export function RemediationTab({ serverId }: { serverId: number }) {
  const res = useApi('/remediation', `/remediation?serverId=${serverId}&limit=500`);
  if (res.error) return <ErrorBox error={res.error} />;
  if (!res.data) return <Loading what="Loading the checklist" />;
  const items = [...res.data.items].sort((a, b) => order(a) - order(b));
  if (items.length === 0)
    return <p className="muted">The reports of this server list no remediation steps.</p>;
  const done = items.filter((i) => i.status === 'done' || i.status === 'wont-fix').length;
  return (
    <>
      <p>
        <progress max={items.length} value={done} aria-label="Steps done" /> {done} of {items.length} steps
        done or set aside.
      </p>
      <ol className="checklist">
        {items.map((i) => (
          <Step key={i.id} item={i} onChanged={res.reload} />
        ))}
      </ol>
    </>
  );
}

function order(i: RemediationView): number {
  return typeof i.detail === 'object' && i.detail && typeof i.detail.order === 'number'
    ? i.detail.order
    : 1e9;
}

function Step({ item, onChanged }: { item: RemediationView; onChanged(): void }) {
  const { me } = useSession();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  // Shown at once; the saved status (with who and when) replaces it when the list reloads.
  const [status, setStatus] = useState(item.status);
  useEffect(() => setStatus(item.status), [item.status]);
  const step = typeof item.detail === 'object' && item.detail ? item.detail : {};
  const set = async (next: RemediationStatus) => {
    setBusy(true);
    setError(undefined);
    setStatus(next);
    try {
      await api(`/remediation/${item.id}`, { method: 'PATCH', body: { status: next } });
      onChanged();
    } catch (e) {
      setStatus(item.status);
      setError(e instanceof ApiError ? e.message : 'could not save');
    } finally {
      setBusy(false);
    }
  };
  const editable = can(me, 'analyst');
  const checkId = `step-${item.id}`;
  return (
    <li className={`step status-${status}`} data-step={item.key}>
      <div className="step-head">
        {editable ? (
          <input
            id={checkId}
            type="checkbox"
            checked={status === 'done'}
            disabled={busy}
            onChange={(e) => void set(e.target.checked ? 'done' : 'open')}
          />
        ) : null}
        <label htmlFor={editable ? checkId : undefined} className="step-title">
          {item.title}
        </label>
        {/* The id the remediation script prints with each of its steps. */}
        <code className="small muted step-key" title="Checklist item, as the remediation script names it">
          {item.key}
        </code>
        {step.phase ? <span className="tag">{step.phase}</span> : null}
        {editable ? (
          <select
            aria-label={`Status of “${item.title}”`}
            value={status}
            disabled={busy}
            onChange={(e) => void set(e.target.value as RemediationStatus)}
          >
            {STATUSES.map(([v, text]) => (
              <option key={v} value={v}>
                {text}
              </option>
            ))}
          </select>
        ) : (
          <span className="tag">{item.status}</span>
        )}
      </div>
      <p className="muted small step-who">
        {item.updatedBy
          ? `${STATUSES.find(([v]) => v === item.status)?.[1] ?? item.status} — ${actorName(item.updatedBy)}, ${utc(item.updatedAt)} UTC`
          : 'open'}
      </p>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      {step.why ? <p>{step.why}</p> : null}
      {step.actions?.length ? (
        <ul>
          {step.actions.map((a, i) => (
            <li key={i}>{a}</li>
          ))}
        </ul>
      ) : null}
      {step.targets?.length ? (
        <details>
          <summary>{step.targets.length} targets</summary>
          <ul className="mono small">
            {step.targets.map((t, i) => (
              <li key={i}>
                {t.kind}: {t.value}
                {t.sha256 ? ` (SHA-256 ${t.sha256})` : ''}
                {t.detail ? ` — ${t.detail}` : ''}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </li>
  );
}

// Feeds: the indicator feeds the scans match (the organisation's own and the shared ones), uploading one,
// turning one off or deleting it, a feed's problems with their lines, and the fleet's export as STIX or CSV.
// Feed names and problem messages come from whoever wrote the feed: they are only ever React text.

import { useId, useMemo, useState } from 'react';
import type { FormEvent, KeyboardEvent, MouseEvent } from 'react';
import { API, api, ApiError, FeedRefused, qs, send, uploadFeed } from '../api/client.js';
import { useApi } from '../api/hooks.js';
import type { FeedDetail, FeedUploaded, FeedView, Me, Problem } from '../api/types.js';
import { OrgPicker } from '../components/OrgPicker.js';
import { ErrorBox, Loading } from '../components/Status.js';
import { textColumn, VirtualTable } from '../components/VirtualTable.js';
import type { Column } from '../components/VirtualTable.js';
import { actorName, bytes, count, utc } from '../format.js';
import { useParam } from '../router.js';
import { can, useSession } from '../session.js';
import { useTitle } from '../title.js';
import { formText } from '../form.js';

/** Tenant analysts change their own organisation's feeds; shared feeds are the administrators'. */
function canChange(me: Me, f: FeedView): boolean {
  return me.role === 'administrator' || (can(me, 'analyst') && !f.shared);
}

const owner = (f: FeedView) => (f.shared ? 'shared' : (f.organisation ?? '—'));

/** Buttons inside a clickable row: their clicks and keys are theirs, not the row's (Enter would open it). */
const own = (e: MouseEvent | KeyboardEvent) => e.stopPropagation();

export function FeedsPage() {
  useTitle('Feeds');
  const { me } = useSession();
  const [org] = useParam('org');
  const [feedParam, setFeedParam] = useParam('feed');
  const list = useApi('/feeds', `/feeds${qs({ org })}`);
  const [error, setError] = useState<string>();
  const selected = feedParam ? Number(feedParam) : undefined;
  const detail = useApi('/feeds/:id', selected ? `/feeds/${selected}` : null);

  const { reload: reloadList } = list;
  const { reload: reloadDetail } = detail;
  const columns = useMemo<Column<FeedView>[]>(() => {
    const fail = (e: unknown) => setError(e instanceof ApiError ? e.message : 'failed');
    const toggle = async (f: FeedView) => {
      setError(undefined);
      try {
        await send('PATCH /feeds/:id', `/feeds/${f.id}`, { enabled: !f.enabled });
        reloadList();
        reloadDetail();
      } catch (e) {
        fail(e);
      }
    };
    const remove = async (f: FeedView) => {
      if (!window.confirm(`Delete the feed “${f.name}”? Findings it already made stay.`)) return;
      setError(undefined);
      try {
        await api(`/feeds/${f.id}`, { method: 'DELETE' });
        if (selected === f.id) setFeedParam(undefined);
        reloadList();
      } catch (e) {
        fail(e);
      }
    };
    const base: Column<FeedView>[] = [
      textColumn('name', 'Name', (f) => f.name, 'minmax(10rem, 3fr)'),
      textColumn('owner', 'Organisation', owner, 'minmax(8.5rem, 1fr)'),
      textColumn('format', 'Format', (f) => f.format, '5.5rem'),
      textColumn('indicators', 'Indicators', (f) => f.indicators.toLocaleString('en'), '7rem'),
      textColumn('problems', 'Problems', (f) => f.problemCount.toLocaleString('en'), '6.5rem'),
      textColumn('enabled', 'State', (f) => (f.enabled ? 'enabled' : 'disabled'), '6rem'),
      textColumn('by', 'Uploaded by', (f) => actorName(f.createdBy), 'minmax(7.5rem, 1fr)'),
      textColumn('at', 'Uploaded (UTC)', (f) => utc(f.createdAt), '12.5rem'),
    ];
    // Viewers change nothing: no column of buttons for them.
    if (!can(me, 'analyst')) return base;
    return [
      ...base,
      {
        id: 'actions',
        header: 'Actions',
        cell: (c) => {
          const f = c.row.original;
          if (!canChange(me, f)) return null;
          return (
            <span>
              <button
                type="button"
                onKeyDown={own}
                onClick={(e) => {
                  own(e);
                  void toggle(f);
                }}
              >
                {f.enabled ? 'Disable' : 'Enable'}
                <span className="visually-hidden"> {f.name}</span>
              </button>{' '}
              <button
                type="button"
                onKeyDown={own}
                onClick={(e) => {
                  own(e);
                  void remove(f);
                }}
              >
                Delete
                <span className="visually-hidden"> {f.name}</span>
              </button>
            </span>
          );
        },
        meta: { width: '12rem' },
      },
    ];
  }, [me, reloadList, reloadDetail, selected, setFeedParam]);

  return (
    <>
      <div className="page-head">
        <h1>Feeds</h1>
        <OrgPicker />
      </div>
      <p className="muted">
        Indicator feeds the scans match: your organisation’s own, then the shared ones. Choose a feed to see
        what in it could not be loaded.
      </p>
      {can(me, 'analyst') ? <Exports org={org} /> : null}
      {list.error ? <ErrorBox error={list.error} /> : null}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      {!list.data ? (
        <Loading what="Loading feeds" />
      ) : (
        <VirtualTable
          label="Feeds"
          data={list.data.items}
          columns={columns}
          rowId={(f) => String(f.id)}
          selected={feedParam}
          onActivate={(f) => setFeedParam(String(f.id))}
          sortParam="fsort"
          rowHeight={38}
          empty="No feed yet."
        />
      )}
      {selected ? (
        detail.error ? (
          <ErrorBox error={detail.error} />
        ) : detail.data ? (
          <FeedPanel feed={detail.data} />
        ) : (
          <Loading what="Loading the feed" />
        )
      ) : null}
      {can(me, 'analyst') ? (
        <UploadForm
          org={org}
          onUploaded={(f) => {
            list.reload();
            setFeedParam(String(f.id));
          }}
        />
      ) : null}
    </>
  );
}

/** The fleet's export in the current organisation filter (analysts and administrators; audited). */
function Exports({ org }: { org: string | undefined }) {
  return (
    <section aria-labelledby="exports-h">
      <h2 id="exports-h">What the fleet saw</h2>
      <ul className="downloads">
        <li>
          <a href={`${API}/intel/stix${qs({ org })}`} download>
            Export as STIX 2.1
          </a>{' '}
          <span className="muted">a bundle of indicators and their sightings, for a CERT’s platform</span>
        </li>
        <li>
          <a href={`${API}/intel/csv${qs({ org })}`} download>
            Export as CSV
          </a>{' '}
          <span className="muted">one row per indicator with first and last seen, for a spreadsheet</span>
        </li>
      </ul>
      <p className="muted small">Every export is recorded in the audit log with your name.</p>
    </section>
  );
}

function FeedPanel({ feed }: { feed: FeedDetail }) {
  return (
    <section aria-labelledby="feed-h">
      <h2 id="feed-h">
        <span className="muted small">Feed</span> {feed.name}
      </h2>
      <dl className="facts">
        <dt>Organisation</dt>
        <dd>{owner(feed)}</dd>
        <dt>Format</dt>
        <dd>{feed.format}</dd>
        <dt>Indicators</dt>
        <dd>{feed.indicators.toLocaleString('en')}</dd>
        <dt>State</dt>
        <dd>{feed.enabled ? 'enabled: matched by the scans to come' : 'disabled: not matched'}</dd>
        <dt>Size</dt>
        <dd>{bytes(feed.size)}</dd>
        <dt>SHA-256</dt>
        <dd className="mono">{feed.sha256}</dd>
        <dt>Uploaded</dt>
        <dd>
          {utc(feed.createdAt)} UTC by {actorName(feed.createdBy)}
        </dd>
      </dl>
      <h3>Problems</h3>
      {feed.problemCount > feed.problems.length ? (
        <p className="muted">
          The first {count(feed.problems.length, 'problem')} of {feed.problemCount.toLocaleString('en')}.
        </p>
      ) : null}
      <Problems label="Feed problems" problems={feed.problems} empty="Every line of the feed loaded." />
    </section>
  );
}

function Problems({ label, problems, empty }: { label: string; problems: Problem[]; empty: string }) {
  const columns = useMemo<Column<Problem>[]>(
    () => [
      textColumn('code', 'Code', (p) => p.code, 'minmax(10rem, 1fr)'),
      textColumn('line', 'Line', (p) => p.line ?? '—', '5rem'),
      textColumn('message', 'Message', (p) => p.message, 'minmax(16rem, 4fr)'),
    ],
    [],
  );
  return (
    <VirtualTable label={label} data={problems} columns={columns} rowId={(_, i) => String(i)} empty={empty} />
  );
}

function UploadForm({ org, onUploaded }: { org: string | undefined; onUploaded(f: FeedUploaded): void }) {
  const { me } = useSession();
  const admin = me.role === 'administrator';
  const orgs = useApi('/organisations', admin ? '/organisations' : null);
  const [file, setFile] = useState<File>();
  const [shared, setShared] = useState(false);
  // The organisation chosen here, else the page's filter, else the first one.
  const [target, setTarget] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<FeedUploaded>();
  const [error, setError] = useState<string>();
  const [refused, setRefused] = useState<FeedRefused>();
  const ids = { file: useId(), name: useId(), org: useId(), shared: useId() };

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setDone(undefined);
    setRefused(undefined);
    if (!file) return setError('choose the feed file first');
    setError(undefined);
    setBusy(true);
    try {
      const name = formText(form, 'name').trim();
      const f = await uploadFeed(file, {
        ...(name ? { name } : {}),
        ...(admin && !shared ? { org: formText(form, 'org') } : {}),
        ...(admin && shared ? { shared: true } : {}),
      });
      setDone(f);
      onUploaded(f);
    } catch (err) {
      if (err instanceof FeedRefused) setRefused(err);
      else setError(err instanceof ApiError ? err.message : 'upload failed');
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="feed-upload-h">
      <h2 id="feed-upload-h">Upload a feed</h2>
      <form className="upload" onSubmit={submit} aria-label="Upload a feed">
        <label htmlFor={ids.file}>
          Feed file (STIX 2.1, MISP, exhunt list, CSV or text list; up to 20 MiB)
        </label>
        <input id={ids.file} type="file" onChange={(e) => setFile(e.target.files?.[0])} />
        <label htmlFor={ids.name}>Feed name (default: the file’s name)</label>
        <input id={ids.name} name="name" maxLength={200} />
        {admin ? (
          <>
            <label htmlFor={ids.org}>Organisation</label>
            <select
              id={ids.org}
              name="org"
              required={!shared}
              disabled={shared}
              value={target || org || (orgs.data?.items[0]?.name ?? '')}
              onChange={(e) => setTarget(e.target.value)}
            >
              {(orgs.data?.items ?? []).map((o) => (
                <option key={o.id} value={o.name}>
                  {o.name}
                </option>
              ))}
            </select>
            <span>
              <input
                id={ids.shared}
                type="checkbox"
                checked={shared}
                onChange={(e) => setShared(e.target.checked)}
              />{' '}
              <label htmlFor={ids.shared}>Shared with every organisation</label>
            </span>
          </>
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          Upload feed
        </button>
        {busy ? <p role="status">Uploading and reading the feed…</p> : null}
        {done ? (
          <p className="ok" role="status">
            {done.duplicate ? 'Already uploaded: ' : 'Loaded '}
            {count(done.indicators, 'indicator')} from “{done.name}”
            {done.problemCount ? `, with ${count(done.problemCount, 'problem')}` : ''}.
          </p>
        ) : null}
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
      </form>
      {refused ? (
        <div>
          <p className="error" role="alert">
            Refused: {refused.message}
          </p>
          <Problems
            label="Problems of the refused feed"
            problems={refused.problems}
            empty="No problem given."
          />
        </div>
      ) : null}
    </section>
  );
}

// The server's scans, newest first, and what changed between the scan shown and an earlier one.

import { useMemo } from 'react';
import { qs } from '../../api/client.js';
import { useApi, usePaged } from '../../api/hooks.js';
import type { DiffFinding, ReportDiff, ScanView, ServerView } from '../../api/types.js';
import { VerdictBadge } from '../../components/Badge.js';
import { ErrorBox, Loading } from '../../components/Status.js';
import { textColumn, VirtualTable } from '../../components/VirtualTable.js';
import type { Column } from '../../components/VirtualTable.js';
import { count, utc } from '../../format.js';
import { navigate, useParam, withParams } from '../../router.js';

export function HistoryTab({ server, scan }: { server: ServerView; scan: ScanView }) {
  const scans = usePaged('/scans', `/scans?serverId=${server.id}`);
  const columns = useMemo<Column<ScanView>[]>(
    () => [
      textColumn('id', 'Scan', (s) => s.id, '5rem'),
      {
        id: 'verdict',
        header: 'Verdict',
        cell: (c) => <VerdictBadge verdict={c.row.original.verdict} />,
        meta: { width: '9rem' },
      },
      textColumn('finished', 'Finished (UTC)', (s) => utc(s.finishedAt), '12.5rem'),
      textColumn('uploaded', 'Uploaded (UTC)', (s) => utc(s.uploadedAt), '12.5rem'),
      textColumn('findings', 'Findings', (s) => s.findings, '7rem'),
      textColumn('source', 'From', (s) => (s.bundleId ? `bundle ${s.bundleId}` : 'uploaded report')),
    ],
    [],
  );
  return (
    <>
      <VirtualTable
        label="Scans of this server"
        data={scans.items}
        columns={columns}
        rowId={(s) => String(s.id)}
        selected={String(scan.id)}
        onEndReached={scans.done ? undefined : scans.loadMore}
        onActivate={(s) => navigate(withParams({ scan: String(s.id), against: undefined }))}
      />
      <p className="muted small">Choose a scan to show it; below, what changed since an earlier scan.</p>
      <CompareWith scans={scans.items.filter((s) => s.finishedAt < scan.finishedAt)} />
      <Diff scan={scan} />
    </>
  );
}

/** The earlier scan to compare with, in the address (`against`); by default the one just before. */
function CompareWith({ scans }: { scans: ScanView[] }) {
  const [against, setAgainst] = useParam('against');
  if (scans.length < 2) return null;
  return (
    <label className="field">
      Compare with
      <select value={against ?? ''} onChange={(e) => setAgainst(e.target.value || undefined)}>
        <option value="">the scan before</option>
        {scans.map((s) => (
          <option key={s.id} value={String(s.id)}>
            scan {s.id}, {utc(s.finishedAt)} UTC, {s.verdict}
          </option>
        ))}
      </select>
    </label>
  );
}

function Diff({ scan }: { scan: ScanView }) {
  const [against] = useParam('against');
  const res = useApi('/scans/:id/diff', `/scans/${scan.id}/diff${qs({ against })}`);
  if (res.error) return <ErrorBox error={res.error} />;
  if (!res.data) return <Loading what="Comparing" />;
  const { base, diff } = res.data;
  if (!base || !diff)
    return (
      <p className="muted">
        This is the first scan of the server: nothing to compare with, so all its findings are new.
      </p>
    );
  return (
    <section aria-labelledby="diff-h">
      <h3 id="diff-h">
        Since scan {base.id} ({utc(base.finishedAt)} UTC): <VerdictBadge verdict={base.verdict} /> →{' '}
        <VerdictBadge verdict={scan.verdict} />
      </h3>
      <p className={diff.clean ? 'ok' : 'error'}>
        {diff.clean
          ? 'Nothing remains and nothing is new: the server looks clean now.'
          : `${count(diff.findings.new.length, 'new finding')}, ${count(diff.findings.remains.length, 'finding')} remaining, ${count(diff.webshells.new.length + diff.webshells.remains.length + diff.webshells.changed.length, 'webshell')} still on disk.`}
      </p>
      <p className="muted small">
        {count(diff.findings.gone.length, 'finding')} gone; {count(diff.findings.historic, 'old log line')}{' '}
        read again (logs keep history).
      </p>
      <Webshells diff={diff} />
      <DiffList title="New" items={diff.findings.new} />
      <DiffList title="Remaining" items={diff.findings.remains} />
      <DiffList title="Gone" items={diff.findings.gone} />
      {(['new', 'remains', 'gone'] as const).map((k) =>
        diff.indicators[k].length ? (
          <p key={k} className="small">
            Indicators {k}:{' '}
            {diff.indicators[k].map((i) => (
              <span key={`${i.kind}${i.value}`} className="tag">
                {i.kind} {i.value}
              </span>
            ))}
          </p>
        ) : null,
      )}
    </section>
  );
}

function Webshells({ diff }: { diff: ReportDiff }) {
  const w = diff.webshells;
  const lines: [string, string, { path: string }[]][] = [
    ['gone from disk', 'ok', w.gone],
    ['new', 'error', w.new],
    ['changed', 'error', w.changed],
    ['still there', 'error', w.remains],
  ];
  return (
    <>
      {lines.map(([what, cls, list]) =>
        list.length ? (
          <p key={what} className={cls}>
            {count(list.length, 'webshell')} {what}:{' '}
            <span className="mono small">{list.map((x) => x.path).join(', ')}</span>
          </p>
        ) : null,
      )}
    </>
  );
}

function DiffList({ title, items }: { title: string; items: DiffFinding[] }) {
  if (items.length === 0) return null;
  return (
    <details open={title !== 'Gone'}>
      <summary>
        {title}: {items.length}
      </summary>
      <ul className="small">
        {items.slice(0, 500).map((f) => (
          <li key={f.id}>
            {utc(f.time)} · {f.outcome}/{f.stage} · {f.title} · <span className="mono">{f.evidence}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}

// The scan's chain of custody: who collected the evidence, with what, from which host and when, whether the
// collector's record was verified file by file, and, behind a disclosure, each file that disagreed. A live
// scan says which event logs it exported. Every value comes from the evidence: shown as text, controls and
// invisible characters made visible.

import type { CustodyIssues, ReportDetails } from '../../api/types.js';
import { visible } from '../../../../src/core/visible.js';
import { count, utc } from '../../format.js';

const KINDS: [keyof CustodyIssues['counts'], string, string][] = [
  ['missing', 'missing', 'listed as collected, not in the evidence'],
  ['hashMismatch', 'hash mismatch', 'another hash (or size) than the record: not the file collected'],
  ['sizeMismatch', 'size mismatch', 'another size than the record'],
  [
    'notCollected',
    'skipped by the collector',
    'seen and not copied: too old, too large, over the limit, unreadable',
  ],
  ['unlisted', 'not in the record', 'in the evidence, not in the record: added after the collection'],
  ['unreadable', 'record unreadable', 'parts of the record that could not be read'],
];

const TOOLS: Record<string, string> = {
  'exhunt-collector': 'Collect-Exhunt.ps1',
  velociraptor: 'Velociraptor',
  kape: 'KAPE',
};

export function CustodyPanel({ report }: { report: ReportDetails }) {
  const c = report.custody;
  const issues = report.custodyIssues;
  const live = report.scan.live;
  return (
    <section aria-labelledby="custody-h" className="custody">
      <h3 id="custody-h">Chain of custody</h3>
      {live ? <LiveExports live={live} /> : null}
      {!c ? (
        live ? null : (
          <p className="muted">
            No collector&apos;s record came with this evidence (our manifest.json, Velociraptor&apos;s
            uploads.json or KAPE&apos;s copy log): where its files came from was not checked.
          </p>
        )
      ) : (
        <>
          <p className={c.failed > 0 ? 'error' : 'muted'} data-verified={c.failed === 0 ? 'yes' : 'no'}>
            {c.failed === 0
              ? `Record verified: ${count(c.verified, 'file')} of ${c.files} with the recorded ${c.manifestSha256 ? 'SHA-256' : 'hash'}${c.sizeOnly ? `, ${c.sizeOnly} by size only (the record holds no hash)` : ''}.`
              : `Record not verified: ${count(c.failed, 'file')} of ${c.files} missing or not as collected; those files do not count as evidence.`}
          </p>
          <dl className="custody-facts small">
            <dt>Collected with</dt>
            <dd>
              {visible(TOOLS[c.collector.name] ?? c.collector.name)}
              {c.collector.version ? ` ${visible(c.collector.version)}` : ''}
            </dd>
            <dt>Operator</dt>
            <dd>{c.operator ? visible(c.operator) : <span className="muted">not recorded</span>}</dd>
            <dt>Host</dt>
            <dd>
              {c.host ? visible(c.host) : <span className="muted">not recorded</span>}
              {c.domain ? ` (${visible(c.domain)})` : ''}
              {c.timeZone ? `, time zone ${visible(c.timeZone.id)}` : ''}
            </dd>
            <dt>Collected at</dt>
            <dd>
              {c.collectedAt ? `${utc(c.collectedAt)} UTC` : <span className="muted">not recorded</span>}
            </dd>
            <dt>Record</dt>
            <dd>
              {visible(c.manifest)}
              {c.manifestSha256 ? <code className="small"> SHA-256 {c.manifestSha256}</code> : null}
            </dd>
          </dl>
          <ul className="small custody-counts" aria-label="Custody counts">
            <li>{count(c.verified, 'file')} verified</li>
            {KINDS.map(([k, label, why]) => (
              <li key={k} data-kind={k} title={why}>
                {issues?.counts[k] ??
                  (k === 'notCollected' ? c.notCollected : k === 'unlisted' ? c.unlisted : 0)}{' '}
                {label}
              </li>
            ))}
          </ul>
          {issues && issues.total > 0 ? (
            <details className="custody-list">
              <summary>The {count(issues.total, 'file')} behind these counts</summary>
              {issues.total > issues.list.length ? (
                <p className="muted small">
                  The first {issues.list.length}; the JSON download holds all {issues.total}.
                </p>
              ) : null}
              <table className="plain small">
                <thead>
                  <tr>
                    <th scope="col">Kind</th>
                    <th scope="col">File</th>
                    <th scope="col">What the check found</th>
                  </tr>
                </thead>
                <tbody>
                  {issues.list.map((p, n) => (
                    <tr key={n} data-code={p.code}>
                      <td>{p.code.replace(/^custody\./, '')}</td>
                      <td>
                        <code>{visible(p.path ?? '')}</code>
                      </td>
                      <td>{visible(p.message)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          ) : null}
        </>
      )}
    </section>
  );
}

function LiveExports({ live }: { live: NonNullable<ReportDetails['scan']['live']> }) {
  const exported = live.exports.filter((e) => e.status === 'exported');
  const failed = live.exports.filter((e) => e.status === 'failed');
  const absent = live.exports.filter((e) => e.status === 'absent');
  const first = live.exports[0]?.startedAt;
  return (
    <div className="custody-live">
      <p className={failed.some((e) => !e.readLive) ? 'error' : 'muted'}>
        Scanned live on the server: {exported.length} of {count(live.exports.length, 'event log channel')}{' '}
        exported with wevtutil epl{first ? ` from ${utc(first)} UTC` : ''} and read in place of the live
        files; the exports were {live.removed ? 'deleted after reading' : 'NOT deleted (remove them by hand)'}
        .
      </p>
      {failed.length + absent.length > 0 ? (
        <ul className="small">
          {failed.map((e) => (
            <li key={e.channel} data-status="failed">
              {visible(e.channel)}: not exported ({visible(e.error ?? 'failed')})
              {e.readLive ? '; the live file was read instead' : '; not read: the verdict cannot be clean'}
            </li>
          ))}
          {absent.map((e) => (
            <li key={e.channel} data-status="absent" className="muted">
              {visible(e.channel)}: no such log on this server
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

// One finding in full: rule, outcome, when and from where, the detector's facts, which analysis pass changed its
// outcome and why, and each piece of evidence with its excerpt. Every value is attacker-controlled and is
// rendered as a text node.

import type { Finding } from '../api/types.js';
import { utc } from '../format.js';
import { OutcomeBadge, Tag } from './Badge.js';

export function FindingDetail({ f }: { f: Finding }) {
  return (
    <article className="finding" aria-label={`Finding ${f.rule.title}`}>
      <h3>
        <OutcomeBadge outcome={f.outcome} /> {f.rule.title}
      </h3>
      <dl className="facts">
        <dt>When</dt>
        <dd>{f.time ? `${utc(f.time)} UTC` : 'no time in the evidence'}</dd>
        <dt>Stage</dt>
        <dd>
          {f.stage} · severity {f.severity}
        </dd>
        {f.sourceIps.length ? (
          <>
            <dt>From</dt>
            <dd>{f.sourceIps.join(', ')}</dd>
          </>
        ) : null}
        {f.userAgent ? (
          <>
            <dt>User agent</dt>
            <dd className="mono">{f.userAgent}</dd>
          </>
        ) : null}
        {f.summary ? (
          <>
            <dt>Summary</dt>
            <dd className="mono">{f.summary}</dd>
          </>
        ) : null}
        {Object.entries(f.details ?? {}).map(([k, v]) => (
          <DetailRow key={k} k={k} v={v} />
        ))}
        {f.note ? (
          <>
            <dt>Note</dt>
            <dd>{f.note}</dd>
          </>
        ) : null}
        {[...new Set((f.adjustments ?? []).map((a) => a.pass))].map((pass) => (
          <PassRow key={`pass-${pass}`} pass={pass} all={f.adjustments ?? []} />
        ))}
        <dt>Rule</dt>
        <dd>
          <span className="mono">{f.rule.id}</span> by {f.rule.author}{' '}
          {f.cves.map((c) => (
            <Tag key={c}>{c}</Tag>
          ))}
        </dd>
      </dl>
      <h4>Evidence</h4>
      <ul className="evidence">
        {f.evidence.map((e, i) => (
          <li key={i}>
            <div className="mono small">
              {e.path}
              {e.line !== undefined ? `:${e.line}` : ''}
            </div>
            <pre className="excerpt">{e.excerpt}</pre>
          </li>
        ))}
      </ul>
    </article>
  );
}

/**
 * Why the finding is what it is: what one analysis pass changed of its outcome and severity (its note and
 * details show above), and why (src/analysis/passes/).
 */
function PassRow({ pass, all }: { pass: string; all: NonNullable<Finding['adjustments']> }) {
  const mine = all.filter((a) => a.pass === pass);
  const changes = mine
    .filter((a) => a.field === 'outcome' || a.field === 'severity')
    .map((a) => `${a.field} ${a.from ?? 'unset'} → ${a.to}`);
  return (
    <>
      <dt>Why: {pass}</dt>
      <dd>
        {changes.length > 0 ? `${changes.join('; ')} ` : ''}({mine[0]?.reason ?? ''})
      </dd>
    </>
  );
}

function DetailRow({ k, v }: { k: string; v: string }) {
  return (
    <>
      <dt>{k}</dt>
      <dd className="mono">{v}</dd>
    </>
  );
}

// What the attacker reached or took, with how sure the evidence is, and what these logs cannot show.

import type { ExposedItem } from '../../api/types.js';
import type { ReportDetails } from '../../api/types.js';
import { utc } from '../../format.js';

export function DataExposedTab({ section }: { section: ReportDetails['dataExposure'] }) {
  if (!section) return <p className="muted">This report predates the data exposure section.</p>;
  return (
    <>
      {section.items.length === 0 ? (
        <p>Nothing in the evidence shows data reached or taken.</p>
      ) : (
        <ul className="exposed">
          {section.items.map((item, i) => (
            <Item key={i} item={item} />
          ))}
        </ul>
      )}
      <h3>What this evidence cannot show</h3>
      <ul>
        {section.cannotShow.map((c, i) => (
          <li key={i}>{c}</li>
        ))}
      </ul>
    </>
  );
}

function Item({ item }: { item: ExposedItem }) {
  return (
    <li className={`exposed-item confidence-${item.confidence}`}>
      <h4>
        <span className="badge">{item.confidence}</span> {item.kind}:{' '}
        <span className="mono">{item.target}</span>
      </h4>
      <p>{item.description}</p>
      <p className="muted small">
        Why {item.confidence}: {item.basis} · {utc(item.firstSeen)} → {utc(item.lastSeen)} UTC
        {item.sessions.length ? ` · sessions ${item.sessions.join(', ')}` : ''}
      </p>
      {item.evidence.map((e, i) => (
        <pre key={i} className="excerpt">
          {e.path}
          {e.line !== undefined ? `:${e.line}` : ''}
          {'\n'}
          {e.excerpt}
        </pre>
      ))}
    </li>
  );
}

// The server's build and the CVEs it is exposed to, the updates that fix them, and URL Rewrite mitigations.

import type { ReportDetails } from '../../api/types.js';
import { utc } from '../../format.js';

export function PatchingTab({ exposure }: { exposure: ReportDetails['exposure'] }) {
  if (!exposure) return <p className="muted">The evidence did not show the server's build.</p>;
  return (
    <>
      <p>
        Build <strong className="mono">{exposure.build ?? 'unknown'}</strong>
        {exposure.productName ? ` (${exposure.productName}${exposure.cu ? ` ${exposure.cu}` : ''})` : ''}
        {exposure.buildSource ? `, read from ${exposure.buildSource}` : ''}.
      </p>
      <h3>Updates missing</h3>
      {exposure.missing.length === 0 ? (
        <p>None: no CVE of the campaigns is open on this build.</p>
      ) : (
        <ul>
          {exposure.missing.map((m) => (
            <li key={`${m.su}-${m.build}`}>
              Exchange {m.product} {m.cu} {m.su} ({m.build}
              {m.kb ? `, ${m.kb}` : ''}, released {m.released})
            </li>
          ))}
        </ul>
      )}
      <h3>CVEs</h3>
      <table className="plain">
        <thead>
          <tr>
            <th scope="col">CVE</th>
            <th scope="col">Campaign</th>
            <th scope="col">State</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {exposure.cves.map((c) => (
            <tr key={c.cve} className={`state-${c.state}`}>
              <td className="mono">{c.cve}</td>
              <td>{c.campaign ?? '—'}</td>
              <td>{c.state}</td>
              <td>{c.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {exposure.timeline.windows.length ? (
        <>
          <h3>Windows of exposure</h3>
          <ul>
            {exposure.timeline.windows.map((w, i) => (
              <li key={i}>
                {w.cve} {w.state} from {utc(w.from)} to {utc(w.to)} UTC
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {exposure.mitigations.length ? (
        <>
          <h3>Mitigations</h3>
          <ul>
            {exposure.mitigations.map((m, i) => (
              <li key={i}>
                {m.cve}: {m.state} ({m.tool}) in <span className="mono">{m.path}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {exposure.notes.map((n, i) => (
        <p key={i} className="muted small">
          {n}
        </p>
      ))}
    </>
  );
}

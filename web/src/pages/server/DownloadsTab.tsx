// The scan's report as files: JSON (the public schema), HTML (self-contained, prints well), Timesketch CSV,
// and the evidence bundle it came from. Downloads are recorded in the audit log.

import { API } from '../../api/client.js';
import type { ScanView } from '../../api/types.js';
import { can, useSession } from '../../session.js';

export function DownloadsTab({ scan }: { scan: ScanView }) {
  const { me } = useSession();
  if (!can(me, 'analyst'))
    return <p className="muted">Downloads need the analyst role: they are audited copies of evidence.</p>;
  const base = `${API}/scans/${scan.id}/download`;
  return (
    <>
      <ul className="downloads">
        <li>
          <a href={`${base}?format=html`} download>
            HTML report
          </a>{' '}
          <span className="muted">one page to read or print, for people who do not use this dashboard</span>
        </li>
        <li>
          <a href={`${base}?format=json`} download>
            JSON report
          </a>{' '}
          <span className="muted">the whole report (schema/report.schema.json), for scripts</span>
        </li>
        <li>
          <a href={`${base}?format=csv`} download>
            Timeline CSV
          </a>{' '}
          <span className="muted">Timesketch-ready</span>
        </li>
        {scan.bundleId ? (
          <li>
            <a href={`${API}/bundles/${scan.bundleId}/download`} download>
              Evidence bundle
            </a>{' '}
            <span className="muted">the .zip as uploaded</span>
          </li>
        ) : null}
      </ul>
      <p className="muted small">Every download is recorded in the audit log with your name.</p>
    </>
  );
}

// Files for the client of this server, always from its latest scan: the HTML report with the organisation's
// name and the checklist's statuses, and the PowerShell remediation script whose steps name checklist items.

import { API } from '../../api/client.js';
import type { ServerView } from '../../api/types.js';
import { can, useSession } from '../../session.js';

export function HandoffDownloads({ server }: { server: ServerView }) {
  const { me } = useSession();
  if (!server.latestScanId || !can(me, 'analyst')) return null;
  const base = `${API}/servers/${server.id}`;
  return (
    <section aria-labelledby="handoff-h" className="handoff-downloads">
      <h3 id="handoff-h">For {server.organisation.name}</h3>
      <p className="muted small">
        From the latest scan (scan {server.latestScanId}), whichever scan is shown.
      </p>
      <ul className="downloads">
        <li>
          <a href={`${base}/report.html`} download>
            Report for {server.organisation.name}
          </a>{' '}
          <span className="muted">
            the HTML report with the organisation’s name and each remediation step’s status as marked here
          </span>
        </li>
        <li>
          <a href={`${base}/remediation.ps1`} download>
            Remediation script
          </a>{' '}
          <span className="muted">
            PowerShell, a dry run unless -Apply; refuses to run on another host or where Exchange is not
            installed; each step names its checklist item
          </span>
        </li>
      </ul>
    </section>
  );
}

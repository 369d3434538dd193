// Files for the client of one server, from its latest scan: the PowerShell remediation script (host and
// install path checked before it acts, each step naming its checklist item) and the HTML report with the
// organisation's name and the checklist's statuses. Both downloads are audited, as every report download is.

import type { ScanReport } from '../../core/report.js';
import type { ChecklistEntry } from '../../report/html-checklist.js';
import { renderHtml } from '../../report/html.js';
import { remediationScript } from '../../report/powershell.js';
import {
  actorOf,
  audit,
  getScan,
  getScanReport,
  getServer,
  listRemediation,
  MAX_LIMIT,
  scopeOf,
} from '../../store/index.js';
import type { Principal, RemediationView, ScanView, Scope, ServerView, Store } from '../../store/index.js';
import { HttpError } from '../auth.js';
import type { AppContext, RouteDef } from '../route.js';
import { idParams, route } from '../route.js';

/** Server names are typed by uploaders: only a safe subset goes into the file name. */
function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'server';
}

interface Latest {
  server: ServerView;
  scan: ScanView;
  report: ScanReport;
}

/** The server and its latest scan's report, in the caller's scope (another tenant's server is not found). */
async function latestOf(ctx: AppContext, scope: Scope, id: number): Promise<Latest> {
  const server = await getServer(ctx.store, scope, id, { triage: ctx.triage });
  if (!server) throw new HttpError(404, 'no such server');
  const scan = server.latestScanId ? await getScan(ctx.store, scope, server.latestScanId) : undefined;
  const report = scan && (await getScanReport(ctx.store, scope, scan.id));
  if (!scan || !report) throw new HttpError(404, 'this server has no scan yet');
  return { server, scan, report };
}

/** Every checklist item of the server, as the dashboard's remediation tab lists them. */
async function checklistOf(store: Store, scope: Scope, serverId: number): Promise<ChecklistEntry[]> {
  const out: RemediationView[] = [];
  let cursor: string | undefined;
  do {
    const page = await listRemediation(store, scope, {
      serverId,
      limit: MAX_LIMIT,
      ...(cursor ? { cursor } : {}),
    });
    out.push(...page.items);
    cursor = page.next ?? undefined;
  } while (cursor);
  return out.map((i) => ({
    key: i.key,
    title: i.title,
    status: i.status,
    updatedBy: i.updatedBy,
    updatedAt: i.updatedAt,
    scanId: i.scanId,
    detail: i.detail,
  }));
}

async function recordDownload(
  store: Store,
  principal: Principal,
  l: Latest,
  action: string,
  format: string,
): Promise<void> {
  await audit(store.db, {
    orgId: l.scan.organisationId,
    actor: actorOf(principal),
    action,
    target: `scan:${l.scan.id}`,
    detail: { format, server: l.server.id },
  });
}

export const handoffRoutes: RouteDef[] = [
  route({
    method: 'GET',
    url: '/servers/:id/remediation.ps1',
    summary:
      'The PowerShell remediation script from the server’s latest scan: refuses to run on another host or where Exchange is not installed where the scan found it; each step names its checklist item (audited)',
    tag: 'servers',
    role: 'analyst',
    params: idParams,
    response: {
      status: 200,
      description: 'the script (UTF-8 with a byte order mark), as an attachment',
      contentType: 'text/plain',
    },
    async handler({ ctx, principal, params, reply }) {
      const l = await latestOf(ctx, scopeOf(principal), params.id);
      await recordDownload(ctx.store, principal, l, 'remediation-script.download', 'ps1');
      reply.header('content-type', 'text/plain; charset=utf-8');
      reply.header(
        'content-disposition',
        `attachment; filename="exhunt-remediation-${safeName(l.server.name)}-scan-${l.scan.id}.ps1"`,
      );
      return remediationScript(l.report, { host: l.server.name });
    },
  }),
  route({
    method: 'GET',
    url: '/servers/:id/report.html',
    summary:
      'The HTML report of the server’s latest scan for its organisation: the organisation’s name in the header, the remediation steps with the statuses marked in the dashboard (audited)',
    tag: 'servers',
    role: 'analyst',
    params: idParams,
    response: {
      status: 200,
      description: 'a self-contained HTML page, as an attachment',
      contentType: 'text/html',
    },
    async handler({ ctx, principal, params, reply }) {
      const scope = scopeOf(principal);
      const l = await latestOf(ctx, scope, params.id);
      const checklist = await checklistOf(ctx.store, scope, l.server.id);
      await recordDownload(ctx.store, principal, l, 'report.download', 'handoff-html');
      reply.header('content-type', 'text/html; charset=utf-8');
      reply.header(
        'content-disposition',
        `attachment; filename="exhunt-${safeName(l.server.organisation.name)}-${safeName(l.server.name)}-scan-${l.scan.id}.html"`,
      );
      // As for the scan's HTML download: attacker text inside, so no script and no origin if rendered.
      reply.header('content-security-policy', "sandbox; default-src 'none'; style-src 'unsafe-inline'");
      return renderHtml(l.report, {
        handoff: {
          organisation: l.server.organisation.name,
          server: l.server.name,
          scanId: l.scan.id,
          findings: l.scan.findings,
          generatedAt: new Date().toISOString(),
          checklist,
        },
      });
    },
  }),
];

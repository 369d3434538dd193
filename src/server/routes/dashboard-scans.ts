// The dashboard's scan routes: the report without its findings, findings by id, the diff with an earlier
// scan, and the report downloaded as JSON, HTML or Timesketch CSV (each download in the audit log).

import type { ScanReport } from '../../core/report.js';
import type { ReportDetails } from '../api/types.js';
import { diffReports } from '../../report/diff.js';
import { renderHtml } from '../../report/html.js';
import { timelineCsv } from '../../report/timeline.js';
import {
  actorOf,
  audit,
  findingsById,
  getScan,
  getScanReport,
  previousScanId,
  scanMeta,
  scopeOf,
} from '../../store/index.js';
import { HttpError } from '../auth.js';
import type { RouteDef } from '../route.js';
import { idParams, query, route } from '../route.js';
import { custodyIssues } from './custody-view.js';

const PROBLEMS_SHOWN = 100;

const FORMATS: Record<string, { type: string; ext: string; render: (r: ScanReport) => string }> = {
  json: { type: 'application/json', ext: 'json', render: (r) => JSON.stringify(r, null, 2) },
  html: { type: 'text/html; charset=utf-8', ext: 'html', render: renderHtml },
  csv: { type: 'text/csv; charset=utf-8', ext: 'csv', render: timelineCsv },
};

/** Server names are typed by uploaders: only a safe subset goes into the file name. */
function fileName(server: string, scanId: number, ext: string): string {
  const safe = server.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'server';
  return `exhunt-${safe}-scan-${scanId}.${ext}`;
}

export const dashboardScanRoutes: RouteDef[] = [
  route({
    method: 'GET',
    url: '/scans/:id/details',
    summary:
      'A scan and its report without the findings (page those with /findings?scanId=): verdict, sessions and timeline, data exposure, exposure, webshells, remediation, coverage',
    tag: 'scans',
    role: 'viewer',
    params: idParams,
    response: {
      status: 200,
      description:
        '`{ scan, report }`; the report lists counts for artifacts and problems, and `custodyIssues` (the chain of custody problems, counted by kind and listed) when it has a `custody` section',
    },
    async handler({ ctx, principal, params }) {
      const scope = scopeOf(principal);
      const scan = await getScan(ctx.store, scope, params.id);
      const meta = scan && (await scanMeta(ctx.store, scope, scan.id));
      if (!scan || !meta) throw new HttpError(404, 'no such scan');
      // Artifacts are counted and problems cut to the first ones: the dashboard pages findings separately.
      const { artifacts, problems: all, ...rest } = meta;
      const problems = Array.isArray(all) ? all : [];
      const report: ReportDetails = {
        ...rest,
        problems: problems.slice(0, PROBLEMS_SHOWN),
        problemsTotal: problems.length,
        artifactsTotal: Array.isArray(artifacts) ? artifacts.length : 0,
        ...(meta.custody ? { custodyIssues: custodyIssues(problems) } : {}),
      };
      return { scan, report };
    },
  }),
  route({
    method: 'GET',
    url: '/scans/:id/findings',
    summary: 'Findings of a scan by their report ids (those a timeline event or the verdict names)',
    tag: 'scans',
    role: 'viewer',
    params: idParams,
    query: {
      ...query({
        ids: {
          type: 'string',
          pattern: '^[A-Za-z0-9._:-]+(,[A-Za-z0-9._:-]+){0,199}$',
          description: 'finding ids, comma-separated (at most 200)',
        },
      }),
      required: ['ids'],
    },
    response: { status: 200, description: '`{ items }`: the findings as the report has them' },
    async handler({ ctx, principal, params, query: q }) {
      const scope = scopeOf(principal);
      const scan = await getScan(ctx.store, scope, params.id);
      if (!scan) throw new HttpError(404, 'no such scan');
      return { items: await findingsById(ctx.store, scope, scan.id, String(q.ids).split(',')) };
    },
  }),
  route({
    method: 'GET',
    url: '/scans/:id/diff',
    summary:
      'What is gone, remains and is new compared with an earlier scan (by default the same server’s previous one)',
    tag: 'scans',
    role: 'viewer',
    params: idParams,
    query: query({ against: { type: 'integer', minimum: 1, description: 'the earlier scan' } }),
    response: { status: 200, description: '`{ base, diff }`: both null when there is no earlier scan' },
    async handler({ ctx, principal, params, query: q }) {
      const scope = scopeOf(principal);
      const scan = await getScan(ctx.store, scope, params.id);
      if (!scan) throw new HttpError(404, 'no such scan');
      const baseId = q.against ?? (await previousScanId(ctx.store, scope, scan));
      if (baseId === undefined) return { base: null, diff: null };
      // The earlier scan is looked up in the same scope: another tenant's id is simply not found.
      const base = await getScan(ctx.store, scope, baseId);
      if (!base) throw new HttpError(404, 'no such scan to compare with');
      const [before, after] = await Promise.all([
        getScanReport(ctx.store, scope, base.id),
        getScanReport(ctx.store, scope, scan.id),
      ]);
      if (!before || !after) throw new HttpError(404, 'no such scan');
      return { base, diff: diffReports(before, after) };
    },
  }),
  route({
    method: 'GET',
    url: '/scans/:id/download',
    summary: 'Download the scan report as JSON, a self-contained HTML page, or Timesketch CSV (audited)',
    tag: 'scans',
    role: 'analyst',
    params: idParams,
    query: query({ format: { type: 'string', enum: Object.keys(FORMATS), description: 'default json' } }),
    response: {
      status: 200,
      description: 'the report file, as an attachment',
      contentType: 'application/octet-stream',
    },
    async handler({ ctx, principal, params, query: q, reply }) {
      const scope = scopeOf(principal);
      const scan = await getScan(ctx.store, scope, params.id);
      const report = scan && (await getScanReport(ctx.store, scope, scan.id));
      if (!scan || !report) throw new HttpError(404, 'no such scan');
      const format = q.format ?? 'json';
      const f = FORMATS[format] as (typeof FORMATS)[string];
      await audit(ctx.store.db, {
        orgId: scan.organisationId,
        actor: actorOf(principal),
        action: 'report.download',
        target: `scan:${scan.id}`,
        detail: { format },
      });
      reply.header('content-type', f.type);
      reply.header('content-disposition', `attachment; filename="${fileName(scan.server, scan.id, f.ext)}"`);
      // The HTML report carries attacker text; should a browser render it anyway, it runs in a sandbox
      // with no script and no origin, so a mistake in its escaping could not reach this dashboard.
      if (format === 'html')
        reply.header('content-security-policy', "sandbox; default-src 'none'; style-src 'unsafe-inline'");
      return f.render(report);
    },
  }),
];

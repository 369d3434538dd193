// What the scan read: where the evidence came from (its chain of custody), every file read, skipped or lost,
// days of logs missing, coverage and problems.

import { useMemo } from 'react';
import type { EvidenceLoss, Problem, ReportDetails } from '../../api/types.js';
import { textColumn, VirtualTable } from '../../components/VirtualTable.js';
import type { Column } from '../../components/VirtualTable.js';
import { visible } from '../../../../src/core/visible.js';
import { count } from '../../format.js';
import { CustodyPanel } from './CustodyPanel.js';

const SKIP: Record<string, string> = {
  'no-reader': 'not a file exhunt reads',
  empty: 'empty (0 bytes)',
  special: 'not a regular file (FIFO, device, socket)',
};

export function EvidenceTab({ report }: { report: ReportDetails }) {
  const i = report.integrity;
  const lossColumns = useMemo<Column<EvidenceLoss>[]>(
    () => [
      textColumn('first', 'Where', (e) => visible(e.first), 'minmax(14rem, 3fr)'),
      textColumn('loss', 'Lost', (e) => (e.records ? `${e.loss} (${e.records} records)` : e.loss), '9rem'),
      textColumn('lowers', 'Lowers the verdict', (e) => (e.lowers ? 'yes' : `no: ${e.why ?? ''}`), '12rem'),
      textColumn('codes', 'Problems', (e) => `${e.codes.join(' ')} (${e.problems})`, 'minmax(10rem, 2fr)'),
      textColumn('message', 'First problem', (e) => visible(e.message), 'minmax(12rem, 3fr)'),
    ],
    [],
  );
  const problemColumns = useMemo<Column<Problem>[]>(
    () => [
      textColumn('severity', 'Severity', (p) => p.severity, '6rem'),
      textColumn('code', 'Code', (p) => p.code, '12rem'),
      textColumn(
        'where',
        'Where',
        (p) =>
          `${visible(p.path ?? '')}${p.line !== undefined ? `:${p.line}` : p.offset !== undefined ? `@${p.offset}` : ''}`,
        'minmax(12rem, 3fr)',
      ),
      textColumn('message', 'Message', (p) => visible(p.message), 'minmax(12rem, 3fr)'),
    ],
    [],
  );
  return (
    <>
      <CustodyPanel report={report} />
      {i ? (
        <section aria-labelledby="integrity-h">
          <h3 id="integrity-h">{i.complete ? 'Evidence read' : 'Evidence read: incomplete'}</h3>
          <p className={i.complete ? 'muted' : 'error'}>
            {i.complete
              ? 'Nothing the verdict depends on was lost.'
              : 'Parts of the evidence the verdict depends on were not read in full: the verdict cannot be better than this.'}
          </p>
          <ul className="small">
            <li>
              {count(i.files.listed, 'file')} listed: {i.files.read} read ({i.files.withLoss} with loss),{' '}
              {i.files.skipped} skipped, {i.files.unread} not read
            </li>
            {i.skipped.map((g) => (
              <li key={g.reason}>
                skipped, {SKIP[g.reason] ?? g.reason}: {count(g.files, 'file')}, e.g.{' '}
                {g.examples.slice(0, 3).join(', ')}
              </li>
            ))}
            <li>access times: {i.access.note}</li>
          </ul>
          {i.gaps.length > 0 ? (
            <ul className="small" aria-label="Days with no logs">
              {i.gaps.map((g) => (
                <li key={`${g.family}|${g.from}`}>
                  no {g.family} logs {g.from === g.to ? `on ${g.from}` : `from ${g.from} to ${g.to}`} (
                  {count(g.days, 'day')}){g.lowers ? ', while the server was exposed' : ''}
                </li>
              ))}
            </ul>
          ) : null}
          {i.losses.length > 0 ? (
            <VirtualTable
              label="Losses"
              data={i.losses}
              columns={lossColumns}
              rowId={(e) => e.path}
              sortParam="lsort"
            />
          ) : null}
        </section>
      ) : (
        <p className="muted">This report predates report schema 1.2: it does not say what was lost.</p>
      )}
      <section aria-labelledby="problems-h">
        <h3 id="problems-h">Problems ({report.problemsTotal.toLocaleString('en')})</h3>
        {report.problemsTotal > report.problems.length ? (
          <p className="muted small">
            The first {report.problems.length}; the JSON download holds all{' '}
            {report.problemsTotal.toLocaleString('en')}.
          </p>
        ) : null}
        <VirtualTable
          label="Problems"
          data={report.problems}
          columns={problemColumns}
          rowId={(_, n) => String(n)}
          empty="No problem: every file was read cleanly."
        />
      </section>
    </>
  );
}

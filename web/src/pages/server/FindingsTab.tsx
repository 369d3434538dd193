// The scan's findings, paged from the server as the table scrolls, filtered by the address's query values,
// with the chosen finding's evidence below.

import { useMemo, useState } from 'react';
import { SEVERITIES, STAGES } from '../../../../src/core/finding.js';
import { qs } from '../../api/client.js';
import { usePaged } from '../../api/hooks.js';
import type { FindingView, ScanView } from '../../api/types.js';
import { OutcomeBadge } from '../../components/Badge.js';
import { SearchParam, SelectParam } from '../../components/Filters.js';
import { FindingDetail } from '../../components/FindingDetail.js';
import { ErrorBox } from '../../components/Status.js';
import { textColumn, VirtualTable } from '../../components/VirtualTable.js';
import type { Column } from '../../components/VirtualTable.js';
import { utc } from '../../format.js';
import { useLocation } from '../../router.js';

/** Worst first (core's OUTCOMES are in the order of the verdict's rules). */
const OUTCOMES = ['compromise', 'success', 'attempt', 'probe', 'suspicious', 'context'] as const;
/** Worst first, as a responder reads them. */
const SEVERITIES_WORST_FIRST = [...SEVERITIES].reverse();

export function FindingsTab({ scan }: { scan: ScanView }) {
  const { params } = useLocation();
  const path = `/findings${qs({
    scanId: scan.id,
    outcome: params.get('outcome'),
    stage: params.get('stage'),
    severity: params.get('severity'),
    ip: params.get('ip'),
    rule: params.get('rule'),
  })}` as const;
  const list = usePaged('/findings', path);
  const [chosen, setChosen] = useState<FindingView>();
  const columns = useMemo<Column<FindingView>[]>(
    () => [
      textColumn('time', 'Time (UTC)', (r) => utc(r.finding.time), '12.5rem'),
      {
        id: 'outcome',
        header: 'Outcome',
        cell: (c) => <OutcomeBadge outcome={c.row.original.finding.outcome} />,
        meta: { width: '8rem' },
      },
      textColumn('severity', 'Severity', (r) => r.finding.severity, '6.5rem'),
      textColumn('stage', 'Stage', (r) => r.finding.stage, '9rem'),
      textColumn('rule', 'Rule', (r) => r.finding.rule.title, 'minmax(10rem, 2fr)'),
      textColumn('ip', 'From', (r) => r.finding.sourceIps.join(' '), '8rem'),
      textColumn(
        'summary',
        'Summary',
        (r) => r.finding.summary ?? r.finding.evidence[0]?.excerpt,
        'minmax(12rem, 3fr)',
      ),
    ],
    [],
  );
  return (
    <>
      <div className="filters">
        <SelectParam name="outcome" label="Outcome" options={OUTCOMES} />
        <SelectParam name="severity" label="Severity" options={SEVERITIES_WORST_FIRST} />
        <SelectParam name="stage" label="Stage" options={STAGES} />
        <SearchParam name="ip" label="Address" placeholder="exact address" />
        <SearchParam name="rule" label="Rule id" placeholder="exact rule id" />
      </div>
      {list.error ? <ErrorBox error={list.error} /> : null}
      <VirtualTable
        label="Findings"
        data={list.items}
        columns={columns}
        rowId={(r) => String(r.id)}
        onEndReached={list.done ? undefined : list.loadMore}
        onActivate={(r: FindingView) => setChosen(r)}
        selected={chosen ? String(chosen.id) : undefined}
        empty={list.loading ? 'Loading…' : 'No finding matches.'}
        footer={`${list.items.length.toLocaleString('en')} of ${scan.findings.toLocaleString('en')} findings${
          list.done ? '' : ', more as you scroll'
        }`}
      />
      {chosen ? (
        <FindingDetail f={chosen.finding} />
      ) : (
        <p className="muted">Choose a finding to see its evidence.</p>
      )}
    </>
  );
}

// Webshells found on disk: where, the hash to look for elsewhere, why each was judged a webshell.

import { useMemo } from 'react';
import type { Webshell } from '../../api/types.js';
import { textColumn, VirtualTable } from '../../components/VirtualTable.js';
import type { Column } from '../../components/VirtualTable.js';
import { utc } from '../../format.js';

export function WebshellsTab({ webshells }: { webshells: Webshell[] }) {
  const columns = useMemo<Column<Webshell>[]>(
    () => [
      textColumn('path', 'Path', (w) => w.path, 'minmax(14rem, 3fr)'),
      textColumn('modified', 'Modified (UTC)', (w) => utc(w.modified), '12.5rem'),
      textColumn('size', 'Bytes', (w) => w.size, '6rem'),
      textColumn('sha256', 'SHA-256', (w) => w.sha256, 'minmax(10rem, 2fr)'),
      textColumn('reasons', 'Why', (w) => w.reasons.join('; '), 'minmax(12rem, 3fr)'),
      textColumn('requests', 'Requests', (w) => w.accessedBy?.length ?? 0, '6rem'),
    ],
    [],
  );
  if (webshells.length === 0) return <p className="muted">No webshell was found on disk.</p>;
  return (
    <VirtualTable
      label="Webshells"
      data={webshells}
      columns={columns}
      rowId={(w) => `${w.path}|${w.sha256}`}
      sortParam="wsort"
    />
  );
}

// The one table every list uses: TanStack Table for columns and sorting, TanStack Virtual so that only the
// rows in view exist in the page (100,000 rows scroll like 100), keyboard navigation, and paging on demand.

import { flexRender, getCoreRowModel, getSortedRowModel, useReactTable } from '@tanstack/react-table';
import type { ColumnDef, RowData, SortingState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import { useParam } from '../router.js';

declare module '@tanstack/react-table' {
  // Type parameters are fixed by the declaration being merged with.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    /** A CSS grid track: `8rem`, `minmax(10rem, 2fr)`. */
    width?: string;
  }
}

export type Column<T> = ColumnDef<T, unknown>;

export interface VirtualTableProps<T> {
  label: string;
  data: T[];
  columns: Column<T>[];
  rowId(row: T, index: number): string;
  /** Called as the last rows scroll into view, to load the next page. */
  onEndReached?(): void;
  /** Enter or a click on a row. */
  onActivate?(row: T): void;
  /** The row shown as selected (its id). */
  selected?: string | undefined;
  /** Sort on the client, the choice kept in this query parameter (only for lists loaded whole). */
  sortParam?: string;
  rowHeight?: number;
  /** Height of the scrolling area in pixels. */
  height?: number;
  empty?: string;
  footer?: ReactNode;
}

function parseSort(v: string | undefined): SortingState {
  if (!v) return [];
  return [{ id: v.replace(/^-/, ''), desc: v.startsWith('-') }];
}

export function VirtualTable<T>(props: VirtualTableProps<T>) {
  const { data, columns, rowId, onEndReached, onActivate, selected, sortParam } = props;
  const rowHeight = props.rowHeight ?? 34;
  const [sortValue, setSortValue] = useParam(sortParam ?? '');
  const sorting = useMemo(() => (sortParam ? parseSort(sortValue) : []), [sortParam, sortValue]);
  const table = useReactTable({
    data,
    columns,
    getRowId: rowId,
    getCoreRowModel: getCoreRowModel(),
    ...(sortParam ? { getSortedRowModel: getSortedRowModel() } : {}),
    enableSorting: !!sortParam,
    state: { sorting },
    onSortingChange: (up) => {
      const s = typeof up === 'function' ? up(sorting) : up;
      const first = s[0];
      setSortValue(first ? `${first.desc ? '-' : ''}${first.id}` : undefined);
    },
  });
  const rows = table.getRowModel().rows;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? -1;
  useEffect(() => {
    if (onEndReached && rows.length > 0 && lastIndex >= rows.length - 30) onEndReached();
  }, [lastIndex, rows.length, onEndReached]);

  const [active, setActive] = useState(-1);
  const baseId = useId();
  const grid = columns.map((c) => c.meta?.width ?? 'minmax(6rem, 1fr)').join(' ');
  const height = props.height ?? Math.min(560, Math.max(3, rows.length) * rowHeight + 2);

  const move = (to: number) => {
    if (rows.length === 0) return;
    const i = Math.max(0, Math.min(rows.length - 1, to));
    setActive(i);
    virtualizer.scrollToIndex(i, { align: 'auto' });
  };
  const page = Math.max(1, Math.floor(height / rowHeight) - 1);
  const onKeyDown = (e: KeyboardEvent) => {
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(active + 1),
      ArrowUp: () => move(active - 1),
      PageDown: () => move(active + page),
      PageUp: () => move(active - page),
      Home: () => move(0),
      End: () => move(rows.length - 1),
      Enter: () => {
        const row = rows[active];
        if (row && onActivate) onActivate(row.original);
      },
    };
    const action = keys[e.key];
    if (!action) return;
    e.preventDefault();
    action();
  };

  return (
    <div className="vt" role="table" aria-label={props.label} aria-rowcount={rows.length + 1}>
      <div className="vt-head" role="rowgroup">
        {table.getHeaderGroups().map((hg) => (
          <div
            key={hg.id}
            className="vt-row"
            role="row"
            aria-rowindex={1}
            style={{ gridTemplateColumns: grid }}
          >
            {hg.headers.map((h) => {
              const sorted = h.column.getIsSorted();
              const title = flexRender(h.column.columnDef.header, h.getContext());
              return (
                <div
                  key={h.id}
                  role="columnheader"
                  className="vt-cell"
                  aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                >
                  {h.column.getCanSort() ? (
                    <button type="button" className="linklike" onClick={h.column.getToggleSortingHandler()}>
                      {title}
                      {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                    </button>
                  ) : (
                    title
                  )}
                </div>
              );
            })}
          </div>
        ))}
      </div>
      <div
        ref={scrollRef}
        className="vt-body"
        role="rowgroup"
        tabIndex={0}
        aria-label={`${props.label}: arrow keys move, Enter opens`}
        aria-activedescendant={active >= 0 && rows[active] ? `${baseId}-${active}` : undefined}
        style={{ height }}
        onKeyDown={onKeyDown}
        onFocus={() => {
          if (active < 0 && rows.length > 0) setActive(0);
        }}
      >
        {rows.length === 0 ? (
          <p className="muted empty">{props.empty ?? 'Nothing to show.'}</p>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((vi) => {
              const row = rows[vi.index];
              if (!row) return null;
              const cls = [
                'vt-row',
                vi.index === active ? 'active' : '',
                row.id === selected ? 'selected' : '',
                onActivate ? 'clickable' : '',
              ].join(' ');
              return (
                <div
                  key={row.id}
                  id={`${baseId}-${vi.index}`}
                  role="row"
                  aria-rowindex={vi.index + 2}
                  aria-selected={row.id === selected ? true : undefined}
                  className={cls}
                  style={{
                    gridTemplateColumns: grid,
                    height: rowHeight,
                    transform: `translateY(${vi.start}px)`,
                  }}
                  onClick={() => {
                    setActive(vi.index);
                    onActivate?.(row.original);
                  }}
                >
                  {row.getVisibleCells().map((cell) => (
                    <div key={cell.id} role="cell" className="vt-cell">
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </div>
                  ))}
                </div>
              );
            })}
          </div>
        )}
      </div>
      {props.footer ? <div className="vt-foot">{props.footer}</div> : null}
    </div>
  );
}

/** A column showing text (always as a text node) with the full value on hover. */
export function textColumn<T>(
  id: string,
  header: string,
  get: (row: T) => string | number | null | undefined,
  width?: string,
): Column<T> {
  return {
    id,
    header,
    accessorFn: (r) => get(r) ?? '',
    cell: (c) => {
      const raw = c.getValue();
      const v = typeof raw === 'string' ? raw : raw === undefined || raw === null ? '' : JSON.stringify(raw);
      return <span title={v}>{v}</span>;
    },
    ...(width ? { meta: { width } } : {}),
  };
}

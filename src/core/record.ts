// The one internal value every source yields: a record with named fields, a time and its raw text.

import type { Problem } from './problem.js';

/** A field value as sources expose it. Text logs only produce strings; EVTX may produce numbers. */
export type FieldValue = string | number | boolean | null;

/**
 * A record read from an artifact. Sources decode fields lazily: `get` is called only for the fields a
 * rule asks about, so a line that no rule touches costs little more than finding its end.
 */
export interface LogRecord {
  /** Source id that produced it (`iis-w3c`, `httpproxy`, `ecp-server`, `evtx`, ...). */
  readonly source: string;
  /** 1-based line number for text logs; the event record number for EVTX. */
  readonly line: number;
  /** Byte offset of the record in its file, where known. */
  readonly offset?: number;
  /** UTC ISO-8601 time of the record, when it has one. */
  readonly time: string | undefined;
  /** Value of a field by its source-native name (`cs-uri-stem`, `AnchorMailbox`, `EventID`, ...). */
  get(field: string): FieldValue | readonly FieldValue[] | undefined;
  /** The record's whole text, for keyword search and excerpts (the raw line for text logs). */
  text(): string;
  /** Names of the fields this record carries. */
  fieldNames(): readonly string[];
  /**
   * Bits of the source's gate literals found in the record's text (0: none), when the parser looked;
   * absent or -1 when it did not.
   */
  readonly gate?: number;
}

/** Where parsed records and problems go. Parsers call these synchronously, in file order. */
export interface RecordSink {
  record(r: LogRecord): void;
  problem(p: Problem): void;
  /**
   * Records that were counted and checked but not materialised because no matcher could hit them, with
   * the earliest and latest time among them.
   */
  tally?(records: number, firstTime: string | undefined, lastTime: string | undefined): void;
  /** The build in an Exchange log's `#Version:` directive, with the time of the directive's file. */
  version?(build: string, time: string | undefined, line: number): void;
}

/** A push parser: fed the file's bytes in order, it emits records to its sink. */
export interface Parser {
  push(chunk: Buffer): void;
  end(): void;
  /**
   * True once the parser has stopped reading the file at a bound it reported (a line that never ends): the
   * reader stops feeding it, and the rest of the file is unread.
   */
  stopped?(): boolean;
}

// What the text log parsers (W3C, Exchange CSV) share beyond the line kernel: their parser type, quoting of values.

import type { Parser } from '../../core/record.js';
import type { LineAccount } from './gated-lines.js';

/** A parser that also says where each line went (tests check that every line is accounted for). */
export interface TextParser extends Parser {
  readonly account: LineAccount;
  /** Lines read so far. */
  readonly lines: number;
}

/** A value quoted in a problem's message: attacker-controlled, so kept short (writers escape it when shown). */
export function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
}

// The shape of one entry of the command table, apart from the table so that the completion scripts, made
// from the table, can name it without importing the table's own module (an import cycle).

import type { Io } from './io.js';

export type Command = (argv: string[], io: Io) => Promise<number>;

export interface CommandSpec {
  name: string;
  /** What follows the name in the top-level help, e.g. `scan <evidence>`. */
  synopsis: string;
  summary: string;
  /** Words that may follow the command (completed as the first argument). */
  subcommands?: readonly string[];
  /** The command and its help text; loaded only when used (a scan does not load the fleet server). */
  load(): Promise<{ run: Command; help: string }>;
}

// Command plumbing shared by every command: output streams, exit codes and usage errors.

export interface Io {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  outIsTty: boolean;
  errIsTty: boolean;
}

/** Exit codes, documented in the README: clean, suspicious levels and errors are told apart. */
export const EXIT = {
  clean: 0,
  attempted: 1,
  error: 2,
  exploited: 3,
  compromised: 4,
  inconclusive: 5,
} as const;

export class UsageError extends Error {
  constructor(
    message: string,
    readonly help: string,
  ) {
    super(message);
  }
}

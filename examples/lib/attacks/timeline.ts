// A scenario's attack steps as data: what the generator planted, for the report and for golden tests.

export interface Step {
  /** ISO time of the step (the log line's time). */
  time: string;
  ip: string;
  /** Short label, e.g. `ssrf:autodiscover`, `webshell:post`, `file:lsass-dump`. */
  kind: string;
  /** URL path, AnchorMailbox, file path or log line the step left behind. */
  detail: string;
}

export class Timeline {
  readonly steps: Step[] = [];

  add(t: number, ip: string, kind: string, detail: string): void {
    this.steps.push({ time: new Date(t).toISOString(), ip, kind, detail });
  }

  sorted(): Step[] {
    return [...this.steps].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  }
}

// The shape of an analysis pass: a name, what it does, and a run that returns adjustments without changing anything.

import type { Artifact } from '../../core/artifact.js';
import type { Finding } from '../../core/finding.js';
import type { ExposureReport } from '../../core/report.js';
import type { InternalScannerOptions } from '../internal-scanners.js';
import type { Adjustment } from './adjustment.js';

/** What every pass may read: the findings as earlier passes left them, and the scan's other results. */
export interface PassInput {
  findings: readonly Readonly<Finding>[];
  artifacts: readonly Artifact[];
  /** The build timeline, when the evidence gave one. */
  exposure?: ExposureReport;
  internal: InternalScannerOptions;
}

export interface Pass {
  /** Recorded on every finding the pass changes (`adjustments[].pass`). */
  name: string;
  /** One line: what the pass decides. */
  does: string;
  run(input: PassInput): Adjustment[];
}

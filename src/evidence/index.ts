// Opens a path as evidence: a .zip bundle is read in place, anything else is walked as a folder.

import { stat } from 'node:fs/promises';
import { openFolder } from './folder.js';
import { withOverlay } from './overlay.js';
import type { Overlay } from './overlay.js';
import type { Evidence, EvidenceLimits } from './types.js';
import { DEFAULT_LIMITS } from './types.js';
import { openZip } from './zip.js';

export type { Evidence, EvidenceFile, EvidenceLimits, NoatimeMode, ReadMode, ZipLocation } from './types.js';
export { DEFAULT_LIMITS, EvidenceError, worseNoatime } from './types.js';
export type { Overlay } from './overlay.js';

/** `overlay`: files of a folder read from elsewhere (a live scan's exported event logs). */
export async function openEvidence(
  p: string,
  limits: EvidenceLimits = DEFAULT_LIMITS,
  overlay?: Overlay,
): Promise<Evidence> {
  const st = await stat(p);
  if (st.isDirectory()) return overlay ? withOverlay(openFolder(p), overlay) : openFolder(p);
  if (st.isFile() && /\.zip$/i.test(p)) return openZip(p, limits);
  throw new Error(`${p}: not a folder or a .zip bundle`);
}

// Pass: a CVE finding from a time the server was already patched for it says so (marked, not dropped).

import { stateAt } from '../windows.js';
import { Draft } from './adjustment.js';
import type { Pass } from './pass.js';

const NAME = 'exposure-windows';

/**
 * An exploit step against a CVE the server was patched for at that moment cannot have worked as logged:
 * it is a scan, or the finding is wrong. Such findings are marked (`details.exposureWindow: outside`) and
 * say so in their note; their outcome stays.
 */
export const exposureWindowsPass: Pass = {
  name: NAME,
  does: 'a CVE finding from a time every one of its CVEs was patched (per the build timeline) is marked outside the window',
  run({ findings, exposure }) {
    const windows = exposure?.timeline.windows ?? [];
    if (windows.length === 0) return [];
    const d = new Draft(NAME);
    for (const f of findings) {
      if (!f.time || f.cves.length === 0) continue;
      const states = f.cves.map((c) => stateAt(windows, c, f.time ?? ''));
      if (states.some((s) => s === undefined || s === 'vulnerable' || s === 'unknown')) continue;
      const why = `not vulnerable to ${f.cves.join(', ')} at this time`;
      d.setDetails(f, { exposureWindow: 'outside' }, why);
      d.addNote(f, `the server was not vulnerable to ${f.cves.join(', ')} at this time (per the builds in its logs)`, why); // prettier-ignore
    }
    return d.adjustments;
  },
};

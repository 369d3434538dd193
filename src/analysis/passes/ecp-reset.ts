// Pass: an ECP virtual-directory reset within an hour after a script URL was set is the webshell being written.

import { RULE_IDS } from '../../core/rule-ids.js';
import { Draft } from './adjustment.js';
import type { Pass } from './pass.js';

const WINDOW_MS = 3600_000;
const NAME = 'ecp-reset';

export const ecpResetPass: Pass = {
  name: NAME,
  does: 'a virtual directory reset within an hour after its URL was set to script writes the webshell: compromise, critical',
  run({ findings }) {
    const d = new Draft(NAME);
    const sets = findings
      .filter((f) => f.rule.id === RULE_IDS.ecpVdirScript && f.time)
      .map((f) => Date.parse(f.time ?? ''));
    if (sets.length === 0) return [];
    const why = 'a reset within an hour after a virtual directory URL was set to script';
    for (const f of findings) {
      if (f.rule.id !== RULE_IDS.ecpVdirReset || !f.time) continue;
      const t = Date.parse(f.time);
      if (!sets.some((s) => t >= s && t - s <= WINDOW_MS)) continue;
      d.setOutcome(f, 'compromise', why);
      d.setSeverity(f, 'critical', why);
      d.set(f, 'note', 'follows a virtual directory URL set to script: this reset writes the webshell', why);
    }
    return d.adjustments;
  },
};

// Pass: a request to a file that is on disk and flagged is webshell use, and the file a webshell used.

import { WEBSHELL_RULE_IDS } from '../../core/rule-ids.js';
import { requestsOf, webshellPath } from '../webshells.js';
import { Draft } from './adjustment.js';
import type { Pass } from './pass.js';

const NAME = 'webshells';

export const webshellsPass: Pass = {
  name: NAME,
  does: 'a suspicious request to a webshell on disk is compromise, and so is a suspicious script file such a request reached',
  run({ findings }) {
    const d = new Draft(NAME);
    const requests = requestsOf(findings);
    for (const f of findings) {
      if (!WEBSHELL_RULE_IDS.has(f.rule.id)) continue;
      const { path, hits } = webshellPath(f, requests);
      for (const r of hits) {
        // A request to a file that is on disk and flagged is webshell use, whatever the name looked like.
        if (d.outcome(r) === 'suspicious' && d.outcome(f) === 'compromise') {
          const why = 'the requested file is a webshell on disk';
          d.setOutcome(r, 'compromise', why);
          d.set(r, 'note', `the requested file is a webshell on disk: ${path}`, why);
        }
      }
      if (d.outcome(f) === 'suspicious' && hits.some((r) => d.outcome(r) === 'compromise'))
        d.setOutcome(f, 'compromise', 'a request for this file was webshell use');
    }
    return d.adjustments;
  },
};

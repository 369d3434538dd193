// Pass: Test-ProxyLogon's -CollectFiles copy of a file in a security or backup product's folder is context.

import type { Finding } from '../../core/finding.js';
import { GATE, gateOf, RULE_IDS, TPL_LISTED_FILE_RULE_IDS } from '../../core/rule-ids.js';
import { Draft } from './adjustment.js';
import type { Pass } from './pass.js';

const NAME = 'collected-copies';
const COPY = /(?:^|\/)collectedlogfiles\/([^/]+)\/suspiciousfiles\/([^/]+)_(\d+)$/i;

const nameOf = (p: string) => p.slice(Math.max(p.lastIndexOf('\\'), p.lastIndexOf('/')) + 1).toLowerCase();

/**
 * Test-ProxyLogon's -CollectFiles copies each file of its suspicious-file list to
 * `CollectedLogFiles/<host>/SuspiciousFiles/<name>_<i>`, where the folder it came from is lost; the list
 * (`<host>-other.csv`) still says it. A copy of an archive or dump the list places in a security or backup
 * product's folder is judged as that file: context. Runs before the staged-file gate.
 */
export const collectedCopiesPass: Pass = {
  name: NAME,
  does: "a -CollectFiles copy of a file Test-ProxyLogon's list places in a security or backup product's folder is context (gate vendor)",
  run({ findings }) {
    const d = new Draft(NAME);
    const listed = findings
      .filter((f) => TPL_LISTED_FILE_RULE_IDS.has(f.rule.id) && f.serverFile?.path)
      .sort((a, b) => (a.evidence[0]?.line ?? 0) - (b.evidence[0]?.line ?? 0));
    if (listed.length === 0) return [];
    for (const f of findings) {
      if (gateOf(f) !== GATE.exploitation || f.rule.id === RULE_IDS.lsassDump) continue;
      const row = rowOf(f, listed);
      const listedFile = row?.serverFile;
      const vendorProduct = listedFile?.vendorProduct;
      if (!row || !listedFile || !vendorProduct) continue;
      const why = `a copy of ${listedFile.path}, in a folder of ${vendorProduct}`;
      d.setGate(f, GATE.vendor, why);
      // `details.gate` stays as the text copy readers of 1.5 reports know; analysis reads `gate`.
      d.setDetails(f, { gate: GATE.vendor, vendorProduct, originalPath: listedFile.path }, why);
      d.setOutcome(f, 'context', why);
      d.addNote(f, `a copy made by Test-ProxyLogon -CollectFiles of ${listedFile.path}, in a folder of ${vendorProduct} (row ${row.evidence[0]?.line ?? '?'} of ${row.evidence[0]?.path ?? 'its list'}): listed as context`, why); // prettier-ignore
    }
    return d.adjustments;
  },
};

/** The list's row a copy was made from: its place in the list, if the name agrees, or the only row of that name. */
function rowOf(f: Readonly<Finding>, listed: readonly Readonly<Finding>[]): Readonly<Finding> | undefined {
  const m = COPY.exec(f.evidence[0]?.path ?? '');
  if (!m) return undefined;
  const [, host, name, index] = m as unknown as [string, string, string, string];
  const rows = listed.filter((l) => (l.serverFile?.host ?? '').toLowerCase() === host.toLowerCase());
  const at = rows[Number(index)];
  if (at && nameOf(at.serverFile?.path ?? '') === name.toLowerCase()) return at;
  const byName = rows.filter((l) => nameOf(l.serverFile?.path ?? '') === name.toLowerCase());
  return byName.length === 1 ? byName[0] : undefined;
}

// Staged files: LSASS dumps and archives in staging folders. Only evidence of compromise where exploitation is shown.

import type { Detector, Hit } from '../../core/detector.js';
import { builtinRule, str } from './util.js';
import { securityProducts } from './vendor-folders.js';
import { GATE, RULE_IDS } from '../../core/rule-ids.js';

const LSASS = builtinRule(RULE_IDS.lsassDump, 'LSASS memory dump in a staging folder', 'critical');
const DUMP = builtinRule(RULE_IDS.memoryDump, 'Process memory dump in a staging folder', 'high');
const ARCHIVE = builtinRule(RULE_IDS.stagedArchive, 'Archive in a staging folder', 'medium');
const PST = builtinRule(RULE_IDS.stagedPst, 'Mailbox export (PST) in a staging folder', 'high');

/** A report folder Windows Error Reporting names after the crashed program (`AppCrash_lsass.exe_…`). */
const WER_LSASS_FOLDER = /\/[a-z]+_lsass\.exe_[^/]*\/[^/]+$/i;

export const stagedFileDetector: Detector = {
  id: 'staged-file',
  title: 'Dumps and archives staged for exfiltration',
  sources: ['staged-file'],
  check(r) {
    const path = str(r, 'Path');
    const name = str(r, 'Name').toLowerCase();
    const ext = str(r, 'Extension');
    const minidump = r.text().startsWith('MDMP');
    const base = { cves: [], time: r.time, sourceIps: [], excerpt: path };
    const dump = ext === '.dmp' || minidump;
    let hit: Hit;
    if (
      /^lsass.*dmp$/.test(name) ||
      (minidump && name.includes('lsass')) ||
      (dump && WER_LSASS_FOLDER.test(path))
    ) {
      hit = { ...base, rule: LSASS, severity: 'critical', stage: 'credential-access', outcome: 'context' };
      hit.summary = `LSASS dump ${path}: every credential cached in LSASS at the time is exposed`;
    } else if (dump) {
      hit = { ...base, rule: DUMP, severity: 'high', stage: 'credential-access', outcome: 'context' };
      hit.summary = `memory dump ${path}`;
    } else if (ext === '.pst') {
      hit = { ...base, rule: PST, severity: 'high', stage: 'collection', outcome: 'context' };
      hit.summary = `mailbox export ${path}`;
    } else {
      hit = { ...base, rule: ARCHIVE, severity: 'medium', stage: 'collection', outcome: 'context' };
      hit.summary = `archive ${path}`;
    }
    // Test-ProxyLogon only reports these when a CVE check hit; analysis applies the same gate.
    // `gate` is what analysis reads; `details.gate` is its text copy for readers of 1.5 reports.
    hit.gate = GATE.exploitation;
    hit.details = { path, size: String(r.get('Size') ?? ''), gate: GATE.exploitation };
    if (hit.rule === LSASS) {
      // No folder excuses credentials on disk: WER itself can be made to write an LSASS dump on purpose.
      if (/(^|\/)programdata\/microsoft\/windows\/wer\//i.test(path))
        hit.note =
          'in a Windows Error Reporting folder, still treated as an LSASS dump: a real LSASS crash restarts the server (see the System log), and the dump holds the same credentials whoever wrote it';
      return [hit];
    }
    // Mailbox exports are mail content: no product's folder makes one harmless.
    if (hit.rule === PST) return [hit];
    const vendor = securityProducts().match(path, dump ? 'dump' : 'archive');
    if (vendor) {
      // Security and backup products keep their own archives and dumps here: context whatever else is found.
      hit.gate = GATE.vendor;
      hit.details.gate = GATE.vendor;
      hit.details.vendorProduct = vendor.product;
      hit.details.vendorMatch = `${vendor.how === 'folder' ? 'folder' : 'update package name'} ${vendor.pattern}`;
      hit.details.vendorSources = vendor.sources.join(' ');
      hit.note =
        vendor.how === 'folder'
          ? `in a folder of ${vendor.product} (${vendor.pattern}): listed as context; open it if the server shows exploitation and the file is not the product's`
          : `named like a ${vendor.product} update package (${vendor.pattern}): listed as context`;
    }
    return [hit];
  },
};

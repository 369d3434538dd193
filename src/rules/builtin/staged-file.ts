// Staged files: LSASS dumps and archives in staging folders. Only evidence of compromise where exploitation is shown.

import type { Detector, Hit } from '../../core/detector.js';
import { builtinRule, str } from './util.js';

const LSASS = builtinRule('staged.lsass-dump', 'LSASS memory dump in a staging folder', 'critical');
const DUMP = builtinRule('staged.memory-dump', 'Process memory dump in a staging folder', 'high');
const ARCHIVE = builtinRule('staged.archive', 'Archive in a staging folder', 'medium');
const PST = builtinRule('staged.pst', 'Mailbox export (PST) in a staging folder', 'high');

/** Folders of security and backup products, which keep their own archives and dumps. */
export const VENDOR_FOLDER =
  /(^|\/)programdata\/(microsoft\/windows defender|microsoft\/windows\/wer|microsoft\/microsoft antimalware|package cache|symantec|mcafee|sophos|kaspersky lab|eset|trend micro|crowdstrike|sentinel|malwarebytes|bitdefender|avast software|avg|veeam)\//i;

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
    let hit: Hit;
    if (/^lsass.*dmp$/.test(name) || (minidump && name.includes('lsass'))) {
      hit = { ...base, rule: LSASS, severity: 'critical', stage: 'credential-access', outcome: 'context' };
      hit.summary = `LSASS dump ${path}: every credential cached in LSASS at the time is exposed`;
    } else if (ext === '.dmp' || minidump) {
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
    hit.details = { path, size: String(r.get('Size') ?? ''), gate: 'exploitation' };
    if (VENDOR_FOLDER.test(path)) {
      // Security and backup products keep their own archives and dumps here: context whatever else is found.
      hit.details.gate = 'vendor';
      hit.note = 'in a folder of a security or backup product: listed as context';
    }
    return [hit];
  },
};

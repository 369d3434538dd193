// What each problem code costs the evidence: the table the verdict reads to know whether something was lost.

/**
 * - `none`: nothing of the evidence went unread (a rule failed to load, a finding cap, a header checksum);
 * - `records`: some records (lines, events) of the file could not be read;
 * - `part`: a part of the file could not be read, or was read with doubts (a damaged chunk, a cut-off end);
 * - `file`: none of the file (or of the folder, or of the rest of the bundle) was read.
 */
export type Loss = 'none' | 'records' | 'part' | 'file';

/**
 * Every problem code exhunt emits. A code that is not here counts as `part`: an unknown problem never makes
 * a verdict better. A test checks that every code in the sources is listed.
 */
export const PROBLEM_CODES: Readonly<Record<string, Loss>> = {
  // Containers: folders and zip bundles.
  'evidence.unreadable-file': 'file',
  'evidence.unreadable-folder': 'file',
  'evidence.read-failed': 'part',
  'evidence.symlink-skipped': 'file',
  'engine.artifact-failed': 'file',
  'zip.corrupt': 'file',
  'zip.unsafe-path': 'file',
  'zip.encrypted': 'file',
  'zip.too-many-entries': 'file',
  'zip.ratio': 'file',
  'zip.total-size': 'file',
  // A file shorter when read than when listed: the bytes in between were not read.
  'evidence.changed': 'part',
  // Bundle structure: what other tools would disagree on. Entries found are read; gaps are reported apart.
  // Without its end record or with fewer entries than it declares, a bundle may have lost entries unseen.
  'zip.no-end-record': 'part',
  'zip.entries-missing': 'part',
  'zip.count-mismatch': 'none',
  'zip.duplicate-name': 'none',
  'zip.orphan-entry': 'none',
  'zip.unaccounted-bytes': 'part',
  'zip.local-mismatch': 'part',
  'zip.bad-local-header': 'file',
  'zip.bad-entry': 'file',
  'zip.truncated': 'file',
  'zip.overlap': 'file',
  'zip.unsupported-method': 'file',
  // Found while an entry is inflated: it was read, but not all of it or not as the bundle recorded it.
  'zip.crc-mismatch': 'part',
  'zip.size-mismatch': 'part',
  'zip.damaged': 'part',
  'limit.zip-inflated': 'part',
  // The collecting tool's chain of custody (Velociraptor's uploads.json, KAPE's copy log): a file it recorded
  // that is not in the evidence was lost; one with another size or hash is not what was collected (the
  // whole file: which bytes differ is unknown).
  'custody.missing': 'file',
  'custody.size-mismatch': 'file',
  'custody.hash-mismatch': 'file',
  'custody.bad-entry': 'none',
  'custody.unreadable': 'none',
  // Text logs.
  'parse.bad-line': 'records',
  'w3c.no-fields': 'part',
  'w3c.bad-line': 'records',
  'csv.bad-line': 'records',
  'csv.unclosed-quote': 'records',
  // A row with fewer columns than the header is read with the rest absent; what they held is lost.
  'csv.short-row': 'records',
  // Logs exported as tables (Export-Csv, SIEM) and Test-ProxyLogon's CSVs. A file that yields nothing usable
  // costs the whole file: it is named like, or sits among, files the verdict reads.
  'export.no-header': 'file',
  'export.other-log': 'file',
  'export.no-columns': 'file',
  'export.no-rows': 'file',
  'export.no-records': 'file',
  // Rows read as text only, or without some columns the detections read: part of what they hold is unseen.
  'export.headerless': 'part',
  'export.missing-columns': 'part',
  'export.bad-row': 'records',
  'export.short-row': 'records',
  'export.unclosed-quote': 'records',
  'export.long-line': 'records',
  // The row is read and matched; only its place in time is unknown.
  'export.bad-time': 'none',
  'export.ambiguous-time': 'none',
  // Test-ProxyLogon's path lists (.log): a line that is not a path, a list with none.
  'tpl.bad-entry': 'records',
  'tpl.no-entries': 'file',
  // A time that does not exist (month 13, 30 February) or cannot be read: the record is read without one.
  'w3c.bad-time': 'part',
  'csv.bad-time': 'part',
  // A #Fields line that names nothing: the layout before it is kept.
  'w3c.bad-fields': 'part',
  'csv.bad-fields': 'part',
  // Rows before any header: read as text, so rules on named columns cannot see them.
  'csv.no-header': 'part',
  // Text damage: a line over the length limit is not read; NUL runs are writes that never happened (a crash);
  // bytes that are not valid UTF-8/UTF-16 are read as U+FFFD, the rest of the line as it is.
  'text.line-too-long': 'records',
  // A line with no end within the limit: reading stopped there, the line and the rest of the file unread.
  'text.unended-line': 'part',
  'text.nul-bytes': 'part',
  'text.bad-encoding': 'none',
  // EVTX.
  'evtx.truncated': 'file',
  'evtx.truncated-chunk': 'part',
  'evtx.bad-file-magic': 'part',
  // The header's checksum covers the header only; every chunk is read whatever it says.
  'evtx.bad-file-checksum': 'none',
  'evtx.bad-chunk-magic': 'part',
  'evtx.bad-chunk-checksum': 'part',
  'evtx.bad-records-checksum': 'part',
  'evtx.bad-free-space-offset': 'part',
  'evtx.not-a-chunk': 'part',
  'evtx.bad-record': 'records',
  'evtx.record-size-mismatch': 'records',
  // The file ends before the chunks its header lists; a chunk it lists is all zeros; zeros or damage
  // where a chunk's records should be. Each record whose number says it was lost there is counted too.
  'evtx.missing-chunks': 'part',
  'evtx.zeroed-chunk': 'part',
  'evtx.zeroed-range': 'part',
  'evtx.damaged-range': 'part',
  'evtx.lost-record': 'records',
  // A record expanding beyond the size cap or nested beyond the depth cap is left out, like a bad one.
  'limit.evtx-expansion': 'records',
  'limit.evtx-depth': 'records',
  // `evtx dump` only: a file it cannot open, a device it will not read, a named pipe nobody wrote to.
  'evtx.unreadable': 'file',
  'evtx.not-a-file': 'file',
  'evtx.no-writer': 'file',
  // Exposure evidence (build, mitigations): losing it weakens "are we exposed", not the verdict.
  'pe.unreadable': 'none',
  'webconfig.not-config': 'none',
  'webconfig.malformed': 'none',
  'exposure.bad-version': 'none',
  'limit.exposure-file': 'none',
  // Detection content: rules and feeds, not evidence.
  'sigma.yaml': 'none',
  'sigma.io': 'none',
  'sigma.type': 'none',
  'sigma.filter': 'none',
  'sigma.duplicate-id': 'none',
  'sigma.correlation-rules': 'none',
  'sigma.correlation-no-time': 'none',
  'mapping.yaml': 'none',
  'mapping.io': 'none',
  'mapping.invalid': 'none',
  'ioc.bad-entry': 'none',
  'ioc.bad-file': 'none',
  'ioc.bad-json': 'none',
  'ioc.bad-pattern': 'none',
  'ioc.empty': 'none',
  'ioc.skipped': 'none',
  'ioc.too-large': 'none',
  'ioc.unknown-format': 'none',
  'ioc.unreadable': 'none',
  'ioc.unsupported-pattern': 'none',
  'ioc.unsupported-type': 'none',
  'sigma.aggregation': 'none',
  'sigma.compile': 'none',
  'sigma.condition': 'none',
  'sigma.correlation': 'none',
  'sigma.detection': 'none',
  'sigma.level': 'none',
  'sigma.logsource': 'none',
  'sigma.missing': 'none',
  'sigma.modifier': 'none',
  'sigma.outcome': 'none',
  'sigma.placeholder': 'none',
  'sigma.stage': 'none',
  'sigma.status': 'none',
  'sigma.unknown-modifier': 'none',
  'sigma.unsupported': 'none',
  'test.invalid': 'none',
  'test.yaml': 'none',
  'yara.rule-error': 'none',
  'yara.module-missing': 'none',
  'yara.unavailable': 'none',
  // YARA was asked for and could not look at a file: that file's content went unexamined.
  'yara.unreadable': 'part',
  'yara.scan-failed': 'part',
  'limit.yara-size': 'part',
  // A web-served script larger than the content bound: its tail was not examined for webshell code.
  'limit.web-file-content': 'part',
  // IIS configuration: a site or virtual directory whose folder is not in the evidence (its files were not
  // collected: a webshell there would go unseen), or an applicationHost.config that could not be read.
  'iis.site-root-missing': 'file',
  'iis.config-unreadable': 'part',
  // applicationHost.config damaged (cut short, a comment never closed) or past its bound: modules registered
  // in the part not read would go unseen.
  'iis.config-damaged': 'part',
  'limit.iis-config': 'part',
  // Caps: more findings or problems than are listed; the listed ones already say what matters.
  'limit.findings': 'none',
  'limit.problems': 'none',
  // Correlations that dropped events may miss a match.
  'limit.correlation-events': 'part',
  // Bundles from the collector, checked against their manifest.json: a listed file absent, or not the bytes
  // that were collected, is a file lost; one the collector saw and did not copy (older than --since, too
  // large, over --max-gb, unreadable) was never read. A file added after the collection loses nothing.
  // (custody.missing and custody.hash-mismatch are above, with the other tools' records.)
  'custody.not-collected': 'file',
  // A live scan: an event log channel wevtutil could not export, and whose live file was not read either,
  // is lost; one whose live file was read as it is costs nothing (engine/live.ts).
  'live.export-failed': 'file',
  'live.read-live-file': 'none',
  // Another channel's live file, which the event log service holds: the verdict reads none of those channels.
  'live.locked-log': 'none',
  // The monitoring agent: a channel's records after the last one read could not be exported; they are read
  // once a later export works, and until then every heartbeat carries the problem (agent/live-channels.ts).
  'agent.event-log-query-failed': 'records',
  'custody.unlisted': 'none',
  'custody.bad-manifest': 'none',
};

export function lossOf(code: string): Loss {
  return PROBLEM_CODES[code] ?? 'part';
}

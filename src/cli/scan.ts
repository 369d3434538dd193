// `exhunt scan <evidence>`: argv → options → engine → console summary and report files.

import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Verdict } from '../core/report.js';
import { DEFAULT_YARA_MAX_SIZE, ENGINE_ORDER, isEngineChoice, parseSize } from '../engine/intel.js';
import type { YaraScanOptions } from '../engine/intel.js';
import { DEFAULT_READ_LIMITS } from '../engine/read-artifact.js';
import { isLiveTarget } from '../engine/live.js';
import type { LiveOptions } from '../engine/live.js';
import { loadPlan } from '../collector/plan.js';
import { scan } from '../engine/scan.js';
import { indicatorsCsv, toStixBundle } from '../report/stix.js';
import { checkUpload } from '../server/client.js';
import type { Progress } from '../engine/scan.js';
import { renderConsole } from '../report/console.js';
import { timelineCsv, timelineJsonl } from '../report/timeline.js';
import type { Io } from './io.js';
import { writeReportFiles } from './report-files.js';
import { EXIT, UsageError } from './io.js';
import { defaultReportFile, sendReport, serverNameOf } from './upload.js';

export const SCAN_HELP = `Usage: exhunt scan <evidence> [options]

  <evidence>              a folder (mounted image, copied drive, collected logs) or a .zip bundle

Options:
  --json FILE             write the full report (JSON, schema/report.schema.json); - for stdout
  --timeline FILE         write the timeline: .csv (Timesketch columns) or .jsonl
  --html FILE             write a self-contained HTML report (summary, detail, timeline, remediation)
  --markdown FILE         the same report as Markdown
  --remediation-script FILE  write the PowerShell remediation script (dry run unless run with -Apply);
                          it refuses to run on another host than the evidence's (or --server-name) or
                          where Exchange is not installed where the evidence had it
  --iocs FILE             indicators: STIX 2.1 bundle, MISP event, CSV or text list (repeatable; folders too)
  --no-builtin-iocs       do not use exhunt's curated indicators for the 2021-2022 campaigns
  --stix FILE             write what the scan found and matched as a STIX 2.1 bundle (sightings, indicators)
  --iocs-out FILE         the same indicators as CSV
  --yara PATH             YARA rules to run with ours (repeatable; files or folders, *.yar.b64 decoded);
                          also turns on --yara-staged
  --yara-staged           YARA over staged dumps and archives too (their content and zip listings)
  --no-yara               no YARA (by default our rules run over the scripts in web-served folders)
  --yara-engine NAME      auto (default), yara-x, yara-cli or yara-wasm (or EXHUNT_YARA_ENGINE)
  --yara-max-size SIZE    largest file YARA reads (default 512M; yara-wasm at most 900M); larger ones
                          are reported
  --upload URL            send the report to an exhunt fleet server when the scan ends (needs --token);
                          the server and token are checked before the scan, the report is also saved
                          (--json FILE, or a file it names), and a failed upload keeps the verdict's exit
                          code: send the saved report later with exhunt upload
  --token T               API token for --upload (or the EXHUNT_TOKEN environment variable)
  --server-name NAME      the server the report belongs to on the fleet server (default: the host name in
                          the logs or Test-ProxyLogon's outputs, else the evidence's folder or zip name)
  --rules PATH            also run the Sigma rules in this file or folder (repeatable)
  --mapping FILE          Sigma log-source and field mapping merged over ours (repeatable)
  --no-builtin-rules      do not run exhunt's own Sigma rules
  --internal-attacks      count failed scanner checks from internal (RFC 1918, fc00::/7) addresses like
                          external ones; by default they are set aside as an internal scanner
  --threads N             worker threads (default: one per core)
  --max-findings-per-rule N  findings kept per rule and file (default 500; the rest are counted)
  --max-unended-line MIB  a text log line with no end within this many MiB stops the reading of its
                          file there, reported as a loss (default 64)
  --live                  the evidence is this running Windows server (default when it is the system
                          drive's root, as in exhunt scan C:\\): each event log channel of data/collect.json
                          is first exported with wevtutil epl into a private temporary folder, read in
                          place of the locked live file, and deleted; the report says what was exported
  --no-live               read the .evtx files as they are, even on the system drive
  --live-temp DIR         where the event logs are exported (default: the system's temporary folder);
                          a folder on another drive keeps the server's system drive untouched
  --quiet                 no console summary
  --no-color              plain console output
`;

export const VERDICT_EXIT: Record<Verdict, number> = {
  clean: EXIT.clean,
  attempted: EXIT.attempted,
  exploited: EXIT.exploited,
  compromised: EXIT.compromised,
  inconclusive: EXIT.inconclusive,
};

export async function scanCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'string' },
      timeline: { type: 'string' },
      html: { type: 'string' },
      markdown: { type: 'string' },
      'remediation-script': { type: 'string' },
      iocs: { type: 'string', multiple: true },
      'no-builtin-iocs': { type: 'boolean' },
      stix: { type: 'string' },
      'iocs-out': { type: 'string' },
      yara: { type: 'string', multiple: true },
      'yara-staged': { type: 'boolean' },
      'no-yara': { type: 'boolean' },
      'yara-engine': { type: 'string' },
      'yara-max-size': { type: 'string' },
      upload: { type: 'string' },
      token: { type: 'string' },
      'server-name': { type: 'string' },
      rules: { type: 'string', multiple: true },
      mapping: { type: 'string', multiple: true },
      'no-builtin-rules': { type: 'boolean' },
      'internal-attacks': { type: 'boolean' },
      threads: { type: 'string' },
      'max-findings-per-rule': { type: 'string' },
      'max-unended-line': { type: 'string' },
      live: { type: 'boolean' },
      'no-live': { type: 'boolean' },
      'live-temp': { type: 'string' },
      quiet: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out.write(SCAN_HELP);
    return EXIT.clean;
  }
  const target = positionals[0];
  if (!target || positionals.length > 1)
    throw new UsageError('scan takes exactly one evidence path', SCAN_HELP);
  const threads = values.threads === undefined ? undefined : positiveInt(values.threads, '--threads', true);
  const maxPerRule =
    values['max-findings-per-rule'] === undefined
      ? 500
      : positiveInt(values['max-findings-per-rule'], '--max-findings-per-rule');
  const unendedLine =
    values['max-unended-line'] === undefined
      ? DEFAULT_READ_LIMITS.unendedLine
      : positiveInt(values['max-unended-line'], '--max-unended-line') * 2 ** 20;
  const token = values.token ?? process.env.EXHUNT_TOKEN;
  if (values.upload && !token) throw new UsageError('--upload needs --token (or EXHUNT_TOKEN)', SCAN_HELP);
  const yaraMax =
    values['yara-max-size'] === undefined ? DEFAULT_YARA_MAX_SIZE : parseSize(values['yara-max-size']);
  if (!yaraMax)
    throw new UsageError(
      `--yara-max-size needs a size like 512M, got "${values['yara-max-size']}"`,
      SCAN_HELP,
    );
  const yara = yaraOptions(values, yaraMax);
  if (values.upload && token) {
    // Told in seconds, not after an hour's scan: a wrong address, a revoked or a viewer's token.
    const who = await checkUpload(values.upload, token);
    io.err.write(`exhunt: ${values.upload} takes reports from ${who.name} (${who.role})\n`);
  }
  const live = liveOptions(values, target);
  if (live) io.err.write(`exhunt: live scan: exporting ${live.channels.length} event log channels first\n`);
  const progress = io.errIsTty ? progressPrinter(io) : undefined;
  const { report, indicators } = await scan(target, {
    ...(live ? { live } : {}),
    intel: {
      iocs: { paths: values.iocs ?? [], builtin: !values['no-builtin-iocs'] },
      ...(yara ? { yara } : {}),
    },
    ...(threads !== undefined ? { threads } : {}),
    rules: {
      builtinRules: !values['no-builtin-rules'],
      rulePaths: values.rules ?? [],
      mappingPaths: values.mapping ?? [],
    },
    readLimits: { ...DEFAULT_READ_LIMITS, findingsPerRule: maxPerRule, unendedLine },
    ...(values['internal-attacks'] ? { internalAttacks: true } : {}),
    ...(progress ? { onProgress: progress } : {}),
  });
  if (progress) io.err.write('\r\x1b[K');
  if (values.json === '-') io.out.write(JSON.stringify(report, null, 2) + '\n');
  else if (values.json) await writeFile(values.json, JSON.stringify(report, null, 2) + '\n');
  await writeReportFiles(report, {
    ...(values.html ? { html: values.html } : {}),
    ...(values.markdown ? { markdown: values.markdown } : {}),
    ...(values['remediation-script'] ? { powershell: values['remediation-script'] } : {}),
    // Named by the responder: the host the script may run on when the evidence names none.
    ...(values['server-name'] ? { host: values['server-name'] } : {}),
  });
  if (values.stix)
    await writeFile(values.stix, JSON.stringify(toStixBundle(report, indicators), null, 2) + '\n');
  if (values['iocs-out']) await writeFile(values['iocs-out'], indicatorsCsv(report));
  if (values.timeline) {
    const text = values.timeline.toLowerCase().endsWith('.jsonl')
      ? timelineJsonl(report)
      : timelineCsv(report);
    await writeFile(values.timeline, text);
  }
  if (!values.quiet && values.json !== '-')
    io.out.write(renderConsole(report, { color: io.outIsTty && !values['no-color'] }));
  if (values.upload && token) {
    // The report is kept on disk whatever happens to the upload, so it can be sent again.
    let saved = values.json && values.json !== '-' ? values.json : undefined;
    if (!saved) {
      saved = defaultReportFile(report, target);
      await writeFile(saved, JSON.stringify(report, null, 2) + '\n', { flag: 'wx' });
      io.err.write(`exhunt: report saved in ${saved}\n`);
    }
    const name = values['server-name'] ?? serverNameOf(report, target);
    // A failed upload is an error message, never the verdict's exit code.
    await sendReport(values.upload, token, report, name, saved, io);
  }
  return VERDICT_EXIT[report.verdict];
}

/**
 * Live when asked, or on Windows when the evidence is the system drive's root. EXHUNT_WEVTUTIL names another
 * program than wevtutil (tests hand in a fake that runs anywhere).
 */
function liveOptions(
  v: { live?: boolean; 'no-live'?: boolean; 'live-temp'?: string },
  target: string,
): LiveOptions | undefined {
  if (v.live && v['no-live']) throw new UsageError('--live and --no-live exclude each other', SCAN_HELP);
  if (v['no-live'] || !(v.live || isLiveTarget(target))) {
    if (v['live-temp']) throw new UsageError('--live-temp goes with a live scan', SCAN_HELP);
    return undefined;
  }
  const program = process.env['EXHUNT_WEVTUTIL'];
  return {
    channels: loadPlan().eventLogs.map((l) => l.channel),
    ...(program ? { program } : {}),
    ...(v['live-temp'] ? { tempParent: v['live-temp'] } : {}),
  };
}

/** Our rules over web scripts by default; user rules or --yara-staged add staged dumps and archives. */
function yaraOptions(
  v: { yara?: string[]; 'yara-staged'?: boolean; 'no-yara'?: boolean; 'yara-engine'?: string },
  maxSize: number,
): YaraScanOptions | undefined {
  const engine = v['yara-engine'];
  if (engine !== undefined && !isEngineChoice(engine))
    throw new UsageError(`--yara-engine is auto, ${ENGINE_ORDER.join(', ')}; got "${engine}"`, SCAN_HELP);
  if (v['no-yara']) {
    if (v.yara || v['yara-staged'] || engine)
      throw new UsageError('--no-yara cannot go with --yara, --yara-staged or --yara-engine', SCAN_HELP);
    return undefined;
  }
  return {
    rules: v.yara ?? [],
    maxSize,
    targets: v.yara || v['yara-staged'] ? 'all' : 'web',
    ...(engine ? { engine } : {}),
  };
}

function positiveInt(s: string, name: string, zeroOk = false): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < (zeroOk ? 0 : 1))
    throw new UsageError(`${name} needs a whole number, got "${s}"`, SCAN_HELP);
  return n;
}

function progressPrinter(io: Io): (p: Progress) => void {
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (now - last < 250 && p.filesDone !== p.files) return;
    last = now;
    const pct = p.bytes > 0 ? ((100 * p.bytesDone) / p.bytes).toFixed(0) : '100';
    io.err.write(
      `\r\x1b[K${p.phase}: ${p.filesDone}/${p.files} files, ${(p.bytesDone / 1e6).toFixed(0)}/${(p.bytes / 1e6).toFixed(0)} MB (${pct}%)`,
    );
  };
}

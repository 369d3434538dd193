// `exhunt exposure`: which campaign CVEs a build is exposed to, from a build number or over the network.

import { assessBuild, exposureExitCode, type Assessment } from '../exposure/assess.js';
import { createWriter, type OutputFormat } from '../exposure/remote/output.js';
import { SCAN_DEFAULTS, scanTargets } from '../exposure/remote/scan.js';
import { readTargetLines } from '../exposure/remote/target.js';

interface Io {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

export const EXPOSURE_HELP = `Usage: exhunt exposure --build <version> [--json]
       exhunt exposure <url|host>... [--targets FILE] [--json|--csv] [options]

  Which CVEs of the mass-exploitation campaigns an Exchange build is exposed to, and the update that fixes
  each: from a build number, or from servers on the network (HTTPS GET requests only, nothing else sent).

Options:
  --build VERSION         a build number (15.1.2375.7, as Get-ExchangeServer or a log's #Version shows)
  --targets FILE          more URLs or hosts, one per line
  --json                  JSON instead of a table
  --csv                   CSV rows (network checks)
  --timeout MS            per request (default ${SCAN_DEFAULTS.timeoutMs})
  --retries N             per target after a failed request (default ${SCAN_DEFAULTS.retries})
  --concurrency N         targets checked at once (default ${SCAN_DEFAULTS.concurrency})
  --rate N                requests per second at most (default: no limit)
`;

interface Parsed {
  build?: string;
  format: OutputFormat;
  targets: string[];
  targetsFile?: string;
  timeoutMs: number;
  retries: number;
  concurrency: number;
  rate: number;
  help: boolean;
}

function parseArgs(argv: string[]): Parsed | string {
  const args = argv[0] === 'exposure' ? argv.slice(1) : argv;
  const p: Parsed = { format: 'table', targets: [], ...SCAN_DEFAULTS, help: false };
  const num = (flag: string, v: string | undefined, min: number): number | string => {
    const n = Number(v);
    return v !== undefined && /^\d+(\.\d+)?$/.test(v) && n >= min ? n : `${flag} needs a number ≥ ${min}`;
  };
  let json = false;
  let csv = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const value = () => args[++i];
    let n: number | string;
    switch (a) {
      case '-h':
      case '--help':
        p.help = true;
        break;
      case '--json':
        json = true;
        break;
      case '--csv':
        csv = true;
        break;
      case '--build':
        p.build = value();
        if (!p.build) return '--build needs a version';
        break;
      case '--targets':
        p.targetsFile = value();
        if (!p.targetsFile) return '--targets needs a file';
        break;
      case '--timeout':
        if (typeof (n = num(a, value(), 1)) === 'string') return n;
        p.timeoutMs = n;
        break;
      case '--retries':
        if (typeof (n = num(a, value(), 0)) === 'string') return n;
        p.retries = Math.floor(n);
        break;
      case '--concurrency':
        if (typeof (n = num(a, value(), 1)) === 'string') return n;
        p.concurrency = Math.floor(n);
        break;
      case '--rate':
        if (typeof (n = num(a, value(), 0)) === 'string') return n;
        p.rate = n;
        break;
      default:
        if (a.startsWith('-')) return `unknown option ${a}`;
        p.targets.push(a);
    }
  }
  if (json && csv) return '--json and --csv exclude each other';
  p.format = json ? 'json' : csv ? 'csv' : 'table';
  if (p.help) return p;
  if (p.build !== undefined && (p.targets.length > 0 || p.targetsFile))
    return '--build cannot be combined with targets';
  if (p.build !== undefined && csv) return '--csv is for network scans';
  if (p.build === undefined && p.targets.length === 0 && !p.targetsFile)
    return 'give --build <version> or at least one target';
  return p;
}

function printAssessment(a: Assessment, out: NodeJS.WritableStream): void {
  const name = [a.productName, a.cu, a.su].filter(Boolean).join(' ');
  out.write(
    `build ${a.version}: ${name || 'unknown build'}${a.released ? ` (${a.released}${a.kb ? `, ${a.kb}` : ''})` : ''}\n`,
  );
  for (const n of a.notes) out.write(`note: ${n}\n`);
  out.write('\n');
  const rows = a.cves.map((c) => [
    c.cve,
    c.campaign ?? 'other',
    c.state,
    c.fix
      ? `${c.fix.product} ${c.fix.cu} ${c.fix.su} ${c.fix.kb ?? ''} ${c.fix.build}`.replace(/\s+/g, ' ')
      : '',
    c.reason,
  ]);
  const head = ['CVE', 'CAMPAIGN', 'STATE', 'FIXED BY', 'WHY'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  for (const r of [head, ...rows])
    out.write(r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i] ?? 0) : c)).join('  ') + '\n');
}

async function* allTargets(p: Parsed): AsyncGenerator<string> {
  yield* p.targets;
  if (p.targetsFile) yield* readTargetLines(p.targetsFile);
}

export async function exposureCommand(argv: string[], io: Io): Promise<number> {
  const p = parseArgs(argv);
  if (typeof p === 'string') {
    io.err.write(`exhunt exposure: ${p}\n\n${EXPOSURE_HELP}`);
    return 2;
  }
  if (p.help) {
    io.out.write(EXPOSURE_HELP);
    return 0;
  }
  if (p.build !== undefined) {
    const a = assessBuild(p.build);
    if (p.format === 'json') io.out.write(JSON.stringify(a, null, 2) + '\n');
    else printAssessment(a, io.out);
    return exposureExitCode(a);
  }
  const writer = createWriter(p.format, io.out);
  const tally = { vulnerable: 0, unknown: 0, failed: 0, clean: 0 };
  try {
    const { targets } = await scanTargets(allTargets(p), p, (r) => {
      writer.row(r);
      if (!r.ok) tally.failed++;
      else if (r.vulnerable.length) tally.vulnerable++;
      else if (r.unknown.length) tally.unknown++;
      else tally.clean++;
    });
    writer.end();
    io.err.write(
      `${targets} targets: ${tally.vulnerable} vulnerable, ${tally.unknown} unknown, ${tally.failed} failed, ${tally.clean} patched\n`,
    );
  } catch (e) {
    writer.end();
    io.err.write(`exhunt exposure: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  return tally.vulnerable + tally.unknown + tally.failed > 0 ? 1 : 0;
}

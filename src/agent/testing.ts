// Test and benchmark helpers: a folder laid out like a system drive whose HttpProxy and IIS logs grow line
// by line (with rotation to new files, as Exchange and IIS rotate), with ProxyLogon requests mixed in.

import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const INSTALL = 'Program Files/Microsoft/Exchange Server/V15';
export const HTTPPROXY_DIR = `${INSTALL}/Logging/HttpProxy/Ecp`;
export const IIS_DIR = 'inetpub/logs/LogFiles/W3SVC1';
const HP_FIELDS =
  'DateTime,RequestId,UrlStem,AuthenticatedUser,AnchorMailbox,UserAgent,ClientIpAddress,HttpStatus,Method';

/** A deterministic generator (mulberry32), so a failing run can be repeated from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface LogWriterOptions {
  root: string;
  /** Lines per file before the writer rotates to a new file. */
  linesPerFile: number;
  /** One line in this many is an attack (ProxyLogon's SSRF request to the ECP). */
  attackEvery: number;
}

/** Writes HttpProxy lines as Exchange does: a header, then one CSV row per request, a new file on rotation. */
export class LogWriter {
  private file = '';
  private inFile = 0;
  private files = 0;
  lines = 0;
  attacks = 0;
  /** Write time of each attack, by its request id (for write-to-database latency). */
  readonly attackTimes = new Map<string, number>();

  constructor(private readonly o: LogWriterOptions) {
    mkdirSync(path.join(o.root, HTTPPROXY_DIR), { recursive: true });
  }

  /** Appends `n` lines (one write per file; rotating when a file is full). */
  write(n: number): void {
    let rows: string[] = [];
    for (let i = 0; i < n; i++) {
      if (this.inFile >= this.o.linesPerFile || !this.file) {
        this.append(rows);
        rows = [];
        this.rotate();
      }
      this.lines++;
      this.inFile++;
      const now = new Date();
      const t = now.toISOString();
      if (this.lines % this.o.attackEvery === 0) {
        this.attacks++;
        const id = `atk-${this.attacks}`;
        this.attackTimes.set(id, now.getTime());
        rows.push(
          `${t},${id},/ecp/y.js,,ServerInfo~a]@ex.local:444/ecp/proxyLogon.ecp?#,python-requests/2.25.1,198.51.100.9,241,POST`,
        );
      } else
        rows.push(
          `${t},req-${this.lines},/owa/,user${this.lines % 50}@ex.local,,Mozilla/5.0,10.0.0.8,200,GET`,
        );
    }
    this.append(rows);
  }

  private append(rows: string[]): void {
    if (rows.length) appendFileSync(this.file, `${rows.join('\r\n')}\r\n`);
  }

  private rotate(): void {
    this.files++;
    this.inFile = 0;
    this.file = path.join(this.o.root, HTTPPROXY_DIR, `HttpProxy_2026120716-${this.files}.LOG`);
    writeFileSync(
      this.file,
      `${HP_FIELDS}\r\n#Software: Microsoft Exchange Server\r\n#Version: 15.01.2176.002\r\n#Log-type: HttpProxy Logs\r\n#Date: ${new Date().toISOString()}\r\n#Fields: ${HP_FIELDS}\r\n`,
    );
  }
}

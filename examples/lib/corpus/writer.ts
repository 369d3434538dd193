// Rolling log writers for the bench corpus: one open file per stream, big buffers, synchronous writes.

import { closeSync, mkdirSync, openSync, utimesSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { exchangeHeader, ECP_FIELDS, OAB_FIELDS, RPS_HTTP_FIELDS } from '../exchange-logs.js';
import { HTTPPROXY_FIELDS } from '../httpproxy.js';
import type { Build, Site } from '../site.js';
import { DAY, HOUR, yymmdd, yyyymmdd, yyyymmddhh } from '../time.js';
import { IIS_FIELDS, w3cHeader } from '../w3c.js';
import type { StreamId } from './pool.js';

interface Layout {
  period: number;
  path(start: number): string;
  header(t: number): string;
}

export function layoutOf(stream: StreamId, site: Site, b: Build): Layout {
  const log = `${site.installRel}/Logging`;
  const ex =
    (logType: string, fields: readonly string[], plainHeader: boolean, version = b.long) =>
    (t: number) =>
      exchangeHeader({ version, logType, date: t, fields, plainHeader });
  if (stream === 'fe' || stream === 'be') {
    const site = stream === 'fe' ? 'W3SVC1' : 'W3SVC2';
    return { period: DAY, path: (s) => `inetpub/logs/LogFiles/${site}/u_ex${yymmdd(s)}.log`, header: (t) => w3cHeader(t, IIS_FIELDS) }; // prettier-ignore
  }
  if (stream === 'ecp')
    return { period: DAY, path: (s) => `${log}/ECP/Server/ECPServer${yyyymmdd(s)}-1.LOG`, header: ex('ECP Server Log', ECP_FIELDS, false, '15.0.0.0') }; // prettier-ignore
  if (stream === 'oab')
    return { period: DAY, path: (s) => `${log}/OABGeneratorLog/OABGeneratorLog_${yyyymmdd(s)}-1.LOG`, header: ex('OABGenerator Log', OAB_FIELDS, false) }; // prettier-ignore
  if (stream === 'rps')
    return { period: HOUR, path: (s) => `${log}/CmdletInfra/Powershell-Proxy/Http/Rps_Http_${yyyymmddhh(s)}-1.LOG`, header: ex('Rps Http Logs', RPS_HTTP_FIELDS, true) }; // prettier-ignore
  const proto = stream.slice(3);
  return { period: HOUR, path: (s) => `${log}/HttpProxy/${proto}/HttpProxy_${yyyymmddhh(s)}-1.LOG`, header: ex('HttpProxy Logs', HTTPPROXY_FIELDS, true) }; // prettier-ignore
}

/** Appends lines to the current period's file; a later period closes it (with its time set) and opens the next. */
export class RollingWriter {
  private fd = -1;
  private start = -1;
  private path = '';
  private last = 0;
  private used = 0;
  private readonly buf: Buffer;
  bytes = 0;
  files = 0;

  constructor(
    private readonly root: string,
    private readonly layout: Layout,
    bufferBytes = 1 << 20,
  ) {
    this.buf = Buffer.allocUnsafe(bufferBytes);
  }

  write(t: number, line: string): void {
    const start = t - (t % this.layout.period);
    // Lines a little out of order (back-end lag, long requests) stay in the open file, as on a real server.
    if (start > this.start) this.open(start, t);
    this.put(line);
    if (t > this.last) this.last = t;
  }

  private put(s: string): void {
    if (s.length > this.buf.length - this.used) this.flush();
    if (s.length > this.buf.length) {
      this.bytes += writeSync(this.fd, s, null, 'latin1');
      return;
    }
    this.used += this.buf.write(s, this.used, 'latin1');
  }

  private flush(): void {
    if (this.used > 0 && this.fd >= 0) this.bytes += writeSync(this.fd, this.buf, 0, this.used);
    this.used = 0;
  }

  private open(start: number, t: number): void {
    this.close();
    this.start = start;
    this.path = join(this.root, this.layout.path(start));
    mkdirSync(dirname(this.path), { recursive: true });
    this.fd = openSync(this.path, 'w');
    this.files++;
    this.put(this.layout.header(t));
  }

  close(): void {
    if (this.fd < 0) return;
    this.flush();
    closeSync(this.fd);
    const s = Math.ceil(this.last / 1000) + 1;
    utimesSync(this.path, s, s);
    this.fd = -1;
  }
}

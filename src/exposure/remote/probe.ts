// Probing one target: the OWA logon page, the eDiscovery export tool manifest and /owa/, read for a build.

import http from 'node:http';
import https from 'node:https';
import { assessBuild } from '../assess.js';
import { parseVersion } from '../version.js';
import {
  classify,
  httpGet,
  type FailureKind,
  type GetOptions,
  type HttpResponse,
  type ProbeError,
} from './http-get.js';
import { parseTarget, type Target } from './target.js';

export interface ProbeOptions {
  timeoutMs: number;
  retries: number;
  /** Called before every request; the scanner's rate limit. */
  beforeRequest?: () => Promise<void>;
}

export interface TargetResult {
  /** Position in the input, from 0: rows are written as targets finish, not in input order. */
  index: number;
  target: string;
  url?: string;
  ok: boolean;
  error?: { kind: FailureKind; message: string };
  build?: string;
  /** Where the build came from. */
  source?: 'x-owa-version' | 'exporttool' | 'owa-path';
  /** `cu`: only the OWA resource path answered, which names the CU and not the security update. */
  precision?: 'full' | 'cu';
  product?: string;
  cu?: string;
  su?: string;
  vulnerable: string[];
  unknown: string[];
  patched: string[];
  /** Updates to install, `Nov22SU (KB5019758, 15.2.1118.20)`. */
  missing: string[];
  notes: string[];
  requests: number;
}

export const PATHS = {
  logon: '/owa/auth/logon.aspx',
  exporttool: '/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application',
  owa: '/owa/',
};

const OWA_PATH_RE = /\/owa\/(?:auth\/)?(\d{1,2}\.\d{1,2}\.\d{1,5}(?:\.\d{1,5})?)\//i;
const ASSEMBLY_RE = /<assemblyIdentity\b[^>]*?\bversion\s*=\s*["'](\d+\.\d+\.\d+\.\d+)["']/i;
const OWA_MARKERS = /outlook|owa\/auth|exchange/i;

function header(res: HttpResponse | undefined, name: string): string | undefined {
  const v = res?.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function fullBuild(text: string | undefined): string | undefined {
  const v = text ? parseVersion(text) : undefined;
  return v && v.length === 4 && (v[0] === 14 || v[0] === 15) ? v.join('.') : undefined;
}

async function getWithRetry(t: Target, path: string, get: GetOptions, o: ProbeOptions, count: () => void) {
  for (let attempt = 0; ; attempt++) {
    await o.beforeRequest?.();
    count();
    try {
      return await httpGet(t, path, get);
    } catch (e) {
      const err = classify(e);
      const transient = err.kind === 'timeout' || err.kind === 'reset' || err.kind === 'network';
      if (!transient || attempt >= o.retries) throw err;
    }
  }
}

/** Probes one target with at most three GET requests, and never follows redirects elsewhere. */
export async function probeTarget(input: string, index: number, o: ProbeOptions): Promise<TargetResult> {
  const r: TargetResult = {
    index,
    target: input,
    ok: false,
    vulnerable: [],
    unknown: [],
    patched: [],
    missing: [],
    notes: [],
    requests: 0,
  };
  const parsed = parseTarget(input);
  if (typeof parsed === 'string') {
    r.error = { kind: 'invalid-target', message: parsed };
    return r;
  }
  r.url = parsed.origin;
  const Agent = parsed.protocol === 'https:' ? https.Agent : http.Agent;
  // One keep-alive agent per target: its requests share a connection, and it is gone when the target is done.
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const get: GetOptions = { timeoutMs: o.timeoutMs, maxBody: 256 * 1024, agent };
  const count = () => r.requests++;
  try {
    const logon = await getWithRetry(parsed, PATHS.logon, get, o, count);
    let build = fullBuild(header(logon, 'x-owa-version'));
    if (build) r.source = 'x-owa-version';
    const pathBuild = OWA_PATH_RE.exec(logon.body)?.[1];
    let exchangeSeen = Boolean(header(logon, 'x-owa-version') || header(logon, 'x-feserver') || pathBuild);
    if (!build) {
      const tool = await getWithRetry(parsed, PATHS.exporttool, get, o, count).catch((e: ProbeError) => {
        r.notes.push(`export tool manifest: ${e.message}`);
        return undefined;
      });
      if (tool && tool.status === 200) {
        build = fullBuild(ASSEMBLY_RE.exec(tool.body)?.[1]);
        if (build) r.source = 'exporttool';
      }
      exchangeSeen ||= Boolean(header(tool, 'x-feserver') || header(tool, 'x-owa-version'));
    }
    if (!build) {
      const owa = await getWithRetry(parsed, PATHS.owa, get, o, count).catch(() => undefined);
      build = fullBuild(header(owa, 'x-owa-version'));
      if (build) r.source = 'x-owa-version';
      exchangeSeen ||= Boolean(header(owa, 'x-feserver') || header(owa, 'x-owa-version'));
    }
    if (!build && pathBuild) {
      build = pathBuild;
      r.source = 'owa-path';
      r.notes.push(
        'build from the OWA resource path: it gives the CU, not the security update; CVEs whose fix is an SU on that CU are unknown',
      );
    }
    if (!build) {
      if (exchangeSeen || (logon.status === 200 && OWA_MARKERS.test(logon.body))) {
        r.ok = true;
        r.notes.push('looks like Exchange, but no build was disclosed');
        r.unknown = ['all'];
        return r;
      }
      r.error =
        logon.status >= 400
          ? { kind: 'http', message: `HTTP ${logon.status} on ${PATHS.logon}, no Exchange build found` }
          : { kind: 'not-exchange', message: `HTTP ${logon.status}, no Exchange header, page or manifest` };
      return r;
    }
    r.ok = true;
    fill(r, build);
    return r;
  } catch (e) {
    const err = classify(e);
    r.error = { kind: err.kind, message: err.message };
    return r;
  } finally {
    agent.destroy();
  }
}

function fill(r: TargetResult, build: string): void {
  const a = assessBuild(build);
  r.build = a.version;
  r.precision = a.precision;
  r.product = a.product;
  r.cu = a.cu;
  r.su = a.su ?? (a.atLeast ? `≥${a.atLeast}` : undefined);
  for (const c of a.cves) {
    if (c.state === 'vulnerable') r.vulnerable.push(c.cve);
    else if (c.state === 'unknown') r.unknown.push(c.cve);
    else if (c.state === 'patched') r.patched.push(c.cve);
  }
  r.missing = a.missing.map((m) => `${m.su} (${[m.kb, m.build].filter(Boolean).join(', ')})`);
  for (const n of a.notes) if (!r.notes.includes(n) && r.source !== 'owa-path') r.notes.push(n);
}

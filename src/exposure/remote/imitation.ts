// Loopback servers that imitate Exchange (and things that are not Exchange) for the tests and the benchmark.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PATHS } from './probe.js';

export interface Imitation {
  /** Never `exchange` for the broken kinds. */
  kind: 'exchange' | 'not-exchange' | 'status' | 'slow' | 'garbage' | 'reset';
  /** 4-part build the imitation runs. */
  build?: string;
  /** Send X-OWA-Version (on the logon page and /owa/). */
  header?: boolean;
  /** Put `/owa/auth/<a.b.c>/` resource paths in the logon page. */
  owaPath?: boolean;
  /** Serve the eDiscovery export tool manifest. */
  exporttool?: boolean;
  /** Status code for kind `status`. */
  status?: number;
}

export interface RunningImitation {
  url: string;
  port: number;
  /** Requests answered, by path. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

export interface TlsMaterial {
  key: string;
  cert: string;
}

/** A self-signed certificate made with openssl; undefined when openssl is not installed. */
export function selfSignedCert(): TlsMaterial | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'exhunt-cert-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function logonPage(cu: string | undefined): string {
  const res = cu ? `/owa/auth/${cu}/themes/resources` : '/owa/auth/themes/resources';
  return `<!DOCTYPE html><html><head><title>Outlook</title>
<link rel="shortcut icon" href="${res}/favicon.ico" type="image/x-icon">
<link type="text/css" rel="stylesheet" href="${res}/owafont_en.css"></head>
<body><form action="/owa/auth.owa" method="POST" name="logonForm"><input id="username" name="username"></form></body></html>`;
}

function manifest(build: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<asmv1:assembly xsi:schemaLocation="urn:schemas-microsoft-com:asm.v1 assembly.adaptive.xsd" manifestVersion="1.0" xmlns:asmv1="urn:schemas-microsoft-com:asm.v1" xmlns="urn:schemas-microsoft-com:asm.v2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <assemblyIdentity name="microsoft.exchange.ediscovery.exporttool.application" version="${build}" publicKeyToken="b1d3b6ab3bd16a60" language="neutral" processorArchitecture="msil" xmlns="urn:schemas-microsoft-com:asm.v1" />
  <description asmv2:publisher="Microsoft Corporation" asmv2:product="Microsoft Exchange Server" xmlns="urn:schemas-microsoft-com:asm.v1" xmlns:asmv2="urn:schemas-microsoft-com:asm.v2" />
</asmv1:assembly>`;
}

function handler(im: Imitation, hits: Map<string, number>): http.RequestListener {
  const cu = im.build?.split('.').slice(0, 3).join('.');
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (im.kind === 'status') {
      res.writeHead(im.status ?? 503).end('Service Unavailable');
      return;
    }
    if (im.kind === 'not-exchange') {
      if (path === '/' || path === PATHS.logon)
        res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html><body>It works!</body></html>');
      else res.writeHead(404).end('Not Found');
      return;
    }
    const owaHeaders: http.OutgoingHttpHeaders = {
      'X-FEServer': 'EXCH01',
      'Content-Type': 'text/html; charset=utf-8',
    };
    if (im.header && im.build) owaHeaders['X-OWA-Version'] = im.build;
    if (path === PATHS.logon) res.writeHead(200, owaHeaders).end(logonPage(im.owaPath ? cu : undefined));
    else if (path === PATHS.owa)
      res.writeHead(302, { ...owaHeaders, Location: `${PATHS.logon}?url=%2fowa%2f` }).end();
    else if (path === PATHS.exporttool && im.exporttool && im.build) {
      res.writeHead(200, { 'Content-Type': 'application/x-ms-application' }).end(manifest(im.build));
    } else res.writeHead(404, { 'X-FEServer': 'EXCH01' }).end('Not Found');
  };
}

/** Starts one imitation on 127.0.0.1 with a free port; HTTPS when `tls` is given. */
export async function startImitation(im: Imitation, tls?: TlsMaterial): Promise<RunningImitation> {
  const hits = new Map<string, number>();
  const sockets = new Set<net.Socket>();
  let server: net.Server;
  if (im.kind === 'garbage' || im.kind === 'reset' || im.kind === 'slow') {
    server = net.createServer((s) => {
      s.on('error', () => undefined);
      if (im.kind === 'garbage')
        s.once('data', () => s.end('SSH-2.0-OpenSSH_8.9 not http at all\r\n\x00\x01\x02\r\n\r\n'));
      if (im.kind === 'reset') s.once('data', () => s.resetAndDestroy());
      // `slow` reads and never answers: the client's deadline has to end it.
    });
  } else {
    const h = handler(im, hits);
    server = tls
      ? https.createServer({ key: tls.key, cert: tls.cert, keepAliveTimeout: 5000 }, h)
      : http.createServer({ keepAliveTimeout: 5000 }, h);
  }
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const scheme = tls && im.kind !== 'garbage' && im.kind !== 'reset' && im.kind !== 'slow' ? 'https' : 'http';
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

// Benchmark helper process: starts Exchange imitations on 127.0.0.1 and prints their URLs as one JSON line.

import { selfSignedCert, startImitation, type Imitation } from '../../src/exposure/remote/imitation.js';

/** A mix like a real estate of servers: 2013, 2016 and 2019 at several builds, each disclosing differently. */
const MIX: Imitation[] = [
  { kind: 'exchange', build: '15.0.1497.2', header: true, owaPath: true },
  { kind: 'exchange', build: '15.0.1497.44', exporttool: true, owaPath: true },
  { kind: 'exchange', build: '15.1.2176.9', header: true, owaPath: true },
  { kind: 'exchange', build: '15.1.2375.37', exporttool: true, owaPath: true },
  { kind: 'exchange', build: '15.1.2507.6', owaPath: true },
  { kind: 'exchange', build: '15.2.792.3', header: true, owaPath: true },
  { kind: 'exchange', build: '15.2.1118.20', exporttool: true, owaPath: true },
  { kind: 'not-exchange' },
];

const plain = process.argv.includes('--http');
const tls = plain ? undefined : selfSignedCert();
const urls: string[] = [];
const running = await Promise.all(MIX.map((m) => startImitation(m, tls)));
for (const r of running) urls.push(r.url);
process.stdout.write(JSON.stringify({ urls, tls: Boolean(tls) }) + '\n');
// Stop with the parent: it closes our stdin when the run ends, or when it dies.
process.stdin.resume();
process.stdin.on('end', () => void Promise.all(running.map((r) => r.close())).then(() => process.exit(0)));

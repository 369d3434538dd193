// Security suite: built-in TLS. `exhunt serve --tls-cert --tls-key` with a self-signed certificate made
// here by openssl answers over HTTPS, with the security headers, and marks the session cookie Secure.
// Skipped, saying why, where openssl is not installed.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { until } from '../testing/wait.js';

const RUN_CLI = new URL('../testing/run-cli.js', import.meta.url).pathname;

function opensslMissing(): string | false {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return false;
  } catch {
    return 'openssl is not installed: no certificate to test built-in TLS with';
  }
}

function get(
  url: string,
  ca: Buffer,
  opts: { method?: string; body?: string } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        ca,
        method: opts.method ?? 'GET',
        headers: opts.body ? { 'content-type': 'application/json' } : {},
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

test(
  'serve --tls-cert --tls-key: HTTPS, headers, and a Secure session cookie',
  { skip: opensslMissing() },
  async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'exhunt-tls-'));
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1'].concat([
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ]),
      { stdio: 'ignore' },
    );
    const data = path.join(dir, 'data');
    const server = spawn(
      process.execPath,
      [RUN_CLI, 'serve', '--data', data, '--listen', '127.0.0.1:0', '--threads', '0'].concat([
        '--workers',
        '0',
        '--tls-cert',
        cert,
        '--tls-key',
        key,
      ]),
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    server.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    const stopped = new Promise<number | null>((r) => server.once('exit', (code) => r(code)));
    try {
      const url = await until(async () => /fleet server on (\S+)/.exec(stderr)?.[1], 'the server to listen');
      assert.match(url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const password = /password (\S+)/.exec(stderr)?.[1];
      assert.ok(password, stderr);
      const ca = await readFile(cert);
      const health = await get(`${url}/api/v1/health`, ca);
      assert.equal(health.status, 200);
      assert.equal(health.headers['x-frame-options'], 'DENY');
      const signIn = await get(`${url}/api/v1/session`, ca, {
        method: 'POST',
        body: JSON.stringify({ username: 'admin', password }),
      });
      assert.equal(signIn.status, 200, signIn.body);
      assert.match(String(signIn.headers['set-cookie']), /; Secure/);
      // Without trusting the certificate, the client refuses: it really is TLS with this certificate.
      await assert.rejects(
        new Promise((resolve, reject) => https.get(`${url}/api/v1/health`, resolve).on('error', reject)),
      );
    } finally {
      server.kill('SIGTERM');
      await stopped;
      await rm(dir, { recursive: true, force: true });
    }
  },
);

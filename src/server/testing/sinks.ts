// Test-only: local receivers for the notification senders: a webhook (HTTP), an SMTP sink that takes one
// message per DATA, and syslog listeners over UDP and TCP. Each records what it received, in order.

import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import dgram from 'node:dgram';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Sinks {
  hooks: { headers: IncomingHttpHeaders; body: string }[];
  hookStatus: number;
  mails: string[];
  udp: string[];
  tcp: string[];
  ports: { hook: number; smtp: number; udp: number; tcp: number };
  close(): Promise<void>;
}

/** A minimal SMTP server: enough of RFC 5321 for one client to hand over a message. */
function smtpSink(mails: string[]): net.Server {
  return net.createServer((s) => {
    let data = false;
    let buf = '';
    let msg = '';
    s.write('220 sink ESMTP\r\n');
    s.on('data', (c: Buffer) => {
      buf += c.toString('utf8');
      let i: number;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (data) {
          if (line === '.') {
            data = false;
            mails.push(msg);
            msg = '';
            s.write('250 queued\r\n');
          } else msg += `${line}\n`;
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') s.write('250-sink\r\n250 8BITMIME\r\n');
        else if (verb === 'DATA') {
          data = true;
          s.write('354 go on\r\n');
        } else if (verb === 'QUIT') s.end('221 bye\r\n');
        else s.write('250 ok\r\n');
      }
    });
    s.on('error', () => undefined);
  });
}

export async function sinks(): Promise<Sinks> {
  const out: Omit<Sinks, 'ports' | 'close'> = { hooks: [], hookStatus: 204, mails: [], udp: [], tcp: [] };
  const hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      out.hooks.push({ headers: req.headers, body });
      res.statusCode = out.hookStatus;
      res.end();
    });
  });
  const smtp = smtpSink(out.mails);
  const udp = dgram.createSocket('udp4');
  udp.on('message', (m) => out.udp.push(m.toString('utf8')));
  const tcp = net.createServer((s) => {
    let b = '';
    s.on('data', (c: Buffer) => (b += c.toString('utf8')));
    s.on('end', () => out.tcp.push(b));
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  const port = (s: net.Server) => (s.address() as AddressInfo).port;
  const sinks: Sinks = Object.assign(out, {
    ports: {
      hook: port(hook as unknown as net.Server),
      smtp: port(smtp),
      udp: udp.address().port,
      tcp: port(tcp),
    },
    async close() {
      hook.closeAllConnections();
      await new Promise((r) => hook.close(r));
      await new Promise((r) => smtp.close(r));
      await new Promise((r) => tcp.close(r));
      udp.close();
    },
  });
  return sinks;
}

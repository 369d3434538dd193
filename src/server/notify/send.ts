// Delivering one notification over its channel: a signed webhook POST, an e-mail through SMTP, a syslog
// message over UDP or TCP. Each resolves when the other side took it and rejects with why it did not.

import { createHmac } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import nodemailer from 'nodemailer';
import type { Delivery, SmtpConfig, SyslogConfig, WebhookConfig } from '../../store/notifications.js';
import type { NotifyPayload } from './format.js';
import { headline, mailText, oneLine, syslogLine } from './format.js';

const TIMEOUT_MS = 10_000;

/** `sha256=` + HMAC-SHA256 over `<timestamp>.<body>`: receivers check it and the timestamp's age. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

async function webhook(c: WebhookConfig, d: Delivery): Promise<void> {
  const body = JSON.stringify(d.payload);
  const ts = String(Math.floor(Date.now() / 1000));
  const res = await fetch(c.url, {
    method: 'POST',
    // A redirect could carry the signed body somewhere the administrator never named.
    redirect: 'manual',
    signal: AbortSignal.timeout(TIMEOUT_MS),
    headers: {
      'content-type': 'application/json',
      'user-agent': 'exhunt-notify',
      'x-exhunt-event': d.event,
      'x-exhunt-delivery': String(d.id),
      'x-exhunt-timestamp': ts,
      'x-exhunt-signature': signature(c.secret, ts, body),
    },
    body,
  });
  await res.body?.cancel();
  if (res.status < 200 || res.status >= 300) throw new Error(`the webhook answered ${res.status}`);
}

async function smtp(c: SmtpConfig, d: Delivery, version: string): Promise<void> {
  const transport = nodemailer.createTransport({
    host: c.host,
    port: c.port,
    secure: c.secure === true,
    ...(c.user ? { auth: { user: c.user, pass: c.password ?? '' } } : {}),
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
  });
  try {
    const p = d.payload as unknown as NotifyPayload;
    await transport.sendMail({
      from: c.from,
      to: c.to,
      subject: headline(p),
      text: mailText(p),
      headers: { 'X-Exhunt-Event': oneLine(d.event, 50), 'X-Exhunt-Version': oneLine(version, 50) },
    });
  } finally {
    transport.close();
  }
}

async function syslog(c: SyslogConfig, d: Delivery, version: string): Promise<void> {
  const line = syslogLine(d.payload as unknown as NotifyPayload, c.format, version);
  const data = Buffer.from(line, 'utf8');
  if (c.transport === 'udp') {
    const sock = dgram.createSocket(net.isIPv6(c.host) ? 'udp6' : 'udp4');
    try {
      await new Promise<void>((resolve, reject) =>
        sock.send(data, c.port, c.host, (e) => (e ? reject(e) : resolve())),
      );
    } finally {
      sock.close();
    }
    return;
  }
  // TCP with octet counting (RFC 6587): a message's own line ends cannot split it.
  await new Promise<void>((resolve, reject) => {
    const s = net.connect({ host: c.host, port: c.port, timeout: TIMEOUT_MS });
    s.once('timeout', () => s.destroy(new Error(`syslog ${c.host}:${c.port} timed out`)));
    s.once('error', reject);
    s.once('connect', () => s.end(Buffer.concat([Buffer.from(`${data.length} `), data]), () => resolve()));
  });
}

export async function deliver(d: Delivery, version: string): Promise<void> {
  if (d.kind === 'webhook') return webhook(d.config as WebhookConfig, d);
  if (d.kind === 'smtp') return smtp(d.config as SmtpConfig, d, version);
  return syslog(d.config as SyslogConfig, d, version);
}

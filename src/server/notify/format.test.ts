// Text from evidence in notifications: one line, nothing hidden or reordered, bounded.

import assert from 'node:assert/strict';
import test from 'node:test';
import { cefMessage, headline, mailText, oneLine } from './format.js';
import type { NotifyPayload } from './format.js';

test('oneLine: line breaks, controls and bidi overrides shown as escapes, long text cut', () => {
  assert.equal(oneLine('EXCH01\r\nBcc: x@y'), 'EXCH01\\x0d\\nBcc: x@y');
  assert.equal(oneLine('mail\u202eexe.cod'), 'mail\\u202eexe.cod');
  assert.equal(oneLine('a\u2028b'), 'a\\u2028b');
  assert.equal(oneLine('x'.repeat(300)).length, 200);
  assert.equal(oneLine(undefined), '');
});

test('campaign events: the label (attacker text) and server names stay on their line, in subject, mail and CEF', () => {
  const p: NotifyPayload = {
    event: 'campaign.grown',
    at: '2021-03-09T00:00:00.000Z',
    campaign: {
      id: 42,
      label: 'user-agent evil\r\nBcc: all@corp|x=1',
      victims: 3,
      indicators: 4,
      firstSeen: '2021-03-03T06:00:00.000Z',
      lastSeen: '2021-03-07T06:00:00.000Z',
      stages: ['webshell-use'],
      cves: ['CVE-2021-26855'],
    },
    newVictims: [{ server: { id: 7, name: 'EX03\nX' }, verdict: 'compromised', firstSeen: '2021-03-07T06:00:00.000Z' }], // prettier-ignore
  };
  const subject = headline(p);
  assert.ok(subject.startsWith('exhunt: campaign grew, 3 servers: '), subject);
  assert.ok(!/[\r\n]/.test(subject));
  const mail = mailText(p, 'https://fleet.example');
  assert.ok(mail.includes('Newly reached:\n- EX03\\nX (compromised)'), mail);
  assert.ok(!mail.split('\n').some((l) => l.startsWith('Bcc:')), mail);
  assert.ok(mail.includes('https://fleet.example/campaigns/42'));
  const cef = cefMessage(p, '1.0');
  assert.ok(cef.includes('cn3=42') && cef.includes('cs5=EX03\\\\nX'), cef);
  assert.ok(cef.includes('cs4=user-agent evil\\\\x0d\\\\nBcc: all@corp|x\\=1'), cef);
});

test('retrohunt.hit: the hunt, what ran and each new hit in the mail; feed and rule text on one line', async () => {
  const { cefMessage, headline, mailText, syslogLine } = await import('./format.js');
  const p = {
    event: 'retrohunt.hit',
    at: '2026-12-07T17:00:00.000Z',
    server: { id: 4, name: 'EX01' },
    retrohunt: { id: 12, trigger: { kind: 'feed', id: 3, name: 'CERT\r\nBcc: x@y' } },
    hits: [
      {
        ruleId: 'ioc.ip.ab12',
        title: 'Indicator match: ip 198.51.100.9',
        author: 'CERT',
        firstAt: '2021-03-03T06:49:46.210Z',
        lastAt: null,
      },
    ],
    moreHits: 2,
  };
  assert.equal(headline(p), 'exhunt: retro-hunt 12 found 3 new hit(s) on EX01');
  const mail = mailText(p, 'https://fleet.example');
  assert.match(mail, /^Retro-hunt 12 with feed 3 \(CERT\\x0d\\nBcc: x@y\)$/m);
  assert.match(
    mail,
    /^- Indicator match: ip 198\.51\.100\.9 \[ioc\.ip\.ab12, by CERT\] 2021-03-03T06:49:46\.210Z \.\. \?$/m,
  );
  assert.match(mail, /^\.\.\. and 2 more$/m);
  assert.match(mail, /^https:\/\/fleet\.example\/retrohunts\/12$/m);
  assert.doesNotMatch(mail, /^Bcc:/m);
  assert.match(cefMessage(p, '1.0'), /\|5\|.*cn3=12 .*cs4=ioc\.ip\.ab12/);
  assert.match(syslogLine(p, 'json', '1.0'), /^<132>1 /);
});

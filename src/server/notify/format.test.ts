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

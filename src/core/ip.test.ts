// The one private-address rule: the cases on which the four earlier checks disagreed, and the spellings.

import assert from 'node:assert/strict';
import test from 'node:test';
import { isPrivateAddress, isPublicAddress } from './ip.js';

test('private ranges in IPv4, including 0.0.0.0/8 and the edges of each range', () => {
  for (const ip of [
    '0.0.0.0',
    '0.255.1.2',
    '10.0.0.0',
    '10.255.255.255',
    '100.64.0.0',
    '100.127.255.255',
    '127.0.0.1',
    '169.254.0.1',
    '172.16.0.0',
    '172.31.255.255',
    '192.168.255.255',
  ]) {
    assert.equal(isPrivateAddress(ip), true, ip);
    assert.equal(isPublicAddress(ip), false, ip);
  }
  for (const ip of [
    '1.0.0.0',
    '9.255.255.255',
    '11.0.0.0',
    '100.63.255.255',
    '100.128.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '192.167.1.1',
    '169.253.1.1',
    '203.0.113.7',
  ]) {
    assert.equal(isPrivateAddress(ip), false, ip);
    assert.equal(isPublicAddress(ip), true, ip);
  }
});

test('IPv6: unspecified, loopback, unique-local and link-local, in any case and compression', () => {
  for (const ip of ['::', '::1', '0:0:0:0:0:0:0:1', 'fc00::1', 'FD12:3456::9', 'fe80::1', 'FEBF:ffff::1'])
    assert.equal(isPrivateAddress(ip), true, ip);
  for (const ip of ['::2', 'fbff::1', 'fec0::1', '2001:db8::1', '2a00:1450::200e'])
    assert.equal(isPrivateAddress(ip), false, ip);
});

test('an IPv4-mapped IPv6 address is judged by the IPv4 address it carries, in either spelling', () => {
  assert.equal(isPrivateAddress('::ffff:10.0.0.1'), true);
  assert.equal(isPrivateAddress('::FFFF:a00:1'), true);
  assert.equal(isPrivateAddress('::ffff:0.1.2.3'), true);
  assert.equal(isPrivateAddress('::ffff:203.0.113.7'), false);
  assert.equal(isPublicAddress('::ffff:cb00:7107'), true);
});

test('text that is not an address is neither private nor public', () => {
  for (const s of [
    '',
    '-',
    'localhost',
    '10.0.0',
    '10.0.0.256',
    '010.0.0.1',
    'fe80::1%eth0',
    '1.2.3.4:443',
  ]) {
    assert.equal(isPrivateAddress(s), false, s);
    assert.equal(isPublicAddress(s), false, s);
  }
});

// Tests for the security and backup product table and the staged-file detector's use of it.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import test from 'node:test';
import { fakeRecord } from '../../core/fake-record.js';
import { stagedFileDetector } from './staged-file.js';
import {
  loadSecurityProducts,
  securityProducts,
  validateSecurityProducts,
  vendorIndex,
} from './vendor-folders.js';

const TABLE = new URL('../../../../data/security-products.json', import.meta.url);

test('the shipped table is valid, every row cites a source, and the products the issue names are in it', () => {
  const raw: unknown = JSON.parse(readFileSync(TABLE, 'utf8'));
  assert.deepEqual(validateSecurityProducts(raw), []);
  const t = loadSecurityProducts(TABLE);
  const products = t.folders.map((f) => f.product).join(' | ');
  for (const name of [
    'Defender',
    'ESET',
    'Sophos',
    'Symantec',
    'Trend Micro',
    'McAfee',
    'Kaspersky',
    'CrowdStrike',
    'SentinelOne',
    'Bitdefender',
    'Malwarebytes',
    'Veeam',
    'Acronis',
    'Backup Exec',
    'Commvault',
    'Windows Error Reporting',
  ])
    assert.ok(products.includes(name), `${name} is in the table`);
  for (const row of [...t.folders, ...t.updateFiles])
    for (const s of row.sources) assert.ok(t.sources[s], `${row.product}: source ${s} exists`);
});

test('the validator names each broken row', () => {
  const table = (over: Record<string, unknown>) => ({
    sources: { a: { title: 'A', url: 'https://example.org/a' } },
    folders: [{ product: 'P', kind: 'antivirus', root: 'ProgramData', path: 'P', kinds: ['archive'], confidence: 'documented', sources: ['a'] }], // prettier-ignore
    updateFiles: [],
    ...over,
  });
  assert.deepEqual(validateSecurityProducts(table({})), []);
  const bad = (over: Record<string, unknown>, expect: RegExp) => {
    const errors = validateSecurityProducts(table(over));
    assert.ok(
      errors.some((e) => expect.test(e)),
      `${JSON.stringify(over)} → ${errors.join('; ')}`,
    );
  };
  const row = (r: Record<string, unknown>) => ({
    folders: [{ product: 'P', kind: 'antivirus', root: 'ProgramData', path: 'P', kinds: ['archive'], confidence: 'documented', sources: ['a'], ...r }], // prettier-ignore
  });
  bad(row({ sources: ['nowhere'] }), /folders\[0\]: unknown source nowhere/);
  bad(row({ sources: [] }), /folders\[0\]: needs at least one source/);
  bad(row({ root: 'Users' }), /folders\[0\]: root must be one of/);
  bad(row({ path: 'P/../..' }), /folders\[0\]: path has an empty, relative or invalid folder name/);
  bad(row({ path: '/P' }), /folders\[0\]: path must be a relative folder/);
  bad(row({ path: '*/Logs' }), /folders\[0\]: path may not start with a wildcard/);
  bad(row({ kinds: ['pst'] }), /folders\[0\]: kinds must list archive and\/or dump/);
  bad(row({ confidence: 'maybe' }), /folders\[0\]: confidence must be/);
  bad({ updateFiles: [{ product: 'P', name: '*.zip', confidence: 'documented', sources: ['a'] }] }, /updateFiles\[0\]: name must be/); // prettier-ignore
  bad({ sources: { a: { title: 'A', url: 'javascript:x' } } }, /sources\.a: url is not an http/);
  bad({ sources: { a: { title: 'A' } } }, /sources\.a: without a url it needs a note/);
  const broken = join(mkdtempSync(join(tmpdir(), 'exhunt-vendors-')), 'broken.json');
  writeFileSync(broken, JSON.stringify({ sources: {}, updateFiles: [] }));
  assert.throws(() => loadSecurityProducts(pathToFileURL(broken)), /folders: missing or empty/);
});

test('folders match from a root folder down, at folder boundaries, whatever the collection prefix', () => {
  const idx = securityProducts();
  const product = (p: string, kind: 'archive' | 'dump' = 'archive') => idx.match(p, kind)?.product;
  assert.equal(product('ProgramData/Microsoft/Windows Defender/Support/MpSupportFiles.zip'), 'Microsoft Defender Antivirus'); // prettier-ignore
  assert.equal(product('C/ProgramData/Sophos/AutoUpdate/Cache/sdds.zip'), 'Sophos Endpoint');
  assert.equal(product('exch01/c/programdata/eset/ESET Security/Updfiles/em000.zip'), 'ESET Endpoint / Server Security'); // prettier-ignore
  assert.equal(product('ProgramData/Microsoft/Windows/WER/ReportQueue/AppCrash_w3wp.exe_1/x.dmp', 'dump'), 'Windows Error Reporting'); // prettier-ignore
  // A vendor's name elsewhere is not the vendor's folder.
  assert.equal(product('ProgramData/Temp/Sophos/loot.zip'), undefined);
  assert.equal(product('Users/Public/Sophos/loot.zip'), undefined);
  assert.equal(product('Windows/Temp/ESET/loot.7z'), undefined);
  assert.equal(product('ProgramData/SophosUpdate/loot.zip'), undefined);
  assert.equal(product('ProgramData/Sophos.zip'), undefined);
  assert.equal(product('inetpub/wwwroot/aspnet_client/ProgramData/Sophos/x.zip'), undefined);
  assert.equal(product('ProgramData/Temp/ProgramData/Sophos/x.zip'), undefined);
  // Update packages by name, in any staging folder; names are not a licence for dumps.
  assert.equal(product('Windows/Temp/mpam-fe.cab'), 'Microsoft Defender Antivirus');
  assert.equal(product('ProgramData/avvdat-10637.zip'), 'McAfee / Trellix VirusScan');
  assert.equal(product('ProgramData/avvdat-x.zip'), undefined);
  assert.equal(product('Windows/Temp/mpam-fe.dmp', 'dump'), undefined);
});

test('a row excuses only the kinds it lists', () => {
  const idx = vendorIndex({
    sources: {},
    folders: [{ product: 'P', kind: 'backup', root: 'ProgramData', path: 'P/Logs', kinds: ['archive'], confidence: 'documented', sources: [] }], // prettier-ignore
    updateFiles: [],
  });
  assert.equal(idx.match('ProgramData/P/Logs/a.zip', 'archive')?.product, 'P');
  assert.equal(idx.match('ProgramData/P/Logs/a.dmp', 'dump'), undefined);
  assert.equal(idx.match('ProgramData/P/a.zip', 'archive'), undefined);
});

function staged(path: string, text = 'PK') {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  const rec = fakeRecord(
    'staged-file',
    { Path: path, Name: name, Extension: dot < 0 ? '' : name.slice(dot).toLowerCase(), Size: 10 },
    { text },
  );
  const hit = stagedFileDetector.check(rec, { path })?.[0];
  assert.ok(hit);
  return hit;
}

test('staged files in a product folder are context; LSASS dumps and mailbox exports never are', () => {
  const av = staged('ProgramData/Microsoft/Windows Defender/Support/MpSupportFiles.cab');
  assert.equal(av.details?.gate, 'vendor');
  assert.equal(av.details?.vendorProduct, 'Microsoft Defender Antivirus');
  assert.match(av.note ?? '', /Microsoft Defender Antivirus/);
  assert.equal(staged('ProgramData/Veeam/Backup/logs.zip').details?.gate, 'vendor');
  assert.equal(staged('ProgramData/Sophos/crash.dmp', 'MDMP').details?.gate, 'vendor');
  // Credentials and mail: the folder changes nothing.
  const lsass = staged('ProgramData/Sophos/lsass.dmp', 'MDMP');
  assert.equal(lsass.rule.id, 'exhunt.staged.lsass-dump');
  assert.equal(lsass.details?.gate, 'exploitation');
  const pst = staged('ProgramData/Veeam/Backup/export.pst', '!BDN');
  assert.equal(pst.rule.id, 'exhunt.staged.pst');
  assert.equal(pst.details?.gate, 'exploitation');
  // Outside any product's folder, the exploitation gate as before.
  assert.equal(staged('ProgramData/it.zip').details?.gate, 'exploitation');
  assert.equal(staged('Users/Public/Sophos/loot.zip').details?.gate, 'exploitation');
});

test('an LSASS dump in a WER crash folder is still an LSASS dump, with a note why', () => {
  for (const p of [
    'ProgramData/Microsoft/Windows/WER/ReportQueue/AppCrash_lsass.exe_4c1d0b2e_1a2b/triagedump.dmp',
    'ProgramData/Microsoft/Windows/WER/ReportArchive/Critical_lsass.exe_99_aa/memory.dmp',
    'ProgramData/Microsoft/Windows/WER/ReportQueue/lsass.exe.624.dmp',
  ]) {
    const h = staged(p, 'MDMP');
    assert.equal(h.rule.id, 'exhunt.staged.lsass-dump', p);
    assert.equal(h.details?.gate, 'exploitation', p);
    assert.match(h.note ?? '', /Windows Error Reporting folder, still treated as an LSASS dump/, p);
  }
  // Another program's crash there is WER's own.
  const w3wp = staged(
    'ProgramData/Microsoft/Windows/WER/ReportQueue/AppCrash_w3wp.exe_1/triagedump.dmp',
    'MDMP',
  );
  assert.equal(w3wp.rule.id, 'exhunt.staged.memory-dump');
  assert.equal(w3wp.details?.gate, 'vendor');
});

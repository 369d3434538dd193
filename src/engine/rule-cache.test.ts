// The parse cache of our rules: a cached parse equals a fresh one, and any changed byte is parsed again.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { readRuleFiles, loadMapping, DEFAULT_MAPPING_PATH } from '../rules/sigma/index.js';
import { parseBuiltin } from './rule-cache.js';
import { BUILTIN_RULES_DIR } from './sigma.js';

async function withCacheDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exhunt-rule-cache-'));
  const before = process.env.EXHUNT_CACHE_DIR;
  process.env.EXHUNT_CACHE_DIR = dir;
  try {
    return await fn(dir);
  } finally {
    if (before === undefined) delete process.env.EXHUNT_CACHE_DIR;
    else process.env.EXHUNT_CACHE_DIR = before;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('the cached parse of our rules and mapping equals what the plain readers give', async () => {
  await withCacheDir(async (dir) => {
    const first = parseBuiltin(DEFAULT_MAPPING_PATH, BUILTIN_RULES_DIR);
    assert.ok(first?.rules, 'parsed');
    assert.equal(fs.readdirSync(dir).filter((f) => /^sigma-builtin-[0-9a-f]{16}\.bin$/.test(f)).length, 1, 'cache written'); // prettier-ignore
    const second = parseBuiltin(DEFAULT_MAPPING_PATH, BUILTIN_RULES_DIR);
    const plain = await readRuleFiles([BUILTIN_RULES_DIR], { source: 'exhunt' });
    const { mapping, errors } = await loadMapping([DEFAULT_MAPPING_PATH]);
    assert.deepEqual(second?.rules, plain);
    assert.deepEqual(first.rules, plain);
    assert.deepEqual(second?.mapping, mapping);
    assert.deepEqual(second?.mappingErrors, errors);
  });
});

test('a changed rule file is parsed again, not taken from the cache', async () => {
  await withCacheDir(async () => {
    const rules = fs.mkdtempSync(path.join(os.tmpdir(), 'exhunt-rule-cache-rules-'));
    try {
      const rule = (title: string) =>
        `title: ${title}\nid: 5d0f3c1e-0000-4000-8000-000000000001\nlogsource: {product: windows, service: security}\ndetection: {sel: {EventID: 1}, condition: sel}\n`;
      fs.writeFileSync(path.join(rules, 'a.yml'), rule('First'));
      assert.equal(parseBuiltin(DEFAULT_MAPPING_PATH, rules)?.rules?.rules[0]?.title, 'First');
      fs.writeFileSync(path.join(rules, 'a.yml'), rule('Second'));
      assert.equal(parseBuiltin(DEFAULT_MAPPING_PATH, rules)?.rules?.rules[0]?.title, 'Second');
    } finally {
      fs.rmSync(rules, { recursive: true, force: true });
    }
  });
});

test('two installs keep a cache file each: neither evicts the other', async () => {
  await withCacheDir(async (dir) => {
    const rules = fs.mkdtempSync(path.join(os.tmpdir(), 'exhunt-rule-cache-rules-'));
    try {
      fs.writeFileSync(
        path.join(rules, 'a.yml'),
        'title: Other\nid: 5d0f3c1e-0000-4000-8000-000000000002\nlogsource: {product: windows, service: security}\ndetection: {sel: {EventID: 1}, condition: sel}\n',
      );
      parseBuiltin(DEFAULT_MAPPING_PATH, BUILTIN_RULES_DIR);
      const [ours] = fs.readdirSync(dir);
      const before = fs.readFileSync(path.join(dir, ours!));
      parseBuiltin(DEFAULT_MAPPING_PATH, rules);
      assert.equal(fs.readdirSync(dir).length, 2);
      assert.deepEqual(fs.readFileSync(path.join(dir, ours!)), before);
    } finally {
      fs.rmSync(rules, { recursive: true, force: true });
    }
  });
});

test('with EXHUNT_CACHE_DIR empty nothing is written', async () => {
  const before = process.env.EXHUNT_CACHE_DIR;
  process.env.EXHUNT_CACHE_DIR = '';
  try {
    assert.ok(parseBuiltin(DEFAULT_MAPPING_PATH, BUILTIN_RULES_DIR)?.rules);
  } finally {
    if (before === undefined) delete process.env.EXHUNT_CACHE_DIR;
    else process.env.EXHUNT_CACHE_DIR = before;
  }
});

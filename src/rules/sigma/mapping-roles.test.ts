// The shipped Sigma mapping and the field roles say the same thing: a Sigma web field (client address,
// path, query, user agent, status, user, ...) reads the native field FIELD_ROLES names for that role, in
// every log source entry of every web log; the deliberate differences are listed here and held.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FIELD_ROLES, roleFields, sourceKind } from '../../core/fields.js';
import type { FieldRole } from '../../core/fields.js';
import { resolveField } from './fieldmap.js';
import { DEFAULT_MAPPING_PATH, loadMapping, sourcesFor } from './mapping.js';

/** What each Sigma web field means, by log source category (Sigma's own field lists). */
const SIGMA_WEB_ROLES: Record<'webserver' | 'proxy', [string, FieldRole][]> = {
  webserver: [
    ['c-ip', 'clientIp'],
    ['cs-method', 'method'],
    ['cs-uri-stem', 'path'],
    ['cs-uri-query', 'query'],
    ['sc-status', 'status'],
    ['cs-username', 'user'],
    ['cs-user-agent', 'userAgent'],
    ['cs-referer', 'referer'],
    ['cs-referrer', 'referer'],
    ['cs-host', 'host'],
  ],
  proxy: [
    ['c-ip', 'clientIp'],
    ['src_ip', 'clientIp'],
    ['dst_ip', 'serverIp'],
    ['cs-method', 'method'],
    ['c-uri', 'uri'],
    ['c-uri-stem', 'path'],
    ['c-uri-query', 'query'],
    ['sc-status', 'status'],
    ['c-useragent', 'userAgent'],
    ['cs-referrer', 'referer'],
    ['cs-host', 'host'],
  ],
};

/**
 * Deliberate differences, `category field` → the role the mapping reads instead. Sigma webserver rules put
 * path fragments (`/owa/auth/Current/`, `/autodiscover.json`) in `cs-uri-query`; the logs split path and
 * query, so the mapping matches them against the path and query together (IIS `cs-uri`, HttpProxy `Uri`).
 */
const DELIBERATE: Record<string, FieldRole> = {
  'webserver cs-uri-query': 'uri',
};

/** Rename targets on web logs that no role names, and why. */
const NO_ROLE_TARGETS: Record<string, string> = {
  // Cookies are read by Sigma rules only; no detector, section or indicator reads them.
  'cs(Cookie)': 'cookie',
};

test('every Sigma web field of the shipped mapping reads the native field FIELD_ROLES names for its role', async () => {
  const { mapping, errors } = await loadMapping([DEFAULT_MAPPING_PATH]);
  assert.deepEqual(errors, []);
  let checked = 0;
  for (const category of ['webserver', 'proxy'] as const) {
    const bindings = sourcesFor(mapping, { category });
    assert.ok(bindings.length >= 2, `${category}: IIS and HttpProxy at least`);
    for (const b of bindings) {
      assert.equal(sourceKind(b.source), 'web-log', `${category} → ${b.source}`);
      for (const [sigma, meant] of SIGMA_WEB_ROLES[category]) {
        const role = DELIBERATE[`${category} ${sigma}`] ?? meant;
        const natives = roleFields(b.source, role);
        const read = resolveField(b.fieldMap, sigma).field;
        const where = `${b.entry ?? b.source}: ${sigma} (${role})`;
        if (natives.length === 0) {
          // The log has no such field: the Sigma name must not be renamed onto a field of another meaning.
          const all = Object.values(FIELD_ROLES[b.source as keyof typeof FIELD_ROLES]).flat();
          assert.ok(!all.includes(read), `${where} reads ${read}, a field of another role`);
          continue;
        }
        assert.ok(natives.includes(read), `${where} reads ${read}; FIELD_ROLES says ${natives.join(' or ')}`);
        checked++;
      }
    }
  }
  assert.ok(checked >= 30, `checked ${checked}`);
});

test('every rename onto a web or application log names a field the roles know (or a listed exception)', async () => {
  const { mapping } = await loadMapping([DEFAULT_MAPPING_PATH]);
  const targets: [string, string, string][] = [];
  for (const [source, s] of mapping.sources)
    for (const [sigma, t] of s.fields) targets.push([`sources.${source}`, source, t.field + '\0' + sigma]);
  for (const e of mapping.logsources)
    for (const [sigma, t] of e.fields) targets.push([e.id ?? e.source, e.source, t.field + '\0' + sigma]);
  let checked = 0;
  for (const [where, source, pair] of targets) {
    const kind = sourceKind(source);
    if (kind !== 'web-log' && kind !== 'app-log') continue;
    const [field = ''] = pair.split('\0');
    const known = Object.values(FIELD_ROLES[source as keyof typeof FIELD_ROLES]).flat();
    assert.ok(
      known.includes(field) || field in NO_ROLE_TARGETS,
      `${where}: ${pair.replace('\0', ' ← ')} is no field of the roles of ${source}`,
    );
    checked++;
  }
  assert.ok(checked >= 20, `checked ${checked}`);
});

test('a deliberate difference is still one: the mapping and the roles part there as documented', async () => {
  const { mapping } = await loadMapping([DEFAULT_MAPPING_PATH]);
  for (const b of sourcesFor(mapping, { category: 'webserver' })) {
    const read = resolveField(b.fieldMap, 'cs-uri-query').field;
    assert.ok(roleFields(b.source, 'uri').includes(read), `${b.source}: cs-uri-query reads path and query`);
    assert.ok(!roleFields(b.source, 'query').includes(read), `${b.source}: not the query alone`);
  }
});

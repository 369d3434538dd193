// Tests for reading the mitigation rules out of web.config: every published variant, disabled, broken and missing rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mitigationsFromWebConfig } from './web-config.js';

const config = (rules: string, extra = '') => `<?xml version="1.0" encoding="UTF-8"?>
<configuration>
  <system.webServer>
    <rewrite>
      <rules>
${rules}
${extra}
      </rules>
    </rewrite>
  </system.webServer>
</configuration>
`;

const rule = (
  name: string,
  input: string,
  pattern: string,
  opts: { attrs?: string; action?: string; url?: string } = {},
) => `
        <rule name="${name}" patternSyntax="ECMAScript" stopProcessing="true"${opts.attrs ?? ''}>
          <match url="${opts.url ?? '.*'}" />
          <conditions>
            <add input="${input}" pattern="${pattern}" />
          </conditions>
          ${opts.action ?? '<action type="AbortRequest" />'}
        </rule>`;

const EOMT = [
  rule('X-AnonResource-Backend Abort - inbound', '{HTTP_COOKIE}', '(.*)X-AnonResource-Backend(.*)'),
  rule('X-BEResource Abort - inbound', '{HTTP_COOKIE}', '(.*)X-BEResource=(.+)/(.+)~(.+)'),
].join('\n');

const state = (xml: string, cve: string) =>
  mitigationsFromWebConfig(xml, 'inetpub/wwwroot/web.config').mitigations.find((m) => m.cve === cve)?.state;

test('EOMT: both cookie rules mitigate 26855; one alone is partial', () => {
  const r = mitigationsFromWebConfig(config(EOMT), 'inetpub/wwwroot/web.config');
  assert.equal(r.rules.length, 2);
  assert.ok(r.rules.every((x) => x.effective && x.cve === 'CVE-2021-26855' && x.tool === 'EOMT'));
  assert.equal(r.rules[1]?.line, 15);
  assert.equal(state(config(EOMT), 'CVE-2021-26855'), 'mitigated');
  assert.equal(state(config(EOMT), 'CVE-2022-41040'), 'absent');
  const one = rule('X-BEResource Abort - inbound', '{HTTP_COOKIE}', '(.*)X-BEResource=(.+)/(.+)~(.+)');
  assert.equal(state(config(one), 'CVE-2021-26855'), 'partial');
});

test('EOMTv2/EEMS: every historical pattern is recognised; only the final one counts as current', () => {
  const variants: [string, string, string][] = [
    ['2022-09-30', '{REQUEST_URI}', '.*autodiscover\\.json.*\\@.*Powershell.*'],
    ['2022-10-03', '{REQUEST_URI}', '.*autodiscover\\.json.*Powershell.*'],
    ['2022-10-05', '{UrlDecode: {REQUEST_URI}}', '.*autodiscover\\.json.*Powershell.*'],
    ['2022-10-06', '{UrlDecode:{REQUEST_URI}}', '.*autodiscover\\.json.*Powershell.*'],
    ['2022-10-07', '{UrlDecode:{REQUEST_URI}}', '(?=.*autodiscover)(?=.*powershell)'],
  ];
  for (const [id, input, pattern] of variants) {
    const xml = config(rule('PowerShell - inbound', input, pattern));
    const r = mitigationsFromWebConfig(xml, 'web.config').rules;
    assert.equal(r.length, 1, id);
    assert.equal(r[0]?.variant, id);
    assert.equal(r[0]?.effective, true, id);
    assert.equal(state(xml, 'CVE-2022-41040'), id === '2022-10-07' ? 'mitigated' : 'superseded', id);
  }
});

test('a manual copy under another name is found by its pattern', () => {
  const xml = config(
    rule('Block ProxyNotShell', '{UrlDecode:{REQUEST_URI}}', '(?=.*autodiscover)(?=.*powershell)'),
  );
  assert.equal(state(xml, 'CVE-2022-41040'), 'mitigated');
});

test('disabled, actionless, wrong input, wrong match and commented-out rules are not effective', () => {
  const final = (opts: Parameters<typeof rule>[3], input = '{UrlDecode:{REQUEST_URI}}') =>
    config(rule('PowerShell - inbound', input, '(?=.*autodiscover)(?=.*powershell)', opts));
  const cases: [string, string, RegExp][] = [
    ['disabled', final({ attrs: ' enabled="false"' }), /disabled/],
    ['no action', final({ action: '' }), /no <action>/],
    ['rewrite action', final({ action: '<action type="Rewrite" url="/x" />' }), /does not block/],
    ['wrong input', final({}, '{HTTP_COOKIE}'), /input is "\{HTTP_COOKIE\}"/],
    ['match url', final({ url: 'owa/.*' }), /match url/],
    [
      'commented',
      config(
        `<!-- ${rule('PowerShell - inbound', '{UrlDecode:{REQUEST_URI}}', '(?=.*autodiscover)(?=.*powershell)')} -->`,
      ),
      /commented out/,
    ],
  ];
  for (const [what, xml, problem] of cases) {
    const r = mitigationsFromWebConfig(xml, 'web.config');
    assert.equal(r.rules[0]?.effective, false, what);
    assert.match(r.rules[0]?.problems.join('; ') ?? '', problem, what);
    assert.equal(r.mitigations.find((m) => m.cve === 'CVE-2022-41040')?.state, 'ineffective', what);
  }
});

test('rule found by name with an unpublished pattern; removal; missing rules; not a config', () => {
  const odd = mitigationsFromWebConfig(
    config(rule('PowerShell - inbound', '{URL}', 'powershell')),
    'web.config',
  );
  assert.match(odd.rules[0]?.problems.join() ?? '', /not one Microsoft published/);
  const removed = mitigationsFromWebConfig(
    config(EOMT, '<remove name="X-BEResource Abort - inbound" />'),
    'w',
  );
  assert.equal(removed.rules[1]?.effective, false);
  assert.equal(removed.mitigations[0]?.state, 'partial');
  assert.deepEqual(removed.overrides, [{ kind: 'remove', name: 'X-BEResource Abort - inbound', line: 22 }]);
  const none = mitigationsFromWebConfig(config(rule('Other', '{HTTP_HOST}', 'example')), 'w');
  assert.deepEqual(none.rules, []);
  assert.deepEqual(
    none.mitigations.map((m) => m.state),
    ['absent', 'absent'],
  );
  const junk = mitigationsFromWebConfig('<<<not xml &&& <rule name="x"', 'w');
  assert.equal(junk.problems[0]?.code, 'webconfig.not-config');
  assert.deepEqual(junk.rules, []);
});

// The real webshell collections in ../shared/samples, placed in every kind of web-served folder under two names each.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { fakeRecord } from '../../core/fake-record.js';
import { webshellFileDetector } from './webshell-file.js';

const SAMPLES = fileURLToPath(new URL('../../../../../shared/samples/webshells/', import.meta.url));

/**
 * What "found" means for each sample, decided by reading it:
 * - compromise: the page does what a shell does (every sample but one);
 * - suspicious: `Web Sniffer.aspx` is WebSniff's page with its server code cut out (the script block is 16 KB of
 *   blanks and the buttons call handlers the file does not define, so ASP.NET cannot compile it). It can do
 *   nothing as it is; it is reported for review on what is left (a socket import, the blank padding), and in
 *   Exchange's folders also as not shipped.
 * The HTML one-liner client (`ASPX one line Code Client by amxku.aspx`) is not server code either, but it carries
 * the payload it posts (a StreamWriter writing request data to a new .aspx): an attacker's tool in a web folder,
 * found on that payload. `xml/xml.aspx` is the XSLT stylesheet the loader runs: its msxsl:script evals a request
 * value.
 */
const EXPECTED_SUSPICIOUS = new Set(['Web Sniffer.aspx']);

const INSTALL = 'Program Files/Microsoft/Exchange Server/V15';
/** Web-served folders of each kind: Exchange's front end, back end (deep), IIS's own tree, and a site root of its own. */
const FOLDERS = [
  `${INSTALL}/FrontEnd/HttpProxy/owa/auth`,
  `${INSTALL}/FrontEnd/HttpProxy/ecp`,
  `${INSTALL}/ClientAccess/ecp/UsersGroups/Resources/Old`,
  'inetpub/wwwroot/sub/dir',
  'D/Sites/Intranet/App',
];
/** A name Exchange ships (so the inventory cannot be what finds it) and the sample's own name. */
const DISGUISES = ['logon.aspx', undefined];

function samples(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? samples(p) : [p];
    })
    .filter((p) => !p.endsWith('README.md'))
    .sort();
}

test('every real webshell is found on its content, in every web-served folder, under its own name and a stock one', (t) => {
  if (!existsSync(SAMPLES))
    return t.skip(`../shared/samples/webshells is absent (${SAMPLES}): real-sample test skipped`);
  const files = samples(SAMPLES);
  assert.ok(files.length >= 30, `${files.length} samples`);
  const misses: string[] = [];
  for (const file of files) {
    const name = file.slice(file.lastIndexOf('/') + 1);
    const ext = name.slice(name.lastIndexOf('.'));
    const text = readFileSync(file).toString('latin1');
    const want = EXPECTED_SUSPICIOUS.has(name) ? 'suspicious' : 'compromise';
    for (const folder of FOLDERS)
      for (const disguise of DISGUISES) {
        const as = disguise ? disguise.replace('.aspx', ext) : name;
        const path = `${folder}/${as}`;
        const r = fakeRecord('web-file', { Path: path, Name: as, Size: text.length }, { text });
        const hit = webshellFileDetector.check(r, { path })?.[0];
        if (hit?.outcome !== want)
          misses.push(`${file.slice(SAMPLES.length)} as ${path}: ${hit?.outcome ?? 'nothing'}`);
        else if (want === 'compromise') {
          assert.ok(hit.details?.behaviours, `${name}: behaviours listed`);
          assert.ok(hit.details?.code, `${name}: code excerpts listed`);
        }
      }
  }
  assert.deepEqual(misses, [], `not found as expected:\n${misses.join('\n')}`);
});

// Site roots under other tools' drive folders (KAPE's `C/`, Velociraptor's escaped `uploads/auto/C%3A/`).

import assert from 'node:assert/strict';
import test from 'node:test';
import { mapRoots } from './site-roots.js';

test('IIS site folders are looked for under the collection’s drive folders, spelled as stored', () => {
  const cfg = 'uploads/auto/C%3A/Windows/System32/inetsrv/config/applicationHost.config';
  const mapped = mapRoots(cfg, ['%SystemDrive%\\inetpub\\wwwroot', 'D:\\Web: Sites\\owa']);
  assert.deepEqual(
    mapped.map((m) => m.folder),
    ['uploads/auto/c%3a/inetpub/wwwroot/', 'uploads/auto/d%3a/web%3a sites/owa/'],
  );
  const ntfs = mapRoots(cfg.replace('auto/C%3A', 'ntfs/%5C%5C.%5CC%3A'), ['E:\\x']);
  assert.equal(ntfs[0]?.folder, 'uploads/ntfs/%5c%5c.%5ce%3a/x/');
  assert.deepEqual(
    mapRoots('tout/C/Windows/System32/inetsrv/config/applicationHost.config', ['D:\\w']).map((m) => m.folder),
    ['tout/d/w/'],
  );
});

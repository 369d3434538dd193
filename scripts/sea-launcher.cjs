// The single executable's main script (Node's SEA runs it; only built-in modules can be required here).
// The application (esbuild bundles of the CLI and its workers, with data/, rules/ and schema/) is one asset;
// it is unpacked once per build into a cache folder named after its SHA-256, then loaded from there.

'use strict';
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { gunzipSync } = require('node:zlib');
const { createRequire } = require('node:module');
const sea = require('node:sea');

function cacheRoot() {
  if (process.env.EXHUNT_CACHE) return process.env.EXHUNT_CACHE;
  if (process.platform === 'win32')
    return path.join(process.env.LOCALAPPDATA || path.join(os.homedir(), 'AppData', 'Local'), 'exhunt');
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'exhunt');
}

function unpack() {
  const packed = Buffer.from(sea.getAsset('app'));
  const id = createHash('sha256').update(packed).digest('hex').slice(0, 16);
  const dir = path.join(cacheRoot(), id);
  if (fs.existsSync(path.join(dir, '.complete'))) return dir;
  const raw = gunzipSync(packed);
  const headLen = raw.readUInt32LE(0);
  const files = JSON.parse(raw.subarray(4, 4 + headLen).toString('utf8'));
  const tmp = `${dir}.${process.pid}.tmp`;
  let at = 4 + headLen;
  for (const f of files) {
    const full = path.join(tmp, f.path);
    if (!full.startsWith(tmp + path.sep)) throw new Error(`bad path in the packed application: ${f.path}`);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, raw.subarray(at, at + f.size));
    at += f.size;
  }
  fs.writeFileSync(path.join(tmp, '.complete'), id);
  try {
    fs.renameSync(tmp, dir);
  } catch {
    // Another run unpacked it first.
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}

const dir = unpack();
createRequire(path.join(dir, 'package.json'))('./dist/src/cli/exe.js').runExe(process.argv.slice(2));

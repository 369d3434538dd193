// What both bundles of exhunt share (the npm package's, scripts/bundle-cli.mjs; the single executable's,
// scripts/build-exe.mjs): source files find rules, data and worker scripts through `import.meta.url`, so each
// bundled file keeps the URL of the file it came from, resolved under a root the bundle's banner computes.

import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Replaces `import.meta.url` in each bundled file by `__exhuntUrl("<its path relative to root>")`. */
export function keepImportMetaUrl(root) {
  return {
    name: 'keep-import-meta-url',
    setup(b) {
      b.onLoad({ filter: /\.(m?js)$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        const rel = path.relative(root, args.path).split(path.sep).join('/');
        return {
          contents: text.replaceAll('import.meta.url', `__exhuntUrl(${JSON.stringify(rel)})`),
          loader: 'js',
        };
      });
    },
  };
}

/** Native addons and optional engines: never bundled, loaded from node_modules if present. */
export const NATIVE_EXTERNALS = [
  '@litko/yara-x',
  '@virustotal/yara-x',
  'yara-x',
  'better-sqlite3',
  'pg',
  'pg-native',
  'pg-boss',
  'libyara-wasm',
];

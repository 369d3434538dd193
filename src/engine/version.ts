// exhunt's version from package.json, in a module of its own so `--version` and `evtx dump` need not load the engine.

import { readFileSync } from 'node:fs';

let version: string | undefined;

export function toolVersion(): string {
  if (!version) {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    version = pkg.version;
  }
  return version;
}

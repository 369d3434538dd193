// `exhunt version` / `exhunt --version`: what a bug report or a compatibility question needs in one place:
// the release, the report schema it writes, the newest database migration it knows, and the Node.js running it.

import { REPORT_SCHEMA_VERSION } from '../core/report.js';
import { toolVersion } from '../engine/version.js';
import { migrationLevel } from '../server/db-level.js';
import type { Io } from './io.js';
import { EXIT, UsageError } from './io.js';

export const VERSION_HELP = `Usage: exhunt version   (the top-level option of the same name prints it too)

  Prints exhunt's version, the version of the report schema it writes (schema/report.schema.json), the
  newest fleet-database migration it knows (a database migrated further is refused by serve and worker),
  and the Node.js version running it.
`;

export function versionText(): string {
  return [
    `exhunt ${toolVersion()}`,
    `report schema ${REPORT_SCHEMA_VERSION}`,
    `database migrations up to ${migrationLevel()}`,
    `Node.js ${process.versions.node}`,
  ].join('\n');
}

export function versionCommand(argv: string[], io: Io): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out.write(VERSION_HELP);
    return Promise.resolve(EXIT.clean);
  }
  if (argv.length > 0) throw new UsageError(`takes no arguments, got "${argv[0]}"`, VERSION_HELP);
  io.out.write(`${versionText()}\n`);
  return Promise.resolve(EXIT.clean);
}

// Runs the one migration set on either database; the server and workers call it on start.

import { Migrator, NO_MIGRATIONS, sql } from 'kysely';
import type { Migration, MigrationResultSet } from 'kysely';
import type { Dialect, Store } from '../db.js';
import { tenants } from './001-tenants.js';
import { scans } from './002-scans.js';
import { indicators } from './003-indicators.js';
import { jobs } from './004-jobs.js';
import { feeds } from './005-feeds.js';
import { triage } from './006-triage.js';
import { clusters } from './007-clusters.js';
import { notifications } from './008-notifications.js';
import { overdue } from './010-overdue.js';
import { events } from './009-events.js';
import { campaignWatch } from './011-campaign-watch.js';
import { agents } from './012-agents.js';
import { retrohunts } from './013-retrohunts.js';
import { jobPriority } from './014-job-priority.js';
import { agentSightings } from './015-agent-sightings.js';

export function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '001-tenants': tenants(dialect),
    '002-scans': scans(dialect),
    '003-indicators': indicators(dialect),
    '004-jobs': jobs(dialect),
    '005-feeds': feeds(dialect),
    '006-triage': triage(dialect),
    '007-clusters': clusters(dialect),
    '008-notifications': notifications(dialect),
    '009-events': events(dialect),
    '010-overdue': overdue(),
    '011-campaign-watch': campaignWatch(dialect),
    '012-agents': agents(dialect),
    '013-retrohunts': retrohunts(dialect),
    '014-job-priority': jobPriority(),
    '015-agent-sightings': agentSightings(dialect),
  };
}

/** The newest migration this build knows, e.g. `010-overdue`: what `exhunt --version` prints. */
export function migrationLevel(): string {
  return Object.keys(migrations('sqlite')).sort().at(-1) ?? '';
}

/** A database written by a newer exhunt: this build must not run on it (it cannot know what changed). */
export class NewerDatabaseError extends Error {}

/** The migrations recorded in the database (none when it was never migrated). */
export async function appliedMigrations(store: Store): Promise<string[]> {
  try {
    const r = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(store.db);
    return r.rows.map((x) => x.name);
  } catch {
    // No migration table yet: a new database (any other failure shows again when migrating).
    return [];
  }
}

/** Refuses a database that holds migrations this build does not have, naming them and what to do. */
export async function checkNotNewer(store: Store, version: string): Promise<void> {
  const known = new Set(Object.keys(migrations(store.dialect)));
  const unknown = (await appliedMigrations(store)).filter((n) => !known.has(n));
  if (unknown.length > 0)
    throw new NewerDatabaseError(
      `the database (${store.where}) was migrated by a newer exhunt: it has migration(s) ${unknown.join(', ')}, ` +
        `this exhunt ${version} knows up to ${migrationLevel()}. Run the newer exhunt (or restore the backup taken ` +
        `before upgrading); exhunt never downgrades a database.`,
    );
}

function migrator(store: Store): Migrator {
  const set = migrations(store.dialect);
  return new Migrator({
    db: store.db,
    provider: { getMigrations: () => Promise.resolve(set) },
  });
}

function check(r: MigrationResultSet): void {
  if (r.error) {
    const failed = r.results?.find((x) => x.status === 'Error')?.migrationName;
    const why = r.error instanceof Error ? r.error.message : JSON.stringify(r.error);
    throw new Error(`database migration ${failed ?? ''} failed: ${why}`);
  }
}

/**
 * Brings the schema up to date. Kysely holds a lock meanwhile, so a server and workers may start together.
 * A database newer than this build is refused first (`version` names this build in the message).
 */
export async function migrateToLatest(store: Store, version = 'this version'): Promise<void> {
  await checkNotNewer(store, version);
  check(await migrator(store).migrateToLatest());
}

/** Undoes every migration (tests prove each one can be reversed). */
export async function migrateToZero(store: Store): Promise<void> {
  check(await migrator(store).migrateTo(NO_MIGRATIONS));
}

// Token administration straight on the fleet database, for `exhunt tokens` (the CLI holds no store logic).

import { toolVersion } from '../engine/version.js';
import type { Role, TokenView } from '../store/index.js';
import {
  ALL,
  createOrganisation,
  createToken,
  findOrganisation,
  listTokens,
  migrateToLatest,
  openStore,
  revokeToken,
} from '../store/index.js';

export type { Role, TokenView };

export const TOKEN_ROLES: readonly Role[] = ['administrator', 'analyst', 'viewer'];

/** Every change made here is audited under this actor. */
const ACTOR = 'cli:0:exhunt-tokens';

interface TokenAdmin {
  list(): Promise<TokenView[]>;
  /** False when no active token has this id. */
  revoke(id: number): Promise<boolean>;
  /** The token (shown once) and whether the organisation named had to be created. */
  create(opts: {
    name: string;
    role: Role;
    org?: string;
  }): Promise<{ token: string; id: number; orgCreated: boolean }>;
  close(): Promise<void>;
}

/** Opens (and migrates) the fleet database at a URL or in a data folder. */
export async function openTokenAdmin(target: { database?: string; dataDir?: string }): Promise<TokenAdmin> {
  const store = await openStore(
    target.database ? { database: target.database } : { dataDir: target.dataDir },
  );
  try {
    await migrateToLatest(store, toolVersion());
  } catch (e) {
    await store.close();
    throw e;
  }
  return {
    list: () => listTokens(store, ALL),
    revoke: (id) => revokeToken(store, ALL, id, ACTOR),
    async create({ name, role, org }) {
      let orgId: number | null = null;
      let orgCreated = false;
      if (org !== undefined) {
        let found = await findOrganisation(store, ALL, org);
        if (!found) {
          found = await createOrganisation(store, org, ACTOR);
          orgCreated = true;
        }
        orgId = found.id;
      }
      const t = await createToken(store, { name, role, orgId }, ACTOR);
      return { token: t.token, id: t.view.id, orgCreated };
    },
    close: () => store.close(),
  };
}

// `exhunt tokens`: create, list and revoke API tokens directly in the fleet database.

import { parseArgs } from 'node:util';
import { toolVersion } from '../engine/assemble.js';
import type { Role } from '../store/index.js';
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
import type { Io } from './io.js';
import { EXIT, UsageError } from './io.js';

export const TOKENS_HELP = `Usage:
  exhunt tokens create (--data DIR | --database URL) --org NAME --role analyst|viewer [--name LABEL]
  exhunt tokens create (--data DIR | --database URL) --role administrator [--name LABEL]
  exhunt tokens list   (--data DIR | --database URL)
  exhunt tokens revoke (--data DIR | --database URL) ID

  create prints the token on stdout, once: only its hash is stored. An organisation named by --org is
  created if it does not exist yet (said on stderr). Send the token as "Authorization: Bearer <token>".
`;

const ROLES: Role[] = ['administrator', 'analyst', 'viewer'];

export async function tokensCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      database: { type: 'string' },
      org: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out.write(TOKENS_HELP);
    return EXIT.clean;
  }
  const [action, ...rest] = positionals;
  if (!action || !['create', 'list', 'revoke'].includes(action))
    throw new UsageError('create, list or revoke?', TOKENS_HELP);
  if (!values.data && !values.database)
    throw new UsageError('give --data DIR or --database URL', TOKENS_HELP);
  const store = await openStore(
    values.database ? { database: values.database } : { dataDir: values.data as string },
  );
  try {
    await migrateToLatest(store, toolVersion());
    const actor = 'cli:0:exhunt-tokens';
    if (action === 'list') {
      for (const t of await listTokens(store, ALL))
        io.out.write(
          `${t.id}\t${t.role}\t${t.organisationId ?? '-'}\t${t.name}\t${t.revokedAt ? `revoked ${t.revokedAt}` : 'active'}\n`,
        );
      return EXIT.clean;
    }
    if (action === 'revoke') {
      const id = Number(rest[0]);
      if (!Number.isInteger(id) || id < 1)
        throw new UsageError('revoke takes a token id (see tokens list)', TOKENS_HELP);
      if (!(await revokeToken(store, ALL, id, actor))) {
        io.err.write(`exhunt tokens: no active token ${id}\n`);
        return EXIT.error;
      }
      return EXIT.clean;
    }
    const role = values.role as Role;
    if (!ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`, TOKENS_HELP);
    if ((role === 'administrator') !== (values.org === undefined))
      throw new UsageError(
        'analyst and viewer tokens need --org; administrator tokens span organisations',
        TOKENS_HELP,
      );
    let orgId: number | null = null;
    if (values.org !== undefined) {
      let org = await findOrganisation(store, ALL, values.org);
      if (!org) {
        org = await createOrganisation(store, values.org, actor);
        io.err.write(`exhunt tokens: organisation "${values.org}" created\n`);
      }
      orgId = org.id;
    }
    const t = await createToken(store, { name: values.name ?? `${role} token`, role, orgId }, actor);
    io.out.write(`${t.token}\n`);
    io.err.write(
      `exhunt tokens: token ${t.view.id} (${role}${values.org ? ` of "${values.org}"` : ''}) created; it is shown only now\n`,
    );
    return EXIT.clean;
  } finally {
    await store.close();
  }
}

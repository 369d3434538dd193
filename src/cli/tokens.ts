// `exhunt tokens`: create, list and revoke API tokens directly in the fleet database.

import { parseArgs } from 'node:util';
import type { Role } from '../server/token-admin.js';
import { openTokenAdmin, TOKEN_ROLES } from '../server/token-admin.js';
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
  const admin = await openTokenAdmin(
    values.database ? { database: values.database } : { dataDir: values.data },
  );
  try {
    if (action === 'list') {
      for (const t of await admin.list())
        io.out.write(
          `${t.id}\t${t.role}\t${t.organisationId ?? '-'}\t${t.name}\t${t.revokedAt ? `revoked ${t.revokedAt}` : 'active'}\n`,
        );
      return EXIT.clean;
    }
    if (action === 'revoke') {
      const id = Number(rest[0]);
      if (!Number.isInteger(id) || id < 1)
        throw new UsageError('revoke takes a token id (see tokens list)', TOKENS_HELP);
      if (!(await admin.revoke(id))) {
        io.err.write(`exhunt tokens: no active token ${id}\n`);
        return EXIT.error;
      }
      return EXIT.clean;
    }
    const role = values.role as Role;
    if (!TOKEN_ROLES.includes(role))
      throw new UsageError(`--role must be one of ${TOKEN_ROLES.join(', ')}`, TOKENS_HELP);
    if ((role === 'administrator') !== (values.org === undefined))
      throw new UsageError(
        'analyst and viewer tokens need --org; administrator tokens span organisations',
        TOKENS_HELP,
      );
    const t = await admin.create({ name: values.name ?? `${role} token`, role, org: values.org });
    if (t.orgCreated) io.err.write(`exhunt tokens: organisation "${values.org}" created\n`);
    io.out.write(`${t.token}\n`);
    io.err.write(
      `exhunt tokens: token ${t.id} (${role}${values.org ? ` of "${values.org}"` : ''}) created; it is shown only now\n`,
    );
    return EXIT.clean;
  } finally {
    await admin.close();
  }
}

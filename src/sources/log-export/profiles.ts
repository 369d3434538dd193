// What exported columns mean: each log's native column names, how a header is recognised, what rules need.

/**
 * Kinds of exported tables: the logs exhunt reads (by the source id whose rules apply) and the tables
 * Test-ProxyLogon writes that are not logs.
 */
export type ExportKind =
  | 'httpproxy'
  | 'ecp-server'
  | 'iis-w3c'
  | 'rps-http'
  | 'rps-cmdlet'
  | 'tpl-26857'
  | 'tpl-other'
  | 'tpl-log-age';

/**
 * A column name as a key: lower case, letters and digits only, so that the spellings of Exchange
 * (`ClientIpAddress`), Test-ProxyLogon (`ClientIPAddress`), W3C (`cs(User-Agent)`), Splunk (`cs_User_Agent`)
 * and Sentinel (`csUserAgent`, custom-log `AnchorMailbox_s`) meet.
 */
export function columnKey(name: string): string {
  const bare = name.trim().replace(/^"|"$/g, '');
  return bare
    .replace(/_(s|d|t|b|g)$/i, '') // Log Analytics custom-log type suffixes
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** HttpProxy `#Fields` (Exchange 2016 CU22; older builds have fewer): the names rules use. */
const HTTPPROXY = `DateTime RequestId MajorVersion MinorVersion BuildVersion RevisionVersion ClientRequestId Protocol
UrlHost UrlStem ProtocolAction AuthenticationType IsAuthenticated AuthenticatedUser Organization AnchorMailbox
UserAgent ClientIpAddress ServerHostName HttpStatus BackEndStatus ErrorCode Method ProxyAction TargetServer
TargetServerVersion RoutingType RoutingHint BackEndCookie ServerLocatorHost ServerLocatorLatency RequestBytes
ResponseBytes TargetOutstandingRequests AuthModulePerfContext HttpPipelineLatency CalculateTargetBackEndLatency
GlsLatencyBreakup TotalGlsLatency AccountForestLatencyBreakup TotalAccountForestLatency
ResourceForestLatencyBreakup TotalResourceForestLatency ADLatency SharedCacheLatencyBreakup
TotalSharedCacheLatency ActivityContextLifeTime ModuleToHandlerSwitchingLatency ClientReqStreamLatency
BackendReqInitLatency BackendReqStreamLatency BackendProcessingLatency BackendRespInitLatency
BackendRespStreamLatency ClientRespStreamLatency KerberosAuthHeaderLatency HandlerCompletionLatency
RequestHandlerLatency HandlerToModuleSwitchingLatency ProxyTime CoreLatency RoutingLatency HttpProxyOverhead
TotalRequestTime RouteRefresherLatency UrlQuery BackEndGenericInfo GenericInfo GenericErrors EdgeTraceId
DatabaseGuid UserADObjectGuid PartitionEndpointLookupLatency RoutingStatus`;

/** IIS W3C fields as IIS names them (`#Fields`), the names the iis-w3c source answers to. */
const IIS = `date time s-sitename s-computername s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip
cs-version cs(User-Agent) cs(Cookie) cs(Referer) cs-host sc-status sc-substatus sc-win32-status sc-bytes cs-bytes
time-taken X-Forwarded-For`;

const ECP = 'TimeStamp ServerName EventId EventData';

/** Rps_Http, from CrowdStrike's OWASSRF script (see the exchange-forensics guide, 2.6). */
const RPS_HTTP = `DateTime StartTime RequestId MajorVersion MinorVersion BuildVersion RevisionVersion ClientRequestId
UrlHost UrlStem AuthenticationType IsAuthenticated AuthenticatedUser Organization ManagedOrganization
ClientIpAddress ServerHostName FrontEndServer HttpStatus SubStatus ErrorCode Action CommandId CommandName
SessionId ShellId FailFast ContributeToFailFast RequestBytes ClientInfo CPU Memory ActivityContextLifeTime
TotalTime UrlQuery GenericLatency GenericInfo GenericErrors`;

const RPS_CMDLET = 'DateTime RequestId Cmdlet Parameters AuthenticatedUser ClientApplication ProcessName';

const TPL_26857 = 'TimeCreated MachineName Message';
const TPL_OTHER = 'ComputerName Type Path Name LastWrite';
const TPL_LOG_AGE = `Oabgen Ecp AutodProxy EasProxy EcpProxy EwsProxy MapiProxy OabProxy OwaProxy OwaCalendarProxy
PowershellProxy RpcHttpProxy`;

/** The nine columns Test-ProxyLogon keeps of an HttpProxy row (CVE-2021-26855 and the ResetVDir check). */
const TPL_HTTPPROXY_COLUMNS = [
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

export interface Profile {
  kind: ExportKind;
  /** What the table is, for messages. */
  title: string;
  /** Column key → the native name this kind's rules ask for. */
  names: ReadonlyMap<string, string>;
  /** Keys of the columns holding a row's time, best first; `date`+`time` pairs are handled apart. */
  time: readonly string[];
  /**
   * Columns the detections read to decide anything: when none is present the table is useless, when some
   * are missing, part of what the rules could find is out of reach.
   */
  needs: readonly string[];
  /** Rows are events of a log and need a time (any of `time`, or W3C's `date` and `time`). */
  timed: boolean;
  /** Rows may carry the separator unquoted in their last column (ECP event data pasted from a log). */
  restInLast?: boolean;
}

function names(list: string, extra: Record<string, string> = {}): Map<string, string> {
  const m = new Map<string, string>();
  for (const n of list.split(/\s+/).filter(Boolean)) m.set(columnKey(n), n);
  for (const [k, v] of Object.entries(extra)) m.set(k, v);
  return m;
}

/** Names that SIEMs give the time of an event, whatever the log. */
const SIEM_TIME = ['timegenerated', 'time', 'timestamp', 'eventtime', 'datetimeutc'];

export const PROFILES: Readonly<Record<ExportKind, Profile>> = {
  httpproxy: {
    kind: 'httpproxy',
    title: 'HttpProxy log',
    names: names(HTTPPROXY, { clientip: 'ClientIpAddress', clientipaddress: 'ClientIpAddress' }),
    time: ['datetime', ...SIEM_TIME],
    needs: ['anchormailbox', 'urlstem', 'httpstatus'],
    timed: true,
  },
  'ecp-server': {
    kind: 'ecp-server',
    title: 'ECP Server log',
    names: names(ECP),
    time: ['timestamp', 'datetime', ...SIEM_TIME],
    needs: ['eventdata'],
    timed: true,
    restInLast: true,
  },
  'iis-w3c': {
    kind: 'iis-w3c',
    title: 'IIS W3C log',
    names: names(IIS, { clientip: 'c-ip', csuseragent: 'cs(User-Agent)', xforwardedfor: 'X-Forwarded-For' }),
    time: ['datetime', ...SIEM_TIME],
    needs: ['csuristem', 'scstatus'],
    timed: true,
  },
  'rps-http': {
    kind: 'rps-http',
    title: 'Rps_Http log',
    names: names(RPS_HTTP),
    time: ['datetime', 'starttime', ...SIEM_TIME],
    needs: ['clientinfo', 'httpstatus'],
    timed: true,
  },
  'rps-cmdlet': {
    kind: 'rps-cmdlet',
    title: 'Rps_Cmdlet log',
    names: names(RPS_CMDLET),
    time: ['datetime', ...SIEM_TIME],
    needs: ['cmdlet', 'parameters'],
    timed: true,
  },
  'tpl-26857': {
    kind: 'tpl-26857',
    title: "Test-ProxyLogon's CVE-2021-26857 event list",
    names: names(TPL_26857),
    // TimeCreated is the server's local time, written in its culture without an offset: not a UTC time.
    time: [],
    needs: ['message'],
    timed: false,
  },
  'tpl-other': {
    kind: 'tpl-other',
    title: "Test-ProxyLogon's suspicious file list",
    names: names(TPL_OTHER),
    // LastWrite belongs to the listed file, not to an event of a log: it goes on findings, not coverage.
    time: [],
    needs: ['path'],
    timed: false,
  },
  'tpl-log-age': {
    kind: 'tpl-log-age',
    title: "Test-ProxyLogon's log age table",
    names: names(TPL_LOG_AGE),
    time: [],
    needs: ['oabgen', 'ecp', 'ecpproxy', 'owaproxy'],
    timed: false,
  },
};

/** Logs first, most specific first: Rps_Http has UrlStem and HttpStatus too, HttpProxy has what IIS has. */
const ORDER: ExportKind[] = ['ecp-server', 'rps-cmdlet', 'rps-http', 'httpproxy', 'iis-w3c'];

/** The kind of log a header names, from its column keys; undefined when it names none of them. */
export function recogniseLog(keys: ReadonlySet<string>): ExportKind | undefined {
  const has = (...k: string[]) => k.some((x) => keys.has(x));
  for (const kind of ORDER) {
    switch (kind) {
      case 'ecp-server':
        if (keys.has('eventdata') && has('timestamp', 'servername', 'eventid')) return kind;
        break;
      case 'rps-cmdlet':
        if (keys.has('cmdlet') && keys.has('parameters') && !keys.has('clientinfo')) return kind;
        break;
      case 'rps-http':
        if (keys.has('clientinfo') && has('commandname', 'commandid', 'shellid', 'sessionid')) return kind;
        break;
      case 'httpproxy':
        if (has('anchormailbox', 'routinghint', 'backendcookie')) return kind;
        if (keys.has('urlstem') && has('targetserver', 'protocolaction', 'proxyaction', 'backendstatus'))
          return kind;
        break;
      case 'iis-w3c':
        if (keys.has('csuristem') || (keys.has('csmethod') && keys.has('scstatus'))) return kind;
        break;
      default:
        break;
    }
  }
  return undefined;
}

/** Test-ProxyLogon's own tables, recognised by their exact columns. */
export function recogniseTable(keys: readonly string[]): ExportKind | undefined {
  const same = (list: string) => {
    const want = list.split(/\s+/).filter(Boolean).map(columnKey);
    return want.length === keys.length && want.every((k) => keys.includes(k));
  };
  if (same(TPL_26857)) return 'tpl-26857';
  if (same(TPL_OTHER)) return 'tpl-other';
  if (same(TPL_LOG_AGE)) return 'tpl-log-age';
  return undefined;
}

/** Is this header Test-ProxyLogon's nine HttpProxy columns? */
export function isTplHttpProxyHeader(keys: readonly string[]): boolean {
  const want = TPL_HTTPPROXY_COLUMNS.map(columnKey);
  return want.length === keys.length && want.every((k) => keys.includes(k));
}

// Event log file names and the channel names they store, for coverage families (`EVTX/Security`).

/** Channels whose file name is known, keyed by the lower-cased name with `%4` decoded to `/`. */
const KNOWN = [
  'Application',
  'Security',
  'System',
  'Setup',
  'ForwardedEvents',
  'Windows PowerShell',
  'MSExchange Management',
  'MSExchange Auditing',
  'Microsoft-Windows-PowerShell/Operational',
  'Microsoft-Windows-Sysmon/Operational',
  'Microsoft-Windows-TaskScheduler/Operational',
  'Microsoft-Windows-TerminalServices-LocalSessionManager/Operational',
  'Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational',
  'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational',
  'Microsoft-Windows-Windows Defender/Operational',
  'Microsoft-Windows-WMI-Activity/Operational',
  'Microsoft-Windows-Bits-Client/Operational',
  'Microsoft-Windows-SMBServer/Security',
  'Microsoft-Windows-WinRM/Operational',
  'Microsoft-Windows-CodeIntegrity/Operational',
  'Microsoft-Windows-AppLocker/EXE and DLL',
  'Microsoft-Windows-AppLocker/MSI and Script',
  'Microsoft-Windows-Windows Firewall With Advanced Security/Firewall',
  'Microsoft-Windows-IIS-Configuration/Operational',
  'Microsoft-Exchange-HighAvailability/Operational',
  'Microsoft-Exchange-ManagedAvailability/Monitoring',
];

const BY_LOWER = new Map(KNOWN.map((c) => [c.toLowerCase(), c]));

/** The channel a log file stores, from its base name; known channels get their canonical case. */
export function channelFromPath(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1).replace(/\.evtx$/i, '');
  const decoded = base.replace(/%4/g, '/');
  return BY_LOWER.get(decoded.toLowerCase()) ?? decoded;
}

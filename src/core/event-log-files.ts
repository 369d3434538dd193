// Where Windows keeps an event log channel's live file: shared by the collectors (which export or upload it)
// and the live scan (which reads an export in its place).

/** Relative to the system drive, `/`-separated. */
export const EVTX_FOLDER = 'Windows/System32/winevt/Logs';

/** A channel's default file name: a `/` in the channel is `%4` in the name (`Microsoft-Windows-Sysmon%4Operational.evtx`). */
export function evtxFileName(channel: string): string {
  return `${channel.replace(/\//g, '%4')}.evtx`;
}

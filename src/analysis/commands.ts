// Reading commands and cmdlets out of log text: parameters, and what a command did (persistence, dumping, ...).

/** Cmdlet name at the start of a command line or ECP `CMD=` value (`Set-OabVirtualDirectory.ExternalUrl=...`). */
export function cmdletOf(command: string): string | undefined {
  return /^\s*([A-Z][a-z]+-[A-Za-z]+)(?=$|[\s.{])/.exec(command)?.[1];
}

/**
 * A parameter's value in the three ways Exchange logs write cmdlet parameters: `-Name "value"` (event log on
 * 2013+, Rps_Cmdlet), `{Name=value, ...}` (2010 event log) and `.Name='value'` (ECP Server log, quotes doubled).
 */
export function paramOf(command: string, name: string): string | undefined {
  const n = name.replace(/[^A-Za-z0-9]/g, '');
  const patterns = [
    new RegExp(`-${n}(?::|\\s+)"((?:[^"]|"")*)"`, 'i'),
    new RegExp(`-${n}(?::|\\s+)'((?:[^']|'')*)'`, 'i'),
    new RegExp(`\\.${n}='((?:[^']|'')*)'`, 'i'),
    new RegExp(`[{,\\s]${n}=([^,}]*)`, 'i'),
    new RegExp(`-${n}(?::|\\s+)([^\\s"'][^\\s]*)`, 'i'),
  ];
  for (const re of patterns) {
    const m = re.exec(command);
    if (m?.[1] !== undefined) return m[1].replace(/''/g, "'").replace(/""/g, '"').trim();
  }
  return undefined;
}

type CommandEffect =
  | { kind: 'account'; name: string }
  | { kind: 'service'; name: string }
  | { kind: 'scheduled-task'; name: string }
  | { kind: 'export-request'; mailbox: string; path: string }
  | { kind: 'role-assignment'; role: string; user: string }
  | { kind: 'permission'; mailbox: string; user: string }
  | { kind: 'credentials'; what: string }
  | { kind: 'archive'; what: string }
  | { kind: 'address-book'; what: string };

const unquote = (s: string) => s.replace(/^["']|["']$/g, '');

/** What a command line or cmdlet did, as far as its text shows. */
export function commandEffects(command: string): CommandEffect[] {
  const c = command;
  const out: CommandEffect[] = [];
  const cmdlet = cmdletOf(c)?.toLowerCase();
  let m: RegExpExecArray | null;
  if (cmdlet === 'new-mailboxexportrequest')
    out.push({
      kind: 'export-request',
      mailbox: paramOf(c, 'Mailbox') ?? '(mailbox not logged)',
      path: paramOf(c, 'FilePath') ?? '(path not logged)',
    });
  if (cmdlet === 'new-managementroleassignment')
    out.push({
      kind: 'role-assignment',
      role: paramOf(c, 'Role') ?? '(role not logged)',
      user: paramOf(c, 'User') ?? paramOf(c, 'SecurityGroup') ?? '(assignee not logged)',
    });
  if (cmdlet === 'add-mailboxpermission')
    out.push({
      kind: 'permission',
      mailbox: paramOf(c, 'Identity') ?? '(mailbox not logged)',
      user: paramOf(c, 'User') ?? '(user not logged)',
    });
  if (cmdlet === 'new-localuser' || cmdlet === 'new-aduser' || cmdlet === 'new-mailbox') {
    const name = paramOf(c, 'Name') ?? paramOf(c, 'SamAccountName');
    if (name) out.push({ kind: 'account', name });
  }
  if (cmdlet === 'new-service' && (m = /-Name\s+("[^"]+"|'[^']+'|\S+)/i.exec(c)))
    out.push({ kind: 'service', name: unquote(m[1] as string) });
  if (cmdlet === 'register-scheduledtask' && (m = /-TaskName\s+("[^"]+"|'[^']+'|\S+)/i.exec(c)))
    out.push({ kind: 'scheduled-task', name: unquote(m[1] as string) });
  if ((m = /\bnet1?(?:\.exe)?\s+user\s+("[^"]+"|\S+)\s+.*\/add\b/i.exec(c)))
    out.push({ kind: 'account', name: unquote(m[1] as string) });
  if ((m = /\bnet1?(?:\.exe)?\s+(?:localgroup|group)\s+(?:"[^"]+"|\S+)\s+("[^"]+"|\S+)\s+\/add\b/i.exec(c)))
    out.push({ kind: 'account', name: unquote(m[1] as string) });
  if (/\bschtasks(?:\.exe)?\b.*\/create\b/i.test(c) && (m = /\/tn\s+("[^"]+"|\S+)/i.exec(c)))
    out.push({ kind: 'scheduled-task', name: unquote(m[1] as string) });
  if ((m = /\bsc(?:\.exe)?\s+create\s+("[^"]+"|\S+)/i.exec(c)))
    out.push({ kind: 'service', name: unquote(m[1] as string) });
  if (
    /lsass|comsvcs(?:\.dll)?.{0,40}minidump|procdump|sekurlsa|mimikatz|ntds\.dit|reg(?:\.exe)?\s+save\s+hklm\\(?:sam|security|system)/i.test(
      c,
    )
  )
    out.push({ kind: 'credentials', what: 'credential dumping command' });
  if (/\b(?:7z|7za|rar|winrar|makecab)(?:\.exe)?\s|Compress-Archive/i.test(c))
    out.push({ kind: 'archive', what: 'archive created by command' });
  if (
    /^(?:get-recipient|get-globaladdresslist|get-addressbookpolicy|get-user|get-mailbox)$/.test(cmdlet ?? '')
  )
    out.push({ kind: 'address-book', what: `${cmdletOf(c) ?? ''} (directory listing)` });
  return out;
}

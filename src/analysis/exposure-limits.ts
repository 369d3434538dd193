// What the evidence cannot show about exposure, said plainly, so the list of exposed items is read as a floor.

import { sourceKind } from '../core/fields.js';
import type { ExposedItem, ScanReport } from '../core/report.js';
import type { AttackEvent } from './events.js';
import { OUTCOME_RANK } from './events.js';

const DAY = 86_400_000;

export function cannotShow(
  report: ScanReport,
  events: readonly AttackEvent[],
  items: readonly ExposedItem[],
): string[] {
  const out: string[] = [];
  const exploited = events.some((e) => OUTCOME_RANK[e.outcome] >= OUTCOME_RANK.success);
  const posts = events.some(
    (e) => e.facts.method === 'POST' && (e.stage === 'webshell-use' || e.facts.backendPath !== undefined),
  );
  if (posts)
    out.push(
      'The body of a POST request is not logged: what was sent to the webshells and through the SSRF (commands, uploaded files, which mailbox items were asked for) cannot be read from the IIS or HttpProxy logs. Process creation events (Security 4688, Sysmon 1), EDR telemetry and the MSExchange Management log from the same minutes can show the commands.',
    );
  if (exploited)
    out.push(
      'Responses are not logged: the logs show that a request was answered and how large the answer was (when sc-bytes is logged), not what data it returned.',
    );
  if (items.some((i) => i.kind === 'mailbox'))
    out.push(
      'Which mailboxes were opened as the server itself (EWS, OWA, MAPI) is decided in the request body: treat every mailbox on this server as possibly read.',
    );
  if (items.some((i) => i.kind === 'credentials'))
    out.push(
      'Which accounts a memory dump held depends on who had logged on since the server last started: the Security log (event 4624) of this server lists them.',
    );
  if (items.some((i) => i.kind === 'archive'))
    out.push(
      "An archive's content and whether it left the server are not in these logs: examine a copy of the archive in a safe place, and look for its name and the attacker addresses in proxy and firewall logs.",
    );
  const families = report.coverage.map((c) => c.family.toLowerCase());
  if (exploited && !report.artifacts.some((a) => sourceKind(a.source) === 'event-log'))
    out.push(
      'No Windows event log was read: mailbox export requests, role assignments, new accounts, services and scheduled tasks would not show here. Collect the MSExchange Management, Security, System and PowerShell logs and scan again.',
    );
  if (exploited && !families.some((f) => f.startsWith('cmdletinfra')))
    out.push(
      'No remote PowerShell logs (Rps_Http, Rps_Cmdlet) were read: cmdlets run through remote PowerShell would not show.',
    );
  const first = events
    .map((e) => e.time)
    .filter((t): t is string => !!t)
    .sort()[0];
  const webStart = report.coverage
    .filter((c) => /^(IIS|HttpProxy)/.test(c.family) && c.firstTime)
    .map((c) => c.firstTime as string)
    .sort()[0];
  if (exploited && first && webStart && Date.parse(first) - Date.parse(webStart) < DAY)
    out.push(
      `The web logs start at ${webStart}, less than a day before the first attacker activity found (${first}): earlier activity may be missing (Exchange deletes its logs after 30 days by default).`,
    );
  if (exploited)
    out.push(
      'Activity that left no log line (files read by a webshell, pages viewed in the admin center) cannot be listed: the items above are a floor, not a ceiling.',
    );
  return out;
}

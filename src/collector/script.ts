// Writes Collect-Exhunt.ps1: the template with the plan (data/collect.json) and the options filled in as
// PowerShell literals. The script's logic stays in the template; what it collects is all data.

import type { CollectPlan } from './plan.js';
import { TEMPLATE } from './template.js';

interface CollectorOptions {
  /** exhunt's version, written into every manifest. */
  version: string;
  /** Files of entries marked `since` last written before this are skipped (ISO-8601 date or time). */
  since?: string;
  maxGB?: number;
  uploadUrl?: string;
  token?: string;
}

/** A PowerShell single-quoted string: nothing inside is expanded; a quote is doubled. */
export function psString(s: string): string {
  return `'${s.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
}

/** The plan as the script reads it: only what the script uses, one file entry per line for readable diffs. */
function planJson(plan: CollectPlan): string {
  const files = plan.files.map((f) =>
    JSON.stringify({
      id: f.id,
      root: f.root,
      folder: f.folder,
      recurse: f.recurse,
      names: f.names,
      since: f.since,
      ...(f.maxBytes !== undefined ? { maxBytes: f.maxBytes } : {}),
      overMax: f.overMax,
    }),
  );
  const logs = plan.eventLogs.map((l) => JSON.stringify({ channel: l.channel }));
  return `{\n"files": [\n${files.join(',\n')}\n],\n"eventLogs": [\n${logs.join(',\n')}\n]\n}`;
}

export function collectorScript(plan: CollectPlan, o: CollectorOptions): string {
  const json = planJson(plan);
  // The here-string ends at a line starting with '@: the plan's validation keeps quotes out of it.
  if (/^'@/m.test(json)) throw new Error("the plan holds a line starting with '@");
  const fill: Record<string, string> = {
    __VERSION__: o.version.replace(/[^0-9A-Za-z.+-]/g, ''),
    __SINCE__: psString(o.since ?? ''),
    __MAX_GB__: String(o.maxGB ?? plan.limits.maxTotalGB),
    __THROTTLE__: String(plan.limits.throttle),
    __UPLOAD_URL__: psString(o.uploadUrl ?? ''),
    __TOKEN__: psString(o.token ?? ''),
    __PLAN_JSON__: json,
  };
  // One pass over the template, so a value can never be read as another placeholder.
  const text = TEMPLATE.replace(/__[A-Z_]+__/g, (k) => {
    const v = fill[k];
    if (v === undefined) throw new Error(`template placeholder ${k} has no value`);
    return v;
  });
  // Windows PowerShell 5.1 reads a file without a byte-order mark as the system code page: CRLF and ASCII only.
  return text.replace(/\r?\n/g, '\r\n');
}

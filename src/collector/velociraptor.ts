// Writes velociraptor/Exchange.Exhunt.Collect.yaml from the collection plan (data/collect.json), so that a
// Velociraptor fleet collects exactly what Collect-Exhunt.ps1 collects and exhunt's scan reads. The globs and
// channels are data (the artifact's CSV parameters); the VQL only joins them to the roots and uploads.

import { stringify } from 'yaml';
import { EVTX_FOLDER, evtxFileName } from '../core/event-log-files.js';
import type { CollectPlan, PlanEntry } from './plan.js';

export interface GlobRow {
  Entry: string;
  Root: PlanEntry['root'];
  /** Relative to the root, `/`-separated (Velociraptor's glob takes both separators). */
  Glob: string;
  /** `Y`: skipped when last written more than SinceDays ago. */
  Since: 'Y' | 'N';
  /** 0: no limit. */
  MaxBytes: number;
  OverMax: PlanEntry['overMax'];
}

/**
 * One row per glob: the entry's folder with its name patterns as alternatives, and, for a recursive entry,
 * the same below it (`**`); the query drops the file two rows both find.
 */
export function globRows(plan: CollectPlan): GlobRow[] {
  return plan.files.flatMap((e) => {
    const names = e.names.length === 1 ? e.names[0]! : `{${e.names.join(',')}}`;
    const base = e.folder === '' ? '' : `${e.folder}/`;
    const globs = e.recurse ? [`${base}${names}`, `${base}**/${names}`] : [`${base}${names}`];
    return globs.map((Glob): GlobRow => ({
      Entry: e.id,
      Root: e.root,
      Glob,
      Since: e.since ? 'Y' : 'N',
      MaxBytes: e.maxBytes ?? 0,
      OverMax: e.overMax,
    }));
  });
}

/** A CSV cell: quoted when it holds a comma, a quote or a brace (the alternatives' commas). */
function cell(v: string | number): string {
  const s = String(v);
  return /[",{}\s]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(header: string[], rows: (string | number)[][]): string {
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}

// The query. Roots: the system drive, the Exchange install path (the parameter, else the variable Exchange's
// setup sets), and every physicalPath in applicationHost.config (IIS sites and virtual directories), as
// Collect-Exhunt.ps1 finds them. `auto` falls back to raw NTFS for files held open (the live logs).
// A regular expression for separators at the end of a path. Its backslash is written four times: whether or
// not VQL's string reads `\\` as one backslash, the character class still holds a backslash and a slash.
const TRAILING = String.raw`'[/\\\\]+$'`;

const QUERY = `LET SystemRoot <= regex_replace(source=environ(var='SystemDrive'), re=${TRAILING}, replace='')
LET InstallRoot <= regex_replace(
    source=if(condition=ExchangeInstallPath, then=ExchangeInstallPath, else=environ(var='ExchangeInstallPath')),
    re=${TRAILING}, replace='')
LET SinceTime <= if(condition=SinceDays > 0, then=now() - SinceDays * 86400, else=0)

LET SiteRoots = SELECT regex_replace(source=expand(path=Path), re=${TRAILING}, replace='') AS Base
  FROM parse_records_with_regex(
    file=SystemRoot + '/Windows/System32/inetsrv/config/applicationHost.config',
    accessor='auto', regex='physicalPath="(?P<Path>[^"]+)"')

LET Bases = SELECT * FROM chain(
  system={ SELECT 'system' AS Kind, SystemRoot AS Base FROM scope() },
  install={ SELECT 'install' AS Kind, InstallRoot AS Base FROM scope() WHERE InstallRoot },
  site={ SELECT 'site' AS Kind, Base FROM SiteRoots GROUP BY lowcase(string=Base) })

LET Targets = SELECT * FROM foreach(row=Files, query={
  SELECT Entry, Base + '/' + Glob AS Pattern, Since, int(int=MaxBytes) AS Limit, OverMax
  FROM Bases WHERE Kind = Root })

LET Found = SELECT * FROM foreach(row=Targets, query={
  SELECT Entry, OSPath, Size, Mtime, (Limit = 0 OR Size <= Limit) AS Fits, OverMax
  FROM glob(globs=Pattern, accessor='auto')
  WHERE NOT IsDir AND (Since != 'Y' OR Mtime.Unix >= SinceTime) })
  GROUP BY OSPath

LET FileRows = SELECT Entry, OSPath, Size, Mtime,
    if(condition=Fits, then=upload(file=OSPath, accessor='auto')) AS Upload,
    if(condition=NOT Fits AND OverMax = 'list', then=hash(path=OSPath, accessor='auto')) AS Hash,
    if(condition=Fits, then='', else='larger than the entry allows: ' + OverMax) AS Skipped
  FROM Found

LET EventLogRows = SELECT * FROM foreach(row=EventLogs, query={
  SELECT 'eventlog:' + Channel AS Entry, OSPath, Size, Mtime,
      upload(file=OSPath, accessor='auto') AS Upload, NULL AS Hash, '' AS Skipped
  FROM glob(globs=SystemRoot + '/${EVTX_FOLDER}/' + File, accessor='auto') })

SELECT * FROM chain(files=FileRows, eventlogs=EventLogRows)
`;

export function velociraptorArtifact(plan: CollectPlan): string {
  const rows = globRows(plan);
  const doc = {
    name: 'Exchange.Exhunt.Collect',
    author: 'exhunt project',
    description: [
      'Collects what exhunt reads from a Microsoft Exchange server, for `exhunt scan` or the exhunt fleet',
      'server: the same list as Collect-Exhunt.ps1 (data/collect.json), IIS and Exchange logs, the scripts and',
      'configuration files of every web-served folder, applicationHost.config, ExSetup.exe (its version is',
      'the build), staged dumps and archives, and the event logs.',
      '',
      'Run it as an offline collector (zip) or a hunt across the fleet. The collection zip is exhunt evidence',
      'as it is (`exhunt scan Collection-EXCH01-....zip`, or upload it to the fleet server): exhunt reads the',
      "`uploads/` tree and checks `uploads.json` and this artifact's result rows (each upload's SHA-256 and",
      'MD5) as chain of custody. Files larger than their entry allows are listed (with a hash when the entry',
      'says `list`), not uploaded.',
      '',
      'Generated by `exhunt collector --velociraptor` from data/collect.json; edit that file, not this one',
      '(a test fails when the two disagree).',
    ].join('\n'),
    type: 'CLIENT',
    parameters: [
      {
        name: 'ExchangeInstallPath',
        description: "Exchange's install folder; the ExchangeInstallPath environment variable when empty.",
        default: '',
      },
      {
        name: 'SinceDays',
        description: 'Logs last written more than this many days ago are left out (0 keeps all).',
        type: 'int',
        default: 0,
      },
      {
        name: 'Files',
        description:
          'What to collect (data/collect.json): Root is system (the system drive), install (the Exchange ' +
          'install path) or site (each physicalPath in applicationHost.config); Glob is relative to it.',
        type: 'csv',
        default: csv(
          ['Entry', 'Root', 'Glob', 'Since', 'MaxBytes', 'OverMax'],
          rows.map((r) => [r.Entry, r.Root, r.Glob, r.Since, r.MaxBytes, r.OverMax]),
        ),
      },
      {
        name: 'EventLogs',
        description: 'Event log channels and their files under the system drive.',
        type: 'csv',
        default: csv(
          ['Channel', 'File'],
          plan.eventLogs.map((l) => [l.channel, evtxFileName(l.channel)]),
        ),
      },
    ],
    sources: [{ precondition: "SELECT OS FROM info() WHERE OS = 'windows'", query: QUERY }],
  };
  return stringify(doc, { lineWidth: 0, blockQuote: 'literal', singleQuote: true });
}

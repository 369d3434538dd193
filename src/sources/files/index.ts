// File sources: scripts in web-served folders (webshell candidates) and files staged by attackers.

import { FIELD_ROLES } from '../../core/fields.js';
import type { SourceDef } from '../../core/source.js';
import { baseName, hasSegment } from '../text/paths.js';
import type { RecordSink } from '../../core/record.js';
import { ModuleRecord } from '../iis-config/index.js';
import { decodeConfig, readIisConfig } from '../iis-config/modules.js';
import { createFileParser } from './parser.js';
import { FileRecord, MAX_WEB_CONTENT } from './record.js';

/** Extensions IIS executes or that attackers used for webshells on Exchange. */
export const SCRIPT_EXTENSIONS = [
  '.aspx',
  '.asp',
  '.ashx',
  '.asmx',
  '.ascx',
  '.asax',
  '.cshtml',
  '.vbhtml',
  '.svc',
  '.master',
  '.soap',
  '.cer',
  '.cdx',
  '.asa',
  '.php',
  '.jsp',
  // Compiled on first request when placed in App_Code, or read by IIS and ASP.NET (handlers, modules).
  '.cs',
  '.vb',
  '.config',
];

/** Folders that IIS serves on an Exchange server (front-end and back-end virtual directories, wwwroot). */
const WEB_FOLDERS = ['frontend/httpproxy/', 'clientaccess/', 'inetpub/wwwroot/', 'aspnet_client/'];

function isWebServed(pathLower: string): boolean {
  return WEB_FOLDERS.some((f) => hasSegment(pathLower, f));
}

function extension(pathLower: string): string {
  const name = baseName(pathLower);
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot);
}

/** Does the path (lower-case) name a script IIS could run, wherever it is? */
export function isScriptPath(pathLower: string): boolean {
  return SCRIPT_EXTENSIONS.includes(extension(pathLower));
}

export const webFileSource: SourceDef = {
  id: 'web-file',
  roles: FIELD_ROLES['web-file'],
  title: 'Script file in a web-served folder',
  priority: 5,
  matchPath: (p) => isWebServed(p) && SCRIPT_EXTENSIONS.includes(extension(p)),
  family: () => 'WebFolders',
  createParser: (ctx, sink) =>
    createFileParser(
      'web-file',
      ctx.path,
      /(^|\/)web\.config$/i.test(ctx.path) ? withModules(sink) : sink,
      ctx.modified,
      MAX_WEB_CONTENT,
      'limit.web-file-content',
    ),
};

/**
 * A web.config is a script file (webshell code hides in it) and also adds modules to its application: after
 * the file's record, one record per module, read by the same reader as applicationHost.config. Damage in a
 * web.config is not reported here: IIS refuses such an application, and its webshell content is still read.
 */
function withModules(sink: RecordSink): RecordSink {
  return {
    problem: (p) => sink.problem(p),
    ...(sink.tally ? { tally: sink.tally.bind(sink) } : {}),
    ...(sink.version ? { version: sink.version.bind(sink) } : {}),
    record(r) {
      sink.record(r);
      if (!(r instanceof FileRecord)) return;
      for (const m of readIisConfig(decodeConfig(r.head)).modules) sink.record(new ModuleRecord(m, r.time));
    },
  };
}

/** Places Test-ProxyLogon and the incident reports name for dumps and archives staged for exfiltration. */
const STAGING_FOLDERS = ['programdata/', 'windows/temp/', 'root/', 'users/public/', 'perflogs/'];
const STAGED_EXTENSIONS = ['.dmp', '.zip', '.7z', '.rar', '.cab', '.tar', '.gz', '.pst'];

function isStagingPath(pathLower: string): boolean {
  return STAGING_FOLDERS.some((f) => pathLower.startsWith(f) || pathLower.includes(`/${f}`));
}

export const stagedFileSource: SourceDef = {
  id: 'staged-file',
  roles: FIELD_ROLES['staged-file'],
  title: 'Dump or archive in a staging folder',
  priority: 4,
  matchPath: (p) => isStagingPath(p) && STAGED_EXTENSIONS.includes(extension(p)),
  family: () => 'StagedFiles',
  createParser: (ctx, sink) => createFileParser('staged-file', ctx.path, sink, ctx.modified),
};

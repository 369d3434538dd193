// The exact things remediation acts on, read from findings: files, virtual directories, exports, persistence.

import type { Finding } from '../core/finding.js';
import type { RemediationTarget, ScanReport } from '../core/report.js';
import { cmdletOf, commandEffects, paramOf } from './commands.js';
import { requestFacts } from './request-info.js';
import { isRemotePath, normaliseWindowsPath, serverPathOf } from './server-paths.js';
import { STAGED_RULE_IDS } from '../core/rule-ids.js';

/** Webshells, files the OAB generator wrote outside its folder, staged dumps and archives, export files. */
export function fileTargets(report: ScanReport): RemediationTarget[] {
  const out = new Map<string, RemediationTarget>();
  const put = (t: RemediationTarget) => {
    const key = (t.serverPath ?? t.evidencePath ?? t.value).toLowerCase();
    const had = out.get(key);
    if (had) had.findings = [...new Set([...(had.findings ?? []), ...(t.findings ?? [])])];
    else out.set(key, t);
  };
  const sha = new Map(report.artifacts.map((a) => [a.path, a.sha256]));
  for (const w of report.webshells) {
    const sp = serverPathOf(w.path);
    const ids = report.findings.filter((f) => f.file?.path === w.path).map((f) => f.id);
    put({
      kind: 'file',
      value: w.path,
      evidencePath: w.path,
      ...(sp ? { serverPath: sp } : {}),
      ...(w.sha256 ? { sha256: w.sha256 } : {}),
      detail: `webshell: ${w.reasons.join('; ')}`,
      findings: ids,
    });
  }
  for (const f of report.findings) {
    if (STAGED_RULE_IDS.has(f.rule.id) && f.outcome === 'compromise') {
      const path = f.file?.path ?? f.evidence[0]?.path ?? '';
      const sp = serverPathOf(path);
      const h = sha.get(path);
      put({
        kind: 'file',
        value: path,
        evidencePath: path,
        ...(sp ? { serverPath: sp } : {}),
        ...(h ? { sha256: h } : {}),
        detail: f.rule.title,
        findings: [f.id],
      });
    }
    // The OAB generator's download path: on the server, not in the evidence (the OAB path detectors).
    const download = f.serverFile?.writtenBy === 'oab-generator' ? f.serverFile.path : undefined;
    if (download && f.outcome !== 'context') {
      const p = normaliseWindowsPath(download);
      put({
        kind: 'file',
        value: p,
        serverPath: p,
        detail: isRemotePath(p)
          ? 'written by the OAB generator to another machine: check it there'
          : 'written by the OAB generator outside ClientAccess\\OAB (CVE-2021-26858); not in the evidence, so no hash',
        findings: [f.id],
      });
    }
    for (const x of effectsOf(f))
      if (x.kind === 'export-request' && /^(?:[a-z]:\\|\\\\)/i.test(x.path)) {
        const p = normaliseWindowsPath(x.path);
        put({
          kind: 'file',
          value: p,
          serverPath: p,
          detail: `mailbox export file of ${x.mailbox}`,
          findings: [f.id],
        });
      }
  }
  return [...out.values()];
}

/** Virtual directories whose settings the attacker changed (ECP Server log commands, DDI schema names). */
export function vdirTargets(report: ScanReport): RemediationTarget[] {
  const out = new Map<string, RemediationTarget>();
  for (const f of report.findings) {
    if (f.outcome === 'context' || f.outcome === 'probe') continue;
    // The ECP Server log's whole command, or the Management log's cmdlet name.
    const cmd = f.command?.cmdlet ?? f.command?.text ?? '';
    const cmdlet = cmdletOf(cmd);
    let type = /^(?:Set|New|Remove)-(\w+)VirtualDirectory$/i.exec(cmdlet ?? '')?.[1];
    const schema = /schema=(?:Reset)?(\w+?)VirtualDirectory/i.exec(
      `${f.request?.anchorMailbox ?? ''} ${f.request?.path ?? ''}`,
    )?.[1];
    type ??= schema;
    if (!type || !isKnownVdirType(type)) continue;
    const identity = paramOf(cmd, 'Identity');
    const key = `${type.toLowerCase()}\0${identity ?? ''}`;
    const t = out.get(key) ?? {
      kind: 'virtual-directory' as const,
      value: vdirName(type),
      ...(identity ? { detail: `identity ${identity}` } : {}),
      findings: [],
    };
    t.findings = [...new Set([...(t.findings ?? []), f.id])];
    out.set(key, t);
  }
  // A target with an identity makes the bare one of the same type redundant.
  const typed = new Set([...out.values()].filter((t) => t.detail).map((t) => t.value));
  return [...out.values()].filter((t) => t.detail || !typed.has(t.value));
}

const VDIR_NAMES: Record<string, string> = {
  oab: 'Oab',
  owa: 'Owa',
  ecp: 'Ecp',
  webservices: 'WebServices',
  activesync: 'ActiveSync',
  autodiscover: 'Autodiscover',
  mapi: 'Mapi',
  powershell: 'PowerShell',
};

/** Only the virtual-directory types Exchange has, so a name from a log can never become an arbitrary cmdlet. */
function vdirName(type: string): string {
  return VDIR_NAMES[type.toLowerCase()] ?? type;
}

function isKnownVdirType(type: string): boolean {
  return type.toLowerCase() in VDIR_NAMES;
}

/** Export requests, role assignments and permissions the attacker created. */
export function exchangeTargets(report: ScanReport): RemediationTarget[] {
  const out = new Map<string, RemediationTarget>();
  for (const f of report.findings) {
    for (const x of effectsOf(f)) {
      let t: RemediationTarget | undefined;
      if (x.kind === 'export-request')
        t = { kind: 'export-request', value: x.mailbox, detail: `to ${x.path}` };
      else if (x.kind === 'role-assignment') t = { kind: 'role-assignment', value: x.user, detail: x.role };
      else if (x.kind === 'permission')
        t = { kind: 'permission', value: x.mailbox, detail: `granted to ${x.user}` };
      if (t) merge(out, t, f);
    }
  }
  return [...out.values()];
}

/** Accounts, services and scheduled tasks: from commands, and from what persistence findings name. */
export function persistenceTargets(report: ScanReport): RemediationTarget[] {
  const out = new Map<string, RemediationTarget>();
  for (const f of report.findings) {
    for (const x of effectsOf(f)) {
      if (x.kind === 'account' || x.kind === 'service' || x.kind === 'scheduled-task')
        merge(out, { kind: x.kind, value: x.name }, f);
    }
    if (f.stage !== 'persistence' || f.outcome === 'context') continue;
    const service = f.event?.service;
    const task = f.event?.taskName;
    // A web request's user for a persistence finding from a web log (a Sigma rule's, say).
    const account = f.event?.targetUser ?? f.request?.user;
    if (service) merge(out, { kind: 'service', value: service }, f);
    if (task) merge(out, { kind: 'scheduled-task', value: task }, f);
    if (account) merge(out, { kind: 'account', value: account }, f);
  }
  return [...out.values()];
}

function merge(out: Map<string, RemediationTarget>, t: RemediationTarget, f: Finding): void {
  const key = `${t.kind}\0${t.value.toLowerCase()}\0${t.detail ?? ''}`;
  const had = out.get(key);
  if (had) had.findings = [...new Set([...(had.findings ?? []), f.id])];
  else out.set(key, { ...t, findings: [f.id] });
}

function effectsOf(f: Finding): ReturnType<typeof commandEffects> {
  if (f.outcome === 'context' || f.outcome === 'probe') return [];
  const cmd = requestFacts(f).command;
  return cmd ? commandEffects(cmd) : [];
}

// The URL Rewrite rules of Microsoft's mitigation tools in web.config: EOMT (CVE-2021-26855) and EOMTv2/EEMS (CVE-2022-41040).

import type { Problem } from '../../core/problem.js';
import { parseXml, walk, type XmlElement } from './xml.js';

/** A rule shape Microsoft published; several variants when the tool changed the rule over time. */
interface KnownVariant {
  id: string;
  input: string;
  pattern: string;
  /** False for patterns a later version of the tool replaced. */
  current: boolean;
}

interface KnownRule {
  cve: string;
  tool: string;
  name: string;
  variants: KnownVariant[];
}

/** From EOMT.ps1 and the EOMTv2.ps1 git history (exchange-forensics.md §1.2, §1.3). */
const KNOWN: KnownRule[] = [
  {
    cve: 'CVE-2021-26855',
    tool: 'EOMT',
    name: 'X-AnonResource-Backend Abort - inbound',
    variants: [
      { id: 'eomt', input: '{HTTP_COOKIE}', pattern: '(.*)X-AnonResource-Backend(.*)', current: true },
    ],
  },
  {
    cve: 'CVE-2021-26855',
    tool: 'EOMT',
    name: 'X-BEResource Abort - inbound',
    variants: [
      { id: 'eomt', input: '{HTTP_COOKIE}', pattern: '(.*)X-BEResource=(.+)/(.+)~(.+)', current: true },
    ],
  },
  {
    cve: 'CVE-2022-41040',
    tool: 'EOMTv2/EEMS',
    name: 'PowerShell - inbound',
    variants: [
      {
        id: '2022-09-30',
        input: '{REQUEST_URI}',
        pattern: '.*autodiscover\\.json.*\\@.*Powershell.*',
        current: false,
      },
      {
        id: '2022-10-03',
        input: '{REQUEST_URI}',
        pattern: '.*autodiscover\\.json.*Powershell.*',
        current: false,
      },
      {
        id: '2022-10-05',
        input: '{UrlDecode: {REQUEST_URI}}',
        pattern: '.*autodiscover\\.json.*Powershell.*',
        current: false,
      },
      {
        id: '2022-10-06',
        input: '{UrlDecode:{REQUEST_URI}}',
        pattern: '.*autodiscover\\.json.*Powershell.*',
        current: false,
      },
      {
        id: '2022-10-07',
        input: '{UrlDecode:{REQUEST_URI}}',
        pattern: '(?=.*autodiscover)(?=.*powershell)',
        current: true,
      },
    ],
  },
];

export interface MitigationRule {
  cve: string;
  tool: string;
  /** The rule's name in the file (manual copies of the rule may use another name). */
  name: string;
  /** The name of the published rule it corresponds to. */
  publishedAs: string;
  line: number;
  /** Which published version of the rule it is; undefined when found by name with an unknown pattern. */
  variant?: string;
  /** Blocks what Microsoft's rule blocks: enabled, blocking action, right input, `.*` match. */
  effective: boolean;
  /** A later version of the tool replaced this pattern. */
  superseded: boolean;
  problems: string[];
}

export type MitigationStateName = 'mitigated' | 'partial' | 'superseded' | 'ineffective' | 'absent';

export interface MitigationState {
  cve: string;
  tool: string;
  state: MitigationStateName;
  rules: string[];
}

export interface WebConfigMitigations {
  path: string;
  rules: MitigationRule[];
  mitigations: MitigationState[];
  /** `<clear/>` and `<remove>` in a rules collection: in a child web.config they cancel the inherited rules. */
  overrides: { kind: 'clear' | 'remove'; name?: string; line: number }[];
  problems: Problem[];
}

const norm = (s: string | undefined) => (s ?? '').trim().toLowerCase();

function identify(
  rule: XmlElement,
  conds: XmlElement[],
): { known: KnownRule; variant?: KnownVariant } | undefined {
  const patterns = conds.map((c) => norm(c.attrs.pattern));
  for (const known of KNOWN) {
    const byPattern = known.variants.filter((v) => patterns.includes(norm(v.pattern)));
    if (byPattern.length > 0) {
      const inputs = conds.map((c) => norm(c.attrs.input));
      return { known, variant: byPattern.find((v) => inputs.includes(norm(v.input))) ?? byPattern[0] };
    }
  }
  const known = KNOWN.find((k) => norm(k.name) === norm(rule.attrs.name));
  return known ? { known } : undefined;
}

function check(rule: XmlElement, known: KnownRule, variant: KnownVariant | undefined): MitigationRule {
  const problems: string[] = [];
  const child = (n: string) => rule.children.find((c) => c.name === n);
  const conds = (child('conditions')?.children ?? []).filter((c) => c.name === 'add');
  if (rule.commented) problems.push('commented out');
  if (norm(rule.attrs.enabled) === 'false') problems.push('disabled (enabled="false")');
  const syntax = norm(rule.attrs.patternsyntax);
  if (syntax === 'wildcard' || syntax === 'exactmatch')
    problems.push(`patternSyntax is ${rule.attrs.patternsyntax}`);
  const match = child('match');
  if (!match) problems.push('no <match> element');
  else {
    if ((match.attrs.url ?? '').trim() !== '.*')
      problems.push(`match url is "${match.attrs.url ?? ''}", not ".*"`);
    if (norm(match.attrs.negate) === 'true') problems.push('match is negated');
  }
  const action = child('action');
  const type = norm(action?.attrs.type);
  if (!action) problems.push('no <action> element');
  else if (type !== 'abortrequest' && type !== 'customresponse')
    problems.push(`action type "${action.attrs.type ?? ''}" does not block`);
  if (!variant) problems.push('pattern is not one Microsoft published');
  else {
    const cond = conds.find((c) => norm(c.attrs.pattern) === norm(variant.pattern));
    if (cond && norm(cond.attrs.input) !== norm(variant.input)) {
      problems.push(`input is "${cond.attrs.input ?? ''}", expected "${variant.input}"`);
    }
    if (cond && norm(cond.attrs.negate) === 'true') problems.push('condition is negated');
  }
  return {
    cve: known.cve,
    tool: known.tool,
    name: rule.attrs.name ?? '',
    publishedAs: known.name,
    line: rule.line,
    variant: variant?.id,
    effective: problems.length === 0,
    superseded: variant !== undefined && !variant.current,
    problems,
  };
}

export function mitigationsFromWebConfig(xmlText: string, path: string): WebConfigMitigations {
  const problems: Problem[] = [];
  const rules: MitigationRule[] = [];
  const overrides: WebConfigMitigations['overrides'] = [];
  if (!/<configuration[\s>]/i.test(xmlText)) {
    problems.push({
      code: 'webconfig.not-config',
      message: 'no <configuration> element',
      path,
      severity: 'warning',
    });
  }
  const tree = parseXml(xmlText);
  if (tree.stopped)
    problems.push({
      code: 'webconfig.malformed',
      message: `${tree.stopped.why} at line ${tree.stopped.line}: not read further`,
      path,
      line: tree.stopped.line,
      severity: 'warning',
    });
  /** Per rules collection, the last position of each `<remove name>` and of `<clear/>`, found once. */
  const removals = new Map<
    XmlElement,
    { clear: number; names: Map<string, number>; pos: Map<XmlElement, number> }
  >();
  const removedAfter = (parent: XmlElement, el: XmlElement, name: string): boolean => {
    let r = removals.get(parent);
    if (!r) {
      r = { clear: -1, names: new Map(), pos: new Map() };
      for (const [k, c] of parent.children.entries()) {
        r.pos.set(c, k);
        if (c.commented) continue;
        if (c.name === 'clear') r.clear = k;
        if (c.name === 'remove') r.names.set(norm(c.attrs.name), k);
      }
      removals.set(parent, r);
    }
    const at = r.pos.get(el) ?? -1;
    return r.clear > at || (r.names.get(norm(name)) ?? -1) > at;
  };
  for (const [el, ancestors] of walk(tree)) {
    const parent = ancestors[ancestors.length - 1];
    const grand = ancestors[ancestors.length - 2];
    if (parent?.name !== 'rules' || grand?.name !== 'rewrite') continue;
    if (el.name === 'clear' && !el.commented) overrides.push({ kind: 'clear', line: el.line });
    if (el.name === 'remove' && !el.commented)
      overrides.push({ kind: 'remove', name: el.attrs.name, line: el.line });
    if (el.name !== 'rule') continue;
    const conds = (el.children.find((c) => c.name === 'conditions')?.children ?? []).filter(
      (c) => c.name === 'add',
    );
    const id = identify(el, conds);
    if (!id) continue;
    const r = check(el, id.known, id.variant);
    // A later <remove name> or <clear/> in the same collection takes the rule out again.
    if (removedAfter(parent, el, r.name)) {
      r.problems.push('removed by a later <remove>/<clear/>');
      r.effective = false;
    }
    rules.push(r);
  }
  return { path, rules, mitigations: summarise(rules), overrides, problems };
}

function summarise(rules: MitigationRule[]): MitigationState[] {
  const out: MitigationState[] = [];
  for (const cve of [...new Set(KNOWN.map((k) => k.cve))]) {
    const needed = KNOWN.filter((k) => k.cve === cve);
    const found = rules.filter((r) => r.cve === cve);
    const good = needed.filter((k) =>
      found.some((r) => r.effective && !r.superseded && r.publishedAs === k.name),
    );
    const anyGood = found.filter((r) => r.effective);
    let state: MitigationStateName;
    if (found.length === 0) state = 'absent';
    else if (good.length === needed.length) state = 'mitigated';
    else if (anyGood.some((r) => r.superseded)) state = 'superseded';
    else if (anyGood.length > 0) state = 'partial';
    else state = 'ineffective';
    out.push({ cve, tool: needed[0]?.tool ?? '', state, rules: found.map((r) => r.name) });
  }
  return out;
}

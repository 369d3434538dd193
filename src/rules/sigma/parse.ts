// Reading YAML text into rules, correlations and filters, collecting every located error.

import { OUTCOMES as OUTCOME_LIST, STAGES } from '../../core/finding.js';
import type { Outcome, Stage } from '../../core/finding.js';
import { readDetection } from './detection.js';
import { deepFreeze, isMap, readLevel, readLogsource, reader, readStatus } from './doc.js';
import type { DocReader, Meta } from './doc.js';
import type { CorrelationRule, RuleError, SigmaFilter, SigmaRule } from './model.js';
import { readCorrelation } from './parse-correlation.js';
import { readYamlDocuments } from './yamldoc.js';
import type { YamlDoc } from './yamldoc.js';

export interface ParsedRules {
  rules: SigmaRule[];
  correlations: CorrelationRule[];
  filters: SigmaFilter[];
  errors: RuleError[];
}

const OUTCOMES: readonly Outcome[] = OUTCOME_LIST;
const KNOWN = new Set([
  'title',
  'id',
  'name',
  'related',
  'status',
  'description',
  'license',
  'author',
  'references',
  'date',
  'modified',
  'logsource',
  'detection',
  'fields',
  'falsepositives',
  'level',
  'tags',
  'scope',
  'taxonomy',
  'stage',
  'outcome',
]);

/** Parse every document of one file. Never throws; problems land in `errors`. */
export function parseRuleText(text: string, path: string, source = 'exhunt'): ParsedRules {
  const out: ParsedRules = { rules: [], correlations: [], filters: [], errors: [] };
  let docs: YamlDoc[];
  try {
    docs = readYamlDocuments(text);
  } catch (e) {
    out.errors.push({
      path,
      line: 1,
      message: `unreadable YAML: ${(e as Error).message}`,
      code: 'sigma.yaml',
    });
    return out;
  }
  docs.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        out.errors.push({ path, line: e.line, column: e.column, message: e.message, code: 'sigma.yaml' });
      }
      return;
    }
    if (doc.value === null || doc.value === undefined) return; // empty document (trailing `---`)
    if (!isMap(doc.value)) {
      out.errors.push({ path, ...doc.pos, message: 'a rule document must be a map', code: 'sigma.type' });
      return;
    }
    const before = out.errors.length;
    const obj = doc.value;
    // A rule test (`exhunt rules test`) kept beside the rules it tests is not a rule: pass over it.
    if (isRuleTest(obj)) return;
    const idRaw = obj['id'];
    const ruleId = (): string | undefined => (typeof idRaw === 'string' ? idRaw : undefined);
    const r = reader(doc, path, out.errors, ruleId);
    if ('action' in obj) {
      r.report(
        ['action'],
        "rule collections ('action: global/repeat') are Sigma 1 syntax and not supported",
        'sigma.unsupported',
        true,
      );
      return;
    }
    const meta = readMeta(r, path, source, index, doc.pos.line);
    if (!meta) return;
    if ('correlation' in obj) {
      const c = readCorrelation(r, obj, meta);
      if (c && out.errors.length === before) out.correlations.push(c);
    } else if ('filter' in obj) {
      const f = readFilter(r, obj, meta);
      if (f && out.errors.length === before) out.filters.push(f);
    } else {
      const rule = readRule(r, obj, meta);
      if (rule && out.errors.length === before) out.rules.push(rule);
    }
  });
  return out;
}

/** A `rules test` document: names a rule and lists test cases, and is no Sigma document itself. */
export function isRuleTest(obj: Record<string, unknown>): boolean {
  return 'rule' in obj && 'tests' in obj && !('detection' in obj || 'correlation' in obj || 'filter' in obj);
}

function readMeta(r: DocReader, path: string, source: string, index: number, line: number): Meta | undefined {
  const title = r.str('title', true);
  const id = r.str('id');
  const name = r.str('name');
  if (title === undefined) return undefined;
  const base = path.replace(/^.*\//, '');
  return {
    // Rules without an id still need a stable one for finding ids; file name and document index are.
    id: id ?? name ?? `${base}#${index}`,
    ...(name !== undefined ? { name } : {}),
    title,
    author: r.str('author') ?? '',
    ...optional('description', r.str('description')),
    references: r.strList('references'),
    tags: r.strList('tags'),
    ...optional('date', r.str('date')),
    ...optional('modified', r.str('modified')),
    source,
    path,
    line,
  };
}

function optional<K extends string>(k: K, v: string | undefined): { [P in K]?: string } {
  return (v === undefined ? {} : { [k]: v }) as { [P in K]?: string };
}

const CVE_TAG = /^cve\.(\d{4})[-.](\d{4,})$/i;

function readRule(r: DocReader, obj: Record<string, unknown>, meta: Meta): SigmaRule | undefined {
  const level = readLevel(r);
  const status = readStatus(r);
  const logsource = readLogsource(r, obj);
  const detection =
    obj['detection'] === undefined
      ? (r.report([], "missing 'detection'", 'sigma.missing'), undefined)
      : readDetection(obj['detection'], ['detection'], r.report, r.doc.locate);
  const stage = r.str('stage');
  if (stage !== undefined && !(STAGES as readonly string[]).includes(stage)) {
    r.report(['stage'], `stage must be one of ${STAGES.join(', ')}`, 'sigma.stage');
  }
  const outcome = r.str('outcome');
  if (outcome !== undefined && !OUTCOMES.includes(outcome as Outcome)) {
    r.report(['outcome'], `outcome must be one of ${OUTCOMES.join(', ')}`, 'sigma.outcome');
  }
  if (!logsource || !detection) return undefined;
  const cves = meta.tags.flatMap((t) => {
    const m = CVE_TAG.exec(t);
    return m ? [`CVE-${m[1]}-${m[2]}`] : [];
  });
  const custom: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!KNOWN.has(k)) custom[k] = v;
  return deepFreeze({
    kind: 'rule',
    ...meta,
    ...(level !== undefined ? { level } : {}),
    ...(status !== undefined ? { status } : {}),
    logsource,
    detection,
    falsepositives: r.strList('falsepositives'),
    fields: r.strList('fields'),
    ...(stage !== undefined ? { stage: stage as Stage } : {}),
    ...(outcome !== undefined ? { outcome: outcome as Outcome } : {}),
    cves: [...new Set(cves)],
    custom,
  });
}

function readFilter(r: DocReader, obj: Record<string, unknown>, meta: Meta): SigmaFilter | undefined {
  const logsource = readLogsource(r, obj);
  const f = obj['filter'];
  if (!isMap(f)) {
    r.report(['filter'], "'filter' must be a map with rules, selections and a condition", 'sigma.filter');
    return undefined;
  }
  const rulesRaw = f['rules'];
  const rules =
    typeof rulesRaw === 'string' ? [rulesRaw] : Array.isArray(rulesRaw) ? rulesRaw.map(String) : undefined;
  if (!rules || rules.length === 0) {
    r.report(['filter'], "'filter.rules' must name at least one rule", 'sigma.filter');
    return undefined;
  }
  const detection = readDetection(f, ['filter'], r.report, r.doc.locate, ['rules']);
  if (!logsource || !detection) return undefined;
  return deepFreeze({ kind: 'filter', ...meta, logsource, rules, detection });
}

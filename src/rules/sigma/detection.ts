// Reading a `detection` (or filter) section into identifiers and parsed conditions, with located errors.

import { ConditionError, conditionIdentifiers, parseCondition, resolveOf } from './condition.js';
import type { ConditionNode, Detection, DetectionNode, RawValue } from './model.js';
import { isKnownModifier } from './modifiers/index.js';
import type { Pos } from './yamldoc.js';

export type Report = (
  path: readonly (string | number)[],
  message: string,
  code: string,
  key?: boolean,
) => void;
type Locate = (path: readonly (string | number)[], key?: boolean) => Pos;

function isScalar(v: unknown): v is RawValue {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Read a detection-like map. `base` is the YAML path of the map (for locations); keys in `skip` are not
 * search identifiers. Returns undefined when anything was wrong (all problems reported).
 */
export function readDetection(
  raw: unknown,
  base: readonly (string | number)[],
  report: Report,
  locate: Locate,
  skip: readonly string[] = [],
): Detection | undefined {
  if (!isMap(raw)) {
    report(base, 'must be a map of search identifiers and a condition', 'sigma.detection');
    return undefined;
  }
  let ok = true;
  const identifiers: Record<string, DetectionNode> = Object.create(null) as Record<string, DetectionNode>;
  for (const [name, v] of Object.entries(raw)) {
    if (name === 'condition' || name === 'timeframe' || skip.includes(name)) continue;
    const node = readIdentifier(v, [...base, name], report, locate);
    if (node) identifiers[name] = node;
    else ok = false;
  }
  const condRaw = raw['condition'];
  const condTexts: string[] = [];
  if (typeof condRaw === 'string') condTexts.push(condRaw);
  else if (Array.isArray(condRaw) && condRaw.length > 0 && condRaw.every((c) => typeof c === 'string')) {
    condTexts.push(...condRaw);
  } else {
    report(
      condRaw === undefined ? base : [...base, 'condition'],
      condRaw === undefined ? 'missing condition' : 'condition must be a string or a list of strings',
      'sigma.condition',
    );
    return undefined;
  }
  const names = Object.keys(identifiers);
  const conditions: ConditionNode[] = [];
  condTexts.forEach((text, idx) => {
    const at = typeof condRaw === 'string' ? [...base, 'condition'] : [...base, 'condition', idx];
    try {
      const c = parseCondition(text);
      for (const id of conditionIdentifiers(c)) {
        if (!(id in identifiers) && !(id in raw)) {
          report(at, `condition refers to undefined search identifier '${id}'`, 'sigma.condition');
          ok = false;
        }
      }
      checkOf(c, names, (msg) => {
        report(at, msg, 'sigma.condition');
        ok = false;
      });
      conditions.push(c);
    } catch (e) {
      if (!(e instanceof ConditionError)) throw e;
      report(at, `${e.message} (in '${text}' at character ${e.offset + 1})`, e.code);
      ok = false;
    }
  });
  if (!ok) return undefined;
  return { identifiers, conditions, conditionText: condTexts };
}

function checkOf(c: ConditionNode, names: string[], fail: (msg: string) => void): void {
  switch (c.t) {
    case 'of':
      if (resolveOf(c.pattern, names).length === 0) fail(`'${c.pattern}' matches no search identifier`);
      return;
    case 'not':
      return checkOf(c.item, names, fail);
    case 'and':
    case 'or':
      for (const i of c.items) checkOf(i, names, fail);
      return;
    case 'id':
      return;
  }
}

function readIdentifier(
  v: unknown,
  path: readonly (string | number)[],
  report: Report,
  locate: Locate,
): DetectionNode | undefined {
  if (isMap(v)) return readMap(v, path, report, locate);
  if (Array.isArray(v)) {
    if (v.length === 0) {
      report(path, 'empty list', 'sigma.detection');
      return undefined;
    }
    const keywords: RawValue[] = [];
    const items: DetectionNode[] = [];
    let ok = true;
    v.forEach((el, i) => {
      if (isScalar(el) && el !== null) keywords.push(el);
      else if (isMap(el)) {
        const n = readMap(el, [...path, i], report, locate);
        if (n) items.push(n);
        else ok = false;
      } else {
        report([...path, i], 'a list may hold keywords or maps only', 'sigma.detection');
        ok = false;
      }
    });
    if (!ok) return undefined;
    if (keywords.length > 0) {
      const p = locate(path);
      items.unshift({
        t: 'field',
        field: undefined,
        modifiers: [],
        values: keywords,
        line: p.line,
        column: p.column,
      });
    }
    return items.length === 1 ? items[0] : { t: 'or', items };
  }
  if (typeof v === 'string' || typeof v === 'number') {
    const p = locate(path);
    return { t: 'field', field: undefined, modifiers: [], values: [v], line: p.line, column: p.column };
  }
  report(path, 'a search identifier must be a map, a list or a keyword', 'sigma.detection');
  return undefined;
}

function readMap(
  m: Record<string, unknown>,
  path: readonly (string | number)[],
  report: Report,
  locate: Locate,
): DetectionNode | undefined {
  const entries = Object.entries(m);
  if (entries.length === 0) {
    report(path, 'empty map', 'sigma.detection');
    return undefined;
  }
  const items: DetectionNode[] = [];
  let ok = true;
  for (const [key, val] of entries) {
    const kp = [...path, key];
    const [field, ...mods] = key.split('|');
    const unknown = mods.filter((mod) => !isKnownModifier(mod));
    if (unknown.length > 0) {
      report(
        kp,
        `unknown modifier${unknown.length > 1 ? 's' : ''} '${unknown.join("', '")}'`,
        'sigma.unknown-modifier',
        true,
      );
      ok = false;
      continue;
    }
    let values: RawValue[];
    if (isScalar(val)) values = [val];
    else if (Array.isArray(val) && val.length > 0 && val.every(isScalar)) values = val;
    else {
      report(
        kp,
        Array.isArray(val) && val.length === 0
          ? 'empty value list'
          : 'values must be scalars or a list of scalars',
        'sigma.detection',
        true,
      );
      ok = false;
      continue;
    }
    const p = locate(kp, true);
    items.push({
      t: 'field',
      field: field === '' ? undefined : field,
      modifiers: mods,
      values,
      line: p.line,
      column: p.column,
    });
  }
  if (!ok) return undefined;
  return items.length === 1 ? items[0] : { t: 'and', items };
}

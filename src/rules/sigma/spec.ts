// Turning one detection field (name, modifier chain, values) into a ValueSpec by running its modifiers.

import type { DetectionNode, RawValue } from './model.js';
import { MODIFIERS } from './modifiers/index.js';
import { STAR, asStr, normalizeParts, parseSigmaString } from './values.js';
import type { ModifierContext, SigmaValue, ValueSpec } from './values.js';

export type FieldNode = Extract<DetectionNode, { t: 'field' }>;

/** A rule that cannot be compiled; carries the location of the offending field. */
export class SpecError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
    readonly code = 'sigma.modifier',
  ) {
    super(message);
  }
}

const POSITIONAL = new Set(['contains', 'startswith', 'endswith']);

function toSigmaValue(v: RawValue): SigmaValue {
  if (v === null) return { k: 'null' };
  if (typeof v === 'boolean') return { k: 'bool', b: v };
  if (typeof v === 'number') return { k: 'num', n: v, raw: String(v) };
  return parseSigmaString(v);
}

export function buildSpec(node: FieldNode, ctx: ModifierContext): ValueSpec {
  const fail = (msg: string, code?: string): never => {
    throw new SpecError(`${node.field ?? 'keywords'}: ${msg}`, node.line, node.column, code);
  };
  const spec: ValueSpec = {
    values: node.values.map(toSigmaValue),
    all: false,
    cased: false,
    negate: false,
    op: 'eq',
    reFlags: '',
    refMode: 'eq',
    applied: [],
  };
  for (const name of node.modifiers) {
    const m = MODIFIERS.get(name);
    if (!m) return fail(`unknown modifier '${name}'`, 'sigma.unknown-modifier');
    const err = m(spec, ctx);
    if (err) return fail(err, name === 'expand' ? 'sigma.placeholder' : 'sigma.modifier');
    spec.applied.push(name);
  }
  if (node.field === undefined) {
    if (spec.op !== 'eq' && spec.op !== 're') fail(`'${spec.op}' needs a field`);
    if (spec.timePart) fail(`'${spec.timePart}' needs a field`);
    if (spec.values.some((v) => v.k === 'null')) fail('null needs a field');
    // Keywords are searched anywhere in the record text unless a position was asked for.
    if (spec.op === 'eq' && !spec.applied.some((a) => POSITIONAL.has(a))) {
      spec.values = spec.values.map((v) => {
        const str = asStr(v);
        return str ? { ...str, parts: normalizeParts([STAR, ...str.parts, STAR]) } : v;
      });
    }
  }
  if (spec.op === 'exists' && spec.negate) fail("'neq' cannot combine with 'exists'");
  return spec;
}

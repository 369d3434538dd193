// Fast path for System fields: which template parts give each one, so most lookups skip the full tree.
import type { FieldValue } from '../../../core/record.js';
import type { Elem, Node, Substitutions, Template } from '../binxml/nodes.js';
import { resolveParts, type XValue } from '../binxml/resolve.js';
import { VT } from '../values/types.js';
import { coerceField, toField } from './fields.js';

function childElem(nodes: readonly Node[], name: string): Elem | undefined {
  for (const n of nodes) if (n.kind === 'elem' && n.name === name) return n;
  return undefined;
}

/**
 * Maps `EventID`, `Provider_Name`, `TimeCreated_SystemTime`, ... to the parts of the template that
 * hold them. Built once per template; null when the template is not a plain `<Event><System>` one.
 */
export function systemPlan(t: Template): Map<string, Node[]> | null {
  if (t.systemPlan !== undefined) return t.systemPlan;
  let plan: Map<string, Node[]> | null = null;
  const system = childElem(childElem(t.nodes, 'Event')?.children ?? [], 'System');
  if (system) {
    plan = new Map();
    for (const c of system.children) {
      if (c.kind !== 'elem') continue;
      for (const a of c.attrs) if (!plan.has(`${c.name}_${a.name}`)) plan.set(`${c.name}_${a.name}`, a.parts);
      if (c.children.every((n) => n.kind === 'text' || n.kind === 'subst' || n.kind === 'value')) {
        if (!plan.has(c.name)) plan.set(c.name, c.children);
      }
    }
  }
  t.systemPlan = plan;
  return plan;
}

/**
 * The value of one planned field, or undefined when the parts are empty or hold nested BinXML (the
 * caller then falls back to the full tree, which gives the same answer the slow way).
 */
function planValue(parts: readonly Node[], vals: Substitutions): XValue | undefined {
  for (const p of parts) if (p.kind === 'subst' && vals.type(p.index) === VT.BinXml) return undefined;
  return resolveParts(parts, vals);
}

export function planField(
  key: string,
  parts: readonly Node[],
  vals: Substitutions,
): FieldValue | FieldValue[] | undefined {
  const v = planValue(parts, vals);
  return v === undefined ? undefined : coerceField(key, toField(v));
}

// The parsed form of BinXML: element trees whose text may hold substitutions, before values are bound.
import type { Decoded } from '../values/types.js';
import type { Substitutions } from './substitutions.js';

export interface Elem {
  kind: 'elem';
  name: string;
  attrs: Attr[];
  children: Node[];
}

export interface Attr {
  name: string;
  /** Text, typed values and substitutions that concatenate to the attribute's value. */
  parts: Node[];
}

/** Literal text: value-text tokens, CDATA, and character or entity references already decoded. */
export interface Text {
  kind: 'text';
  text: string;
}

/** A typed value written inline with a value token (rare: value tokens normally carry strings). */
export interface Value {
  kind: 'value';
  value: Decoded;
}

/** A placeholder filled from the template instance's values; `optional` ones vanish when NULL. */
export interface Subst {
  kind: 'subst';
  index: number;
  optional: boolean;
  type: number;
}

export interface PI {
  kind: 'pi';
  target: string;
  data: string;
}

/** A template bound to the values of one instance: a record body, or a nested BinXML value. */
export interface Instance {
  kind: 'instance';
  template: Template;
  values: Substitutions;
}

export type Node = Elem | Text | Value | Subst | PI | Instance;

/** A template definition, compiled once per chunk and shared by every record that references it. */
export interface Template {
  /** Chunk-relative offset of the definition, the key records use to reference it. */
  offset: number;
  guid: string;
  nodes: Node[];
  /** Lazily built map from System field name to the parts that give its value (see fields.ts). */
  systemPlan?: Map<string, Node[]> | null;
}

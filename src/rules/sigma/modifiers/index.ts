// The modifier registry: a plain name → implementation map; adding a modifier is one file and one line.

import type { Modifier } from '../values.js';
import { cidrModifiers } from './cidr.js';
import { encodingModifiers } from './encoding.js';
import { expandModifiers } from './expand.js';
import { fieldrefModifiers } from './fieldref.js';
import { genericModifiers } from './generic.js';
import { numericModifiers } from './numeric.js';
import { regexModifiers } from './regex.js';
import { timeModifiers } from './time.js';
import { windashModifiers } from './windash.js';

export const MODIFIERS: ReadonlyMap<string, Modifier> = new Map(
  Object.entries({
    ...genericModifiers,
    ...regexModifiers,
    ...encodingModifiers,
    ...windashModifiers,
    ...numericModifiers,
    ...timeModifiers,
    ...cidrModifiers,
    ...fieldrefModifiers,
    ...expandModifiers,
  }),
);

export function isKnownModifier(name: string): boolean {
  return MODIFIERS.has(name);
}

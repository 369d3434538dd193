// Per-record field cache: each native field is read, stringified and lower-cased at most once per record.

import type { FieldValue, LogRecord } from '../../core/record.js';
import type { ValueTransform } from './fieldmap.js';

/** A field as strings: missing (undefined), null, one string, or one per element of an array value. */
export type Str = string | null | undefined | readonly (string | null)[];

type Raw = FieldValue | readonly FieldValue[] | undefined;

function toStr(v: FieldValue): string | null {
  if (v === null) return null;
  return typeof v === 'string' ? v : String(v);
}

/**
 * Slots are assigned at compile time; `begin()` starts a new record. Stamps instead of clearing keep the
 * match path free of allocation (sources may reuse one record object, so identity is not enough).
 */
export class FieldCache {
  private epoch = 1;
  private readonly index = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly transforms: (ValueTransform | undefined)[] = [];
  private readonly rawStamp: number[] = [];
  private readonly rawVal: Raw[] = [];
  private readonly strStamp: number[] = [];
  private readonly strVal: Str[] = [];
  private readonly lowStamp: number[] = [];
  private readonly lowVal: Str[] = [];
  private textStamp = 0;
  private textVal = '';
  private textLowStamp = 0;
  private textLowVal = '';
  private readonly predStamp: number[] = [];
  private readonly predVal: boolean[] = [];

  /** Slot for a native field read through an optional transform. */
  slot(field: string, transformName: string | undefined, transform: ValueTransform | undefined): number {
    const key = transformName ? `${field}\u0000${transformName}` : field;
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.names.length;
      this.index.set(key, i);
      this.names.push(field);
      this.transforms.push(transform);
      this.rawStamp.push(0);
      this.rawVal.push(undefined);
      this.strStamp.push(0);
      this.strVal.push(undefined);
      this.lowStamp.push(0);
      this.lowVal.push(undefined);
    }
    return i;
  }

  /** A slot remembering one predicate's result for the current record (shared field tests). */
  predSlot(): number {
    this.predStamp.push(0);
    this.predVal.push(false);
    return this.predStamp.length - 1;
  }

  cached(i: number, r: LogRecord, p: (r: LogRecord) => boolean): boolean {
    if (this.predStamp[i] === this.epoch) return this.predVal[i] as boolean;
    const v = p(r);
    this.predStamp[i] = this.epoch;
    this.predVal[i] = v;
    return v;
  }

  begin(): void {
    this.epoch++;
  }

  raw(slot: number, r: LogRecord): Raw {
    if (this.rawStamp[slot] !== this.epoch) {
      this.rawStamp[slot] = this.epoch;
      this.rawVal[slot] = r.get(this.names[slot] as string);
    }
    return this.rawVal[slot];
  }

  /** The value as strings, transform applied, case kept. */
  str(slot: number, r: LogRecord): Str {
    if (this.strStamp[slot] !== this.epoch) {
      this.strStamp[slot] = this.epoch;
      const v = this.raw(slot, r);
      const t = this.transforms[slot];
      let s: Str;
      if (v === undefined || v === null) s = v;
      else if (Array.isArray(v)) {
        s = (v as readonly FieldValue[]).map((e) => {
          const x = toStr(e);
          return x !== null && t ? t(x) : x;
        });
      } else {
        const x = toStr(v as FieldValue) as string;
        s = t ? t(x) : x;
      }
      this.strVal[slot] = s;
    }
    return this.strVal[slot];
  }

  lower(slot: number, r: LogRecord): Str {
    if (this.lowStamp[slot] !== this.epoch) {
      this.lowStamp[slot] = this.epoch;
      const s = this.str(slot, r);
      this.lowVal[slot] =
        typeof s === 'string'
          ? s.toLowerCase()
          : s === undefined || s === null
            ? s
            : s.map((e) => (e === null ? null : e.toLowerCase()));
    }
    return this.lowVal[slot];
  }

  text(r: LogRecord): string {
    if (this.textStamp !== this.epoch) {
      this.textStamp = this.epoch;
      this.textVal = r.text();
    }
    return this.textVal;
  }

  textLower(r: LogRecord): string {
    if (this.textLowStamp !== this.epoch) {
      this.textLowStamp = this.epoch;
      this.textLowVal = this.text(r).toLowerCase();
    }
    return this.textLowVal;
  }
}

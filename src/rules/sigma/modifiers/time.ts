// Time modifiers: the field's date is reduced to one number (minute, hour, day, week, month, year).

import type { Modifier, TimePart, ValueSpec } from '../values.js';

function part(p: TimePart): Modifier {
  return (spec: ValueSpec) => {
    if (spec.applied.length > 0) return `'${p}' must come first: it changes the field's value`;
    spec.timePart = p;
    return undefined;
  };
}

/** The UTC date component of an ISO-8601 (or `YYYY-MM-DD HH:MM:SS`) time; undefined if unparseable. */
export function timePart(value: string, p: TimePart): number | undefined {
  const s = value.length > 10 && value[10] === ' ' ? `${value.slice(0, 10)}T${value.slice(11)}` : value;
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(s);
  const ms = Date.parse(hasZone || s.length <= 10 ? s : `${s}Z`);
  if (Number.isNaN(ms)) return undefined;
  const d = new Date(ms);
  switch (p) {
    case 'minute':
      return d.getUTCMinutes();
    case 'hour':
      return d.getUTCHours();
    case 'day':
      return d.getUTCDate();
    case 'month':
      return d.getUTCMonth() + 1;
    case 'year':
      return d.getUTCFullYear();
    case 'week':
      return isoWeek(d);
  }
}

function isoWeek(d: Date): number {
  // The ISO week belongs to the year of its Thursday.
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  return Math.ceil(((t.getTime() - yearStart) / 86400000 + 1) / 7);
}

export const timeModifiers: Record<string, Modifier> = {
  minute: part('minute'),
  hour: part('hour'),
  day: part('day'),
  week: part('week'),
  month: part('month'),
  year: part('year'),
};

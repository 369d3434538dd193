// Helpers shared by built-in detectors: rule references, field access and address extraction.

import type { RuleRef, Severity } from '../../core/finding.js';
import type { LogRecord } from '../../core/record.js';
import { clientAddressesOf, roleNumber, roleText } from '../../core/fields.js';

/** A built-in rule's reference: a short id gets the `exhunt.` prefix; ids from core/rule-ids.ts come whole. */
export function builtinRule(
  id: string,
  title: string,
  level: Severity,
  references: string[] = [],
  tags: string[] = [],
): RuleRef {
  return {
    id: id.startsWith('exhunt.') ? id : `exhunt.${id}`,
    title,
    author: 'exhunt',
    source: 'exhunt',
    level,
    references,
    ...(tags.length > 0 ? { tags } : {}),
  };
}

export function str(r: LogRecord, ...fields: string[]): string {
  for (const f of fields) {
    const v = r.get(f);
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return String(v);
  }
  return '';
}

/** Every address a record names: the client, then `X-Forwarded-For` (the source's field roles say which fields). */
export function addressesOf(r: LogRecord): string[] {
  return clientAddressesOf(r);
}

export function httpStatus(r: LogRecord): number {
  return roleNumber(r, 'status') ?? 0;
}

export function userAgentOf(r: LogRecord): string | undefined {
  return roleText(r, 'userAgent');
}

// Helpers shared by built-in detectors: rule references, field access and address extraction.

import type { RuleRef, Severity } from '../../core/finding.js';
import type { LogRecord } from '../../core/record.js';

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

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const IPV6 = /^[0-9a-f:]*:[0-9a-f:.]*$/i;

/** Every address a record names: the client, `X-Forwarded-For`, and the several an Exchange field can hold. */
export function addressesOf(r: LogRecord): string[] {
  const out: string[] = [];
  for (const f of ['c-ip', 'X-Forwarded-For', 'x-forwarded-for', 'ClientIpAddress', 'ClientIPAddress']) {
    const v = r.get(f);
    if (typeof v !== 'string' || v.length === 0) continue;
    for (let part of v.split(/[\s,;]+/)) {
      part = part
        .replace(/^\[|\]$/g, '')
        .replace(/:\d+$/, (m) => (IPV4.test(part.slice(0, -m.length)) ? '' : m));
      if ((IPV4.test(part) || IPV6.test(part)) && !out.includes(part)) out.push(part);
    }
  }
  return out;
}

export function httpStatus(r: LogRecord): number {
  const v = str(r, 'sc-status', 'HttpStatus');
  const n = Number.parseInt(v, 10);
  return Number.isNaN(n) ? 0 : n;
}

export function userAgentOf(r: LogRecord): string | undefined {
  const v = str(r, 'cs(User-Agent)', 'UserAgent', 'ClientInfo');
  return v.length > 0 ? v : undefined;
}

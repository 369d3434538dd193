// "New since your last visit": the server's time at each visit is kept per user in localStorage; a tab
// compares against the visit before it began (sessionStorage), so reloading does not hide what is new.

import type { Me } from './api/types.js';

const key = (me: Me) => `exhunt.lastVisit.${me.kind}:${me.id}`;

/** The time to count new findings from, fixed for the life of this tab; undefined on a first visit. */
export function visitSince(me: Me): string | undefined {
  const k = key(me);
  const mine = sessionStorage.getItem(k);
  if (mine !== null) return mine || undefined;
  const previous = localStorage.getItem(k) ?? '';
  sessionStorage.setItem(k, previous);
  return previous || undefined;
}

export function recordVisit(me: Me, serverNow: string): void {
  localStorage.setItem(key(me), serverNow);
}

/** Everything up to now counts as seen, in this tab too. */
export function markSeen(me: Me, serverNow: string): void {
  sessionStorage.setItem(key(me), serverNow);
  localStorage.setItem(key(me), serverNow);
}

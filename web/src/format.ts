// Display helpers: UTC times (evidence is in UTC; local time would misalign with the logs), counts and actors.

export function utc(iso: string | null | undefined): string {
  if (!iso) return '—';
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

export function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

export function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

/** The audit form `user:3:alice` as a person reads it. */
export function actorName(actor: string | null): string {
  if (!actor) return '—';
  const [kind, , ...name] = actor.split(':');
  const who = name.join(':');
  return kind === 'user' ? who : `${who} (${kind})`;
}

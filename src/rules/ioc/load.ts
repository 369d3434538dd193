// Loading indicator files of any supported format (and our own curated data) into one store.

import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Problem } from '../../core/problem.js';
import type { ImportResult } from './import-util.js';
import { isObject, parseJson, problem } from './import-util.js';
import { importExhunt, looksLikeExhunt } from './import-exhunt.js';
import { importMisp, looksLikeMisp } from './import-misp.js';
import { importStix, looksLikeStix } from './import-stix.js';
import { importText } from './import-text.js';
import { IndicatorStore } from './store.js';

export const BUILTIN_IOCS_DIR = fileURLToPath(new URL('../../../../data/iocs', import.meta.url));

/** Feeds are read whole; anything larger than this is refused with a problem rather than exhausting memory. */
export const MAX_FEED_BYTES = 512 * 1024 * 1024;
const FEED_EXTENSIONS = /\.(json|stix|misp|csv|txt|ioc|iocs|lst|list)$/i;

/** The formats `importFeed` tells apart; `unknown` is JSON of no known shape (or not JSON at all). */
export type FeedFormat = 'stix' | 'misp' | 'exhunt' | 'text' | 'unknown';

/** Parses one feed's text, choosing the format by content: JSON documents by their shape, else a list. */
export function importFeed(
  text: string,
  path: string,
  source: string,
): ImportResult & { format: FeedFormat } {
  const body = text.replace(/^\ufeff/, '');
  if (/^\s*[[{]/.test(body)) {
    const parsed = parseJson(body, path);
    if ('problem' in parsed) return { format: 'unknown', indicators: [], problems: [parsed.problem] };
    const doc = parsed.value;
    if (looksLikeExhunt(doc)) return { format: 'exhunt', ...importExhunt(body, path, source, doc) };
    if (looksLikeStix(doc)) return { format: 'stix', ...importStix(body, path, source, doc) };
    if (looksLikeMisp(doc)) return { format: 'misp', ...importMisp(body, path, source, doc) };
    const kind = isObject(doc) && typeof doc.type === 'string' ? ` (type ${doc.type})` : '';
    return {
      format: 'unknown',
      indicators: [],
      problems: [
        problem(
          'ioc.unknown-format',
          `JSON that is not a STIX bundle, MISP event or exhunt list${kind}`,
          path,
          1,
          'error',
        ),
      ],
    };
  }
  return { format: 'text', ...importText(body, path, source) };
}

async function feedFiles(path: string, problems: Problem[]): Promise<string[]> {
  try {
    const st = await stat(path);
    if (!st.isDirectory()) return [path];
    const names = (await readdir(path)).filter((n) => FEED_EXTENSIONS.test(n) && !n.startsWith('.')).sort();
    return names.map((n) => join(path, n));
  } catch (e) {
    problems.push(
      problem('ioc.unreadable', `cannot read: ${(e as Error).message}`, path, undefined, 'error'),
    );
    return [];
  }
}

/**
 * Loads `--iocs` files (or folders of them) in the order given, then our curated data unless turned off.
 * Every bad entry is a located problem; the rest load. The first feed to name a value is the one its
 * findings cite, so an analyst's own feed comes before ours.
 */
export async function loadIndicatorFiles(
  paths: string[],
  opts: { builtin: boolean },
): Promise<{ store: IndicatorStore; problems: Problem[] }> {
  const problems: Problem[] = [];
  const store = new IndicatorStore();
  const files: { path: string; source: string }[] = [];
  for (const p of paths)
    for (const f of await feedFiles(p, problems)) files.push({ path: f, source: basename(f) });
  if (opts.builtin)
    for (const f of await feedFiles(BUILTIN_IOCS_DIR, problems))
      if (f.endsWith('.json')) files.push({ path: f, source: `builtin:${basename(f)}` });
  for (const f of files) {
    let text: string;
    try {
      const st = await stat(f.path);
      if (st.size > MAX_FEED_BYTES) {
        problems.push(
          problem(
            'ioc.too-large',
            `${st.size} bytes is over the ${MAX_FEED_BYTES}-byte limit for one feed`,
            f.path,
            undefined,
            'limit',
          ),
        );
        continue;
      }
      text = await readFile(f.path, 'utf8');
    } catch (e) {
      problems.push(
        problem('ioc.unreadable', `cannot read: ${(e as Error).message}`, f.path, undefined, 'error'),
      );
      continue;
    }
    const r = importFeed(text, f.path, f.source);
    problems.push(...r.problems);
    for (const ind of r.indicators) store.add(ind);
  }
  return { store, problems };
}

// Indicator stores made from the fleet's feeds (and our curated indicators), cached by feed id and SHA-256
// so that a worker parses a feed once, not once per job.

import { IndicatorStore, importFeed, loadIndicatorFiles } from '../../rules/ioc/index.js';
import type { Indicator } from '../../rules/ioc/index.js';
import type { FeedView, Scope, Store } from '../../store/index.js';
import { feedContents, listFeeds } from '../../store/index.js';

/** How findings name a fleet feed (`rule.source`, `details.feed`): its name, and its id to tell it apart. */
export function feedSource(f: Pick<FeedView, 'id' | 'name'>): string {
  return `${f.name} (feed ${f.id})`;
}

interface StoreRequest {
  /** Disabled feeds still count for an export (their indicators' metadata), never for a scan. */
  enabledOnly: boolean;
  /** Our curated indicators after the feeds, as the CLI loads them by default. */
  builtin: boolean;
}

/** A small least-recently-used map: a Map iterates in insertion order, so the first key is the oldest. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(k: string): V | undefined {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  set(k: string, v: V): void {
    this.map.delete(k);
    this.map.set(k, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
}

export class FeedCache {
  private readonly parsed: Lru<readonly Indicator[]>;
  private readonly stores: Lru<IndicatorStore>;
  private builtin: Promise<readonly Indicator[]> | undefined;
  /** Feeds parsed since the cache was made: tests check that a second job parses nothing. */
  parses = 0;

  constructor(opts: { feeds?: number; stores?: number } = {}) {
    this.parsed = new Lru(opts.feeds ?? 64);
    this.stores = new Lru(opts.stores ?? 16);
  }

  /**
   * One store for what a scope may use, feeds in load order (a tenant's own before the shared ones, so a
   * finding names the tenant's feed when both list a value). A content change is a new SHA-256, hence a new
   * key: nothing stale is served.
   */
  async storeFor(store: Store, scope: Scope, req: StoreRequest): Promise<IndicatorStore> {
    const feeds = (await listFeeds(store, scope)).filter((f) => f.enabled || !req.enabledOnly);
    const key = `${feeds.map((f) => `${f.id}:${f.sha256}`).join(',')}|${req.builtin ? 'builtin' : ''}`;
    const hit = this.stores.get(key);
    if (hit) return hit;
    const missing = feeds.filter((f) => !this.parsed.get(parsedKey(f)));
    const texts = await feedContents(
      store,
      scope,
      missing.map((f) => f.id),
    );
    const lists: (readonly Indicator[])[] = [];
    for (const f of feeds) {
      let list = this.parsed.get(parsedKey(f));
      const text = texts.get(f.id);
      if (!list && text !== undefined) {
        list = importFeed(text, f.name, feedSource(f)).indicators;
        this.parses++;
        this.parsed.set(parsedKey(f), list);
      }
      // Deleted between the two reads: scanned without it.
      if (list) lists.push(list);
    }
    if (req.builtin) lists.push(await this.builtinIndicators());
    const out = new IndicatorStore();
    for (const list of lists) for (const ind of list) out.add(ind);
    this.stores.set(key, out);
    return out;
  }

  private builtinIndicators(): Promise<readonly Indicator[]> {
    this.builtin ??= loadIndicatorFiles([], { builtin: true }).then((r) => r.store.all());
    return this.builtin;
  }
}

function parsedKey(f: Pick<FeedView, 'id' | 'sha256'>): string {
  return `${f.id}:${f.sha256}`;
}

// "What checkout quotes from has changed for this shop": node saves, shipping-settings saves and
// catalogue syncs say so here, and the quote cache (quote-snapshot.server.ts) listens. The writers
// import only this leaf, so the cache can read nodes and settings without an import cycle.
type Listener = (shopId?: string) => void;

const listeners = new Set<Listener>();

/** Called with a shop id (or undefined: every shop) whenever invalidateQuoteCache runs; returns an unsubscribe. */
export function onQuoteCacheInvalidated(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Drops the shop's cached snapshot (or every shop's) in this process: the next quote loads a fresh one. */
export function invalidateQuoteCache(shopId?: string): void {
  for (const listener of listeners) listener(shopId);
}

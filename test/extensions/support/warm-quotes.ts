// The first quote for a shop in a process loads its network from the database within the
// default checkout budget (400 ms) before the shop's own budget is known; on a busy test machine
// that cold load can miss it and the quote falls back to backup rates. Tests that assert live
// options load the snapshot first, as a running server would have after its first request: the
// load itself is awaited, however long it takes, instead of quoting again until one gets through.
import { loadSnapshot } from "~/services/quote-snapshot.server";

export async function warmQuotes(shop: { id: string; currency: string }): Promise<void> {
  const loaded = await loadSnapshot(shop);
  if (!loaded.ok) throw new Error(`the quote snapshot of shop ${shop.id} did not load: ${loaded.failure.error}`);
}

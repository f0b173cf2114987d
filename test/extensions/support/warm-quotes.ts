// The first quote for a shop in a process loads its network from the database within the
// default checkout budget (400 ms) before the shop's own budget is known; on a busy test machine
// that cold load can miss it and the quote falls back to backup rates. Tests that assert live
// options load the snapshot first, as a running server would have after its first request.
import { quoteForShop } from "~/services/quotes.server";

export async function warmQuotes(shop: { id: string; currency: string }, postalCode = "11211"): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const quote = await quoteForShop(
      shop,
      { lines: [{ sku: "warm-up", quantity: 1 }], destination: { country: "US", postalCode } },
      { source: "SIMULATOR", log: false },
    );
    if (!quote.fallbackUsed || !/^live quoting unavailable/.test(quote.fallbackReason ?? "")) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the quote snapshot of shop ${shop.id} did not load`);
}

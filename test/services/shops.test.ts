// ensureShop runs on every admin request (and every open API call in demo mode). The fuzzer of issue 9
// found it wrote the shop row each time, so a page view, and a request then refused with a 4xx,
// changed the database (and waited for the write lock). It writes now only to create, reinstall or
// change the scopes; every committed row is counted by triggers (test/support/fuzz.ts).
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { ensureShop } from "~/services/shops.server";
import { makeShop } from "../support/factories";
import { recordWrites, writesBetween, writesSoFar } from "../support/fuzz";

beforeAll(() => recordWrites());

async function writesOf(work: () => Promise<unknown>): Promise<string[]> {
  const before = await writesSoFar();
  await work();
  return writesBetween(before, await writesSoFar());
}

describe("ensureShop", () => {
  it("writes nothing for an installed shop, whatever it is asked, as long as the scopes are the same", async () => {
    const shop = await db.shop.update({ where: { id: (await makeShop(db, "steady.myshopify.com")).id }, data: { scopes: "read_products" } });
    let got: Awaited<ReturnType<typeof ensureShop>> | undefined;
    expect(await writesOf(async () => (got = await ensureShop("steady.myshopify.com")))).toEqual([]);
    expect(got).toEqual(shop);
    expect(await writesOf(() => ensureShop("steady.myshopify.com", { scopes: "read_products", name: "Another name" }))).toEqual([]);
    expect((await db.shop.findUniqueOrThrow({ where: { id: shop.id } })).name).toBe(shop.name);
  });

  it("stores new scopes, reinstalls an uninstalled shop and creates a new one", async () => {
    const shop = await makeShop(db, "changing.myshopify.com");
    expect(await writesOf(() => ensureShop("changing.myshopify.com", { scopes: "read_products,write_shipping" }))).toEqual(["Shop update ×1"]);
    expect((await db.shop.findUniqueOrThrow({ where: { id: shop.id } })).scopes).toBe("read_products,write_shipping");

    await db.shop.update({ where: { id: shop.id }, data: { uninstalledAt: new Date() } });
    expect(await writesOf(() => ensureShop("changing.myshopify.com"))).toEqual(["Shop update ×1"]);
    expect((await db.shop.findUniqueOrThrow({ where: { id: shop.id } })).uninstalledAt).toBeNull();

    expect(await writesOf(() => ensureShop("brand-new.myshopify.com", { name: "Brand New" }))).toEqual(["Shop insert ×1"]);
    expect(await db.shop.findUniqueOrThrow({ where: { domain: "brand-new.myshopify.com" } })).toMatchObject({ name: "Brand New", uninstalledAt: null });
  });
});

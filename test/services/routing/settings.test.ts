// Routing settings: defaults before a shop saves any, validation that names the field (one schema
// for the admin form and the action), the split penalty column carried into the core's config,
// a stored config that no longer parses refused with the reason, and one shop's settings never
// seen by another.
import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { db } from "~/db.server";
import { DEFAULT_ROUTING, getRoutingSettings, InvalidRoutingSettingsError, saveRoutingSettings } from "~/services/routing-settings.server";
import { makeShop } from "../../support/factories";

describe("routing settings", () => {
  it("starts in suggest-only mode with the schema's split penalty", async () => {
    const shop = await makeShop(db);
    expect(await getRoutingSettings(shop.id)).toEqual(DEFAULT_ROUTING);
    expect(DEFAULT_ROUTING).toMatchObject({ mode: "SUGGEST", splitPenaltyMinor: 300 });
  });

  it("saves mode, split penalty and core options, and carries the penalty into the core's config", async () => {
    const shop = await makeShop(db);
    const other = await makeShop(db);
    const saved = await saveRoutingSettings(shop.id, { mode: "AUTO", splitPenaltyMinor: 750, config: { maxShipments: 1, promise: { keep: "SERVICE" } } });
    expect(saved).toMatchObject({ mode: "AUTO", splitPenaltyMinor: 750, config: { maxShipments: 1, promise: { keep: "SERVICE" }, splitPenaltyMinor: 750 } });
    expect(await getRoutingSettings(shop.id)).toMatchObject({ mode: "AUTO", splitPenaltyMinor: 750 });
    expect(await getRoutingSettings(other.id)).toEqual(DEFAULT_ROUTING);
  });

  it("refuses bad input naming the field", async () => {
    const shop = await makeShop(db);
    const attempt = (input: unknown) => saveRoutingSettings(shop.id, input as never).then(() => null, (e: unknown) => e);
    const mode = await attempt({ mode: "MAYBE", splitPenaltyMinor: 1 });
    expect(mode).toBeInstanceOf(ZodError);
    expect((mode as ZodError).issues[0]).toMatchObject({ path: ["mode"], message: "mode must be SUGGEST (log only) or AUTO (move fulfillment orders)" });
    const penalty = (await attempt({ mode: "AUTO", splitPenaltyMinor: -5 })) as ZodError;
    expect(penalty.issues[0]).toMatchObject({ path: ["splitPenaltyMinor"], message: "split penalty cannot be negative" });
    const config = (await attempt({ mode: "AUTO", splitPenaltyMinor: 5, config: { maxShipments: 9 } })) as ZodError;
    expect(config.issues[0].path).toEqual(["config", "maxShipments"]);
    expect(await db.routingSettings.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("refuses a stored configuration that no longer parses, with the reason", async () => {
    const shop = await makeShop(db);
    await db.routingSettings.create({ data: { shopId: shop.id, mode: "AUTO", configJson: JSON.stringify({ maxShipments: "two" }) } });
    await expect(getRoutingSettings(shop.id)).rejects.toThrow(InvalidRoutingSettingsError);
    await expect(getRoutingSettings(shop.id)).rejects.toThrow(/maxShipments/);
  });
});

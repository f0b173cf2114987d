// shopify.app.toml and the routes agree: every webhook subscription points at a route of the
// same name that has an action, and the compliance topics Shopify requires are all there.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { appToml as toml, routeFileOf, webhookSubscriptions as subscriptions } from "../support/app-toml";

describe("shopify.app.toml", () => {
  it("routes every webhook subscription to /webhooks/<topic> served by a route file with an action", async () => {
    const subs = subscriptions();
    expect(subs.length).toBeGreaterThanOrEqual(5);
    for (const sub of subs) {
      expect(sub.topics).toHaveLength(1);
      expect(sub.uri).toBe(`/webhooks/${sub.topics[0]}`);
      const file = routeFileOf(sub.uri!);
      expect(existsSync(file), `${file} should exist`).toBe(true);
      const mod = await import(file);
      expect(typeof mod.action).toBe("function");
    }
  });

  it("subscribes to the three mandatory compliance topics and the lifecycle topics", () => {
    const subs = subscriptions();
    const compliance = subs.filter((s) => s.compliance).flatMap((s) => s.topics);
    expect(compliance.sort()).toEqual(["customers/data_request", "customers/redact", "shop/redact"]);
    const topics = subs.flatMap((s) => s.topics);
    expect(topics).toEqual(expect.arrayContaining(["app/uninstalled", "app/scopes_update"]));
  });

  it("asks for the scopes the app's features use, the same list as the default SCOPES", async () => {
    const { DEFAULT_SCOPES } = await import("~/env.server");
    const scopes = /scopes\s*=\s*"([^"]+)"/.exec(toml)?.[1].split(",") ?? [];
    expect(scopes.sort()).toEqual([...DEFAULT_SCOPES].sort());
    expect(scopes).toEqual(expect.arrayContaining(["write_shipping", "write_merchant_managed_fulfillment_orders", "write_returns"]));
  });
});

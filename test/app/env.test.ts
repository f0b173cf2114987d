// The process configuration: demo mode's safety rules and the messages for bad settings.
import { describe, expect, it } from "vitest";
import { DEMO_DEFAULTS, parseEnv } from "~/env.server";

const real = { SHOPIFY_API_KEY: "k", SHOPIFY_API_SECRET: "s", SHOPIFY_APP_URL: "https://nearhub.example.com" };

describe("parseEnv", () => {
  it("runs demo mode on loopback with the documented defaults, whatever HOST says", () => {
    const env = parseEnv({ NEARHUB_DEMO: "1", HOST: "0.0.0.0", PORT: "4100" });
    expect(env).toMatchObject({
      demo: true,
      host: "127.0.0.1",
      port: 4100,
      apiSecret: DEMO_DEFAULTS.SHOPIFY_API_SECRET,
      demoApiKey: DEMO_DEFAULTS.NEARHUB_DEMO_API_KEY,
      appUrl: "http://127.0.0.1:4100",
    });
  });

  it("refuses demo mode with NODE_ENV=production, naming the setting", () => {
    expect(() => parseEnv({ NEARHUB_DEMO: "1", NODE_ENV: "production", ...real })).toThrow(
      "NEARHUB_DEMO: demo mode refuses to run with NODE_ENV=production",
    );
  });

  it("requires the Shopify credentials outside demo mode and never offers the demo API key", () => {
    expect(() => parseEnv({})).toThrow(/SHOPIFY_API_KEY is required outside demo mode/);
    const env = parseEnv({ ...real, NEARHUB_DEMO_API_KEY: "nh_demo_0123456789abcdef0123456789abcdef" });
    expect(env.demo).toBe(false);
    expect(env.demoApiKey).toBeUndefined();
    expect(env.host).toBe("0.0.0.0");
  });

  it("names the variable when a value is malformed", () => {
    expect(() => parseEnv({ ...real, PORT: "http" })).toThrow(/^Invalid configuration: PORT:/);
    expect(() => parseEnv({ ...real, SHOPIFY_APP_URL: "not a url" })).toThrow(/SHOPIFY_APP_URL/);
  });
});

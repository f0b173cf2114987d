// The process configuration: demo mode's safety rules and the messages for bad settings.
import { describe, expect, it } from "vitest";
import { DEMO_DEFAULTS, parseEnv } from "~/env.server";

const KEY = "2l1B6lPP1AuP8HpwUxkaLXnKWQqY8ZZsdfhZFOjS+BY=";
const real = { SHOPIFY_API_KEY: "k", SHOPIFY_API_SECRET: "s", SHOPIFY_APP_URL: "https://nearhub.example.com", NEARHUB_ENCRYPTION_KEY: KEY };

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

  it("requires an encryption key outside demo mode, says how to make one, and keeps retired keys for reading", () => {
    const { NEARHUB_ENCRYPTION_KEY: _key, ...withoutKey } = real;
    expect(() => parseEnv(withoutKey)).toThrow(/NEARHUB_ENCRYPTION_KEY is required outside demo mode .*openssl rand -base64 32/);
    expect(() => parseEnv({ ...real, NEARHUB_ENCRYPTION_KEY: "too-short" })).toThrow(/^Invalid configuration: NEARHUB_ENCRYPTION_KEY: must be 32 random bytes/);
    expect(() => parseEnv({ ...real, NEARHUB_ENCRYPTION_OLD_KEYS: `${KEY},nope` })).toThrow(/NEARHUB_ENCRYPTION_OLD_KEYS: key 2 must be 32 random bytes/);
    const hex = "00".repeat(32);
    const env = parseEnv({ ...real, NEARHUB_ENCRYPTION_OLD_KEYS: ` ${hex} ` });
    expect(env.encryptionKeys.map((k) => k.toString("base64"))).toEqual([KEY, Buffer.alloc(32).toString("base64")]);
    // Demo mode has its documented key, so `npm run demo` needs none.
    expect(parseEnv({ NEARHUB_DEMO: "1" }).encryptionKeys.map((k) => k.toString("base64"))).toEqual([DEMO_DEFAULTS.NEARHUB_ENCRYPTION_KEY]);
  });

  it("limits checkout CORS to the extension's origin unless told otherwise, and checks the list", () => {
    expect(parseEnv(real).checkoutCorsOrigins).toEqual(["https://extensions.shopifycdn.com"]);
    expect(parseEnv({ ...real, NEARHUB_CHECKOUT_CORS_ORIGINS: "https://extensions.shopifycdn.com, null" }).checkoutCorsOrigins).toEqual([
      "https://extensions.shopifycdn.com",
      "null",
    ]);
    expect(() => parseEnv({ ...real, NEARHUB_CHECKOUT_CORS_ORIGINS: "https://x.test/path" })).toThrow(/NEARHUB_CHECKOUT_CORS_ORIGINS: "https:\/\/x.test\/path" is not an origin/);
  });
});

// Secrets at rest (app/services/secrets.server.ts): AES-256-GCM values that name their key, open only
// in their own row and column, survive a key rotation, and refuse to open when altered.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SecretBox, SecretDecryptionError, keyId } from "~/services/secrets.server";

const oldKey = randomBytes(32);
const newKey = randomBytes(32);
const TOKEN = "shpat_0123456789abcdef0123456789abcdef";
const CONTEXT = "Session.accessToken:offline_alpha.myshopify.com";

describe("SecretBox", () => {
  it("seals to a value that names its key and holds no trace of the clear text", () => {
    const box = new SecretBox([newKey]);
    const sealed = box.seal(TOKEN, CONTEXT);
    expect(sealed).toMatch(new RegExp(`^nh1\\.${keyId(newKey)}\\.[A-Za-z0-9_-]+$`));
    expect(sealed).not.toContain("shpat");
    expect(Buffer.from(sealed.split(".")[2], "base64url").includes(Buffer.from(TOKEN))).toBe(false);
    // A fresh IV each time: the same token never seals to the same value twice.
    expect(box.seal(TOKEN, CONTEXT)).not.toBe(sealed);
    expect(box.open(sealed, CONTEXT)).toBe(TOKEN);
    expect(box.state(sealed)).toBe("current");
  });

  it("opens a value only in the context it was sealed for", () => {
    const box = new SecretBox([newKey]);
    const sealed = box.seal(TOKEN, CONTEXT);
    expect(() => box.open(sealed, "Session.accessToken:offline_bravo.myshopify.com")).toThrow(SecretDecryptionError);
    expect(() => box.open(sealed, "Session.refreshToken:offline_alpha.myshopify.com")).toThrow(/does not authenticate/);
  });

  it("refuses an altered value", () => {
    const box = new SecretBox([newKey]);
    const [v, id, payload] = box.seal(TOKEN, CONTEXT).split(".");
    const raw = Buffer.from(payload, "base64url");
    raw[raw.length - 20] ^= 1;
    expect(() => box.open(`${v}.${id}.${raw.toString("base64url")}`, CONTEXT)).toThrow(/does not authenticate/);
    expect(() => box.open(`${v}.${id}.AAAA`, CONTEXT)).toThrow(/truncated/);
  });

  it("reads values of a retired key, writes with the current one, and names a key it does not have", () => {
    const before = new SecretBox([oldKey]).seal(TOKEN, CONTEXT);
    const rotated = new SecretBox([newKey, oldKey]);
    expect(rotated.state(before)).toBe("old");
    expect(rotated.open(before, CONTEXT)).toBe(TOKEN);
    expect(rotated.seal(TOKEN, CONTEXT).split(".")[1]).toBe(keyId(newKey));

    const withoutOld = new SecretBox([newKey]);
    expect(withoutOld.state(before)).toBe("unknown-key");
    expect(() => withoutOld.open(before, CONTEXT)).toThrow(new RegExp(`key ${keyId(oldKey)}, which is neither NEARHUB_ENCRYPTION_KEY`));
  });

  it("passes clear text written before encryption through, marked as such", () => {
    const box = new SecretBox([newKey]);
    expect(box.state(TOKEN)).toBe("clear");
    expect(box.open(TOKEN, CONTEXT)).toBe(TOKEN);
  });

  it("takes only 256-bit keys", () => {
    expect(() => new SecretBox([])).toThrow(/at least one key/);
    expect(() => new SecretBox([randomBytes(16)])).toThrow(/32 bytes/);
  });
});

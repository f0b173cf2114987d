// Third-party secrets at rest (docs/decisions/0017-secrets-at-rest.md): Shopify access and refresh
// tokens, and any credential a merchant gives us later, are stored as
//
//   nh1.<key id>.<base64url(12-byte IV ‖ AES-256-GCM ciphertext ‖ 16-byte tag)>
//
// with a key from the environment (NEARHUB_ENCRYPTION_KEY; retired keys in NEARHUB_ENCRYPTION_OLD_KEYS
// stay readable). The key id is derived from the key itself (8 hex digits of a SHA-256), so an operator
// only ever handles keys, and a value names the key that can open it. The context (for example
// "Session.accessToken:offline_shop.myshopify.com") is authenticated data: a value copied into another
// row or column does not decrypt there.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { env } from "~/env.server";

const VERSION = "nh1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT = /^nh1\.([0-9a-f]{8})\.([A-Za-z0-9_-]+)$/;

export interface SecretKey {
  id: string;
  key: Buffer;
}

/** The id a key's values carry: not secret, stable for the key. */
export function keyId(key: Buffer): string {
  return createHash("sha256").update("nearhub-secret-key-id\0").update(key).digest("hex").slice(0, 8);
}

export class SecretDecryptionError extends Error {
  constructor(
    message: string,
    readonly keyId: string | null,
  ) {
    super(message);
    this.name = "SecretDecryptionError";
  }
}

/** What a stored value is: clear text written before encryption, or sealed with one of our keys. */
export type SecretState = "clear" | "current" | "old" | "unknown-key";

/** Encrypts and decrypts with a fixed key ring: the first key seals, every key opens. */
export class SecretBox {
  private readonly byId: Map<string, Buffer>;
  readonly current: SecretKey;

  constructor(keys: Buffer[]) {
    if (keys.length === 0) throw new Error("SecretBox needs at least one key");
    for (const key of keys) if (key.length !== 32) throw new Error("each key must be 32 bytes");
    this.byId = new Map(keys.map((key) => [keyId(key), key]));
    this.current = { id: keyId(keys[0]), key: keys[0] };
  }

  seal(plain: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.current.key, iv);
    cipher.setAAD(Buffer.from(context, "utf8"));
    const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return `${VERSION}.${this.current.id}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64url")}`;
  }

  state(stored: string): SecretState {
    const match = FORMAT.exec(stored);
    if (!match) return "clear";
    if (match[1] === this.current.id) return "current";
    return this.byId.has(match[1]) ? "old" : "unknown-key";
  }

  /** The clear text; a value stored before encryption (no `nh1.` prefix) is returned as it is. */
  open(stored: string, context: string): string {
    const match = FORMAT.exec(stored);
    if (!match) return stored;
    const [, id, payload] = match;
    const key = this.byId.get(id);
    if (!key) {
      throw new SecretDecryptionError(
        `secret sealed with key ${id}, which is neither NEARHUB_ENCRYPTION_KEY nor in NEARHUB_ENCRYPTION_OLD_KEYS`,
        id,
      );
    }
    const raw = Buffer.from(payload, "base64url");
    if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretDecryptionError(`secret sealed with key ${id} is truncated`, id);
    const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString("utf8");
    } catch {
      throw new SecretDecryptionError(`secret sealed with key ${id} does not authenticate (altered, or moved from another row)`, id);
    }
  }
}

let box: SecretBox | undefined;
/** The process's key ring, from env(). */
export function secrets(): SecretBox {
  box ??= new SecretBox(env().encryptionKeys);
  return box;
}

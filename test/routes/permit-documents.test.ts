// Permit documents (issue 14 item 6) through the real admin routes, in demo mode: real multipart
// requests (a FormData body, encoded as a browser encodes it) to the upload action, the type read
// from the file's bytes, the 10 MB limit, downloads scoped to the shop, and the stored files
// removed when their permit is deleted and when shop/redact arrives.
import { createHash } from "node:crypto";
import { readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

const storageDir = vi.hoisted(() => {
  process.env.NEARHUB_DEMO = "1";
  const dir = `${process.env.TMPDIR ?? "/tmp"}/nearhub-permit-docs-${process.pid}-${Date.now()}`;
  process.env.NEARHUB_STORAGE_DIR = dir;
  return dir;
});

import { db } from "~/db.server";
import { DEMO_SHOP_DOMAIN } from "~/env.server";
import * as upload from "~/routes/app.permits.$id.documents";
import * as download from "~/routes/app.permits.documents.$docId";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { MAX_DOCUMENT_BYTES, uploadPermitDocument } from "~/services/permits/documents.server";
import { createPermit, deletePermit } from "~/services/permits/repository.server";
import { ensureShop } from "~/services/shops.server";
import { makeNode, makeShop } from "../support/factories";
import { dayFromToday } from "../support/permits";
import { webhookRequest } from "../support/shopify";

type Fn = (args: { request: Request; params: Record<string, string>; context: object }) => unknown;
const ORIGIN = "http://127.0.0.1:3000";

const PDF = new Uint8Array(Buffer.from("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"));
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
const WEBP = new Uint8Array(Buffer.concat([Buffer.from("RIFF"), Buffer.from([26, 0, 0, 0]), Buffer.from("WEBPVP8L"), Buffer.alloc(14)]));

async function respond(fn: unknown, request: Request, params: Record<string, string>): Promise<Response> {
  try {
    return (await (fn as Fn)({ request, params, context: {} })) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** A multipart form post of one file, from the app's own page, to the upload action. */
function post(permitId: string, file: { bytes: Uint8Array; name: string; type: string } | null, origin = ORIGIN) {
  const form = new FormData();
  form.set("intent", "upload");
  if (file) form.set("file", new File([file.bytes as Uint8Array<ArrayBuffer>], file.name, { type: file.type }));
  const request = new Request(`${ORIGIN}/app/permits/${permitId}/documents`, { method: "POST", body: form, headers: { Origin: origin } });
  return respond(upload.action, request, { id: permitId });
}

const get = (docId: string) => respond(download.loader, new Request(`${ORIGIN}/app/permits/documents/${docId}`), { docId });

/** Every file under the storage folder. */
function storedFiles(): string[] {
  try {
    return readdirSync(storageDir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.relative(storageDir, path.join(e.parentPath, e.name)));
  } catch {
    return [];
  }
}

let shopId: string;
let permitId: string;
let otherPermitId: string;
let otherDocId: string;
const OTHER = "permit-docs-other.myshopify.com";

async function fireInspection(shop: string, nodeName: string) {
  const node = await makeNode(db, shop, { name: nodeName });
  return createPermit(shop, {
    subjectType: "NODE",
    subjectId: node.id,
    kind: "FIRE_INSPECTION",
    jurisdiction: "US-NY-NYC",
    issuedOn: dayFromToday(-100),
    expiresOn: dayFromToday(265),
    recurrence: "ANNUAL_INSPECTION",
    gates: ["OPERATE"],
  });
}

beforeAll(async () => {
  shopId = (await ensureShop(DEMO_SHOP_DOMAIN, { name: "Nearhub Demo Market" })).id;
  permitId = (await fireInspection(shopId, "Williamsburg Micro-hub")).id;
  const other = await makeShop(db, OTHER);
  otherPermitId = (await fireInspection(other.id, "Other shop's hub")).id;
  otherDocId = (await uploadPermitDocument(other.id, otherPermitId, { name: "other.pdf", type: "application/pdf", bytes: PDF })).id;
});

afterAll(() => rmSync(storageDir, { recursive: true, force: true }));

describe("POST /app/permits/:id/documents", () => {
  it("stores a PDF under a random key with its SHA-256, and answers a redirect to the Compliance page", async () => {
    const before = storedFiles();
    const res = await post(permitId, { bytes: PDF, name: "../../etc/FDNY certificate 2026.pdf", type: "application/pdf" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toMatch(/^\/app\/compliance/);
    const doc = await db.permitDocument.findFirstOrThrow({ where: { shopId, permitId }, orderBy: { uploadedAt: "desc" } });
    expect(doc).toMatchObject({
      fileName: "FDNY certificate 2026.pdf",
      contentType: "application/pdf",
      sizeBytes: PDF.byteLength,
    });
    expect(doc.sha256).toBe(createHash("sha256").update(PDF).digest("hex"));
    const added = storedFiles().filter((f) => !before.includes(f));
    expect(added).toHaveLength(1);
    // The key is Nearhub's own: nothing of the name the browser sent.
    expect(added[0]).not.toMatch(/FDNY|certificate|etc|\.pdf/);
    expect(doc.storageKey.split("/").join(path.sep)).toBe(added[0]);
  });

  it("reads the type from the bytes: an image declared as nothing in particular is taken as what it is", async () => {
    for (const [bytes, type] of [
      [PNG, "image/png"],
      [WEBP, "image/webp"],
    ] as const) {
      const res = await post(permitId, { bytes, name: "photo", type: "application/octet-stream" });
      expect(res.status).toBe(302);
      const doc = await db.permitDocument.findFirstOrThrow({ where: { shopId, permitId }, orderBy: { uploadedAt: "desc" } });
      expect(doc.contentType).toBe(type);
    }
  });

  it.each([
    ["a text file named and declared as a PDF", new Uint8Array(Buffer.from("just some text, not a PDF")), "permit.pdf", "application/pdf", /only a PDF, PNG, JPEG or WebP file/],
    ["an HTML page declared as an image", new Uint8Array(Buffer.from("<html><script>alert(1)</script></html>")), "x.png", "image/png", /only a PDF, PNG, JPEG or WebP file/],
    ["a PNG declared as a PDF", PNG, "scan.pdf", "application/pdf", /sent as application\/pdf but its contents are a PNG image/],
    ["an empty file", new Uint8Array(0), "empty.pdf", "application/pdf", /the file is empty/],
  ])("refuses %s with 400 and stores nothing", async (_what, bytes, name, type, message) => {
    const [rows, files] = [await db.permitDocument.count(), storedFiles().length];
    const res = await post(permitId, { bytes, name, type });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; field: string };
    expect(body.field).toBe("file");
    expect(body.error).toMatch(message);
    expect(await db.permitDocument.count()).toBe(rows);
    expect(storedFiles().length).toBe(files);
  });

  it("refuses a file over 10 MB with 413, naming the limit", async () => {
    const big = new Uint8Array(MAX_DOCUMENT_BYTES + 1);
    big.set(PDF);
    const rows = await db.permitDocument.count();
    const res = await post(permitId, { bytes: big, name: "big.pdf", type: "application/pdf" });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toMatch(/at most 10 MB/);
    expect(await db.permitDocument.count()).toBe(rows);
  });

  it("refuses a post without a file (400), to another shop's permit (404), and from another site (403)", async () => {
    expect((await post(permitId, null)).status).toBe(400);
    const rows = await db.permitDocument.count({ where: { permitId: otherPermitId } });
    expect((await post(otherPermitId, { bytes: PDF, name: "x.pdf", type: "application/pdf" })).status).toBe(404);
    expect(await db.permitDocument.count({ where: { permitId: otherPermitId } })).toBe(rows);
    expect((await post(permitId, { bytes: PDF, name: "x.pdf", type: "application/pdf" }, "https://evil.example")).status).toBe(403);
  });
});

describe("GET /app/permits/documents/:docId", () => {
  it("downloads the shop's document as an attachment, byte for byte", async () => {
    const doc = await db.permitDocument.findFirstOrThrow({ where: { shopId, contentType: "application/pdf" } });
    const res = await get(doc.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/pdf");
    expect(res.headers.get("Content-Disposition")).toBe(`attachment; filename="FDNY certificate 2026.pdf"; filename*=UTF-8''FDNY%20certificate%202026.pdf`);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PDF);
  });

  it("answers 404 for another shop's document and for an unknown id", async () => {
    const res = await get(otherDocId);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("%PDF");
    expect((await get("no-such-document")).status).toBe(404);
  });
});

describe("removing stored files", () => {
  it("deleting a permit removes its documents' files", async () => {
    const extra = await fireInspection(shopId, "Bushwick hub");
    const doc = await uploadPermitDocument(shopId, extra.id, { name: "a.pdf", type: "application/pdf", bytes: PDF });
    const key = doc.storageKey.split("/").join(path.sep);
    expect(storedFiles()).toContain(key);
    await deletePermit(shopId, extra.id);
    expect(storedFiles()).not.toContain(key);
    expect(await db.permitDocument.count({ where: { id: doc.id } })).toBe(0);
  });

  it("shop/redact removes every file of the shop and none of another", async () => {
    const other = await db.permitDocument.findMany({ where: { shop: { domain: OTHER } } });
    const mine = await db.permitDocument.findMany({ where: { shopId } });
    expect(other.length).toBeGreaterThan(0);
    expect(mine.length).toBeGreaterThan(0);
    const res = (await (shopRedact as Fn)({
      request: webhookRequest("/webhooks/shop/redact", { shop_id: 954889, shop_domain: OTHER }, { shop: OTHER, topic: "shop/redact" }),
      params: {},
      context: {},
    })) as Response;
    expect(res.status).toBe(200);
    const files = storedFiles();
    for (const d of other) expect(files).not.toContain(d.storageKey.split("/").join(path.sep));
    for (const d of mine) expect(files).toContain(d.storageKey.split("/").join(path.sep));
    expect(await db.permitDocument.count({ where: { id: { in: other.map((d) => d.id) } } })).toBe(0);
  });
});

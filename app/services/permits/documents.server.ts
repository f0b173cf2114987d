// A permit's documents (issue 14 item 6, ADR 0030): a PDF or an image (PNG, JPEG, WebP) per upload,
// at most 10 MB, its type read from its first bytes (what the browser declares is only checked
// against them), its SHA-256 recorded, its bytes in the storage adapter under a random key and a
// PermitDocument row in the shop. Deleting a permit removes its files (repository.deletePermit),
// shop/redact removes all of a shop's (privacy.server.ts).
import { createHash } from "node:crypto";
import type { PermitDocument } from "@prisma/client";
import { db } from "~/db.server";
import type { Tx } from "../config-version.server";
import { logger } from "../logger.server";
import { newStorageKey, storage } from "../storage.server";

export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
export const MAX_DOCUMENT_WORDS = "10 MB";

export const DOCUMENT_TYPES = {
  "application/pdf": { words: "PDF", ext: "pdf" },
  "image/png": { words: "PNG image", ext: "png" },
  "image/jpeg": { words: "JPEG image", ext: "jpg" },
  "image/webp": { words: "WebP image", ext: "webp" },
} as const;
export type DocumentType = keyof typeof DOCUMENT_TYPES;
const ACCEPTED_WORDS = "a PDF, PNG, JPEG or WebP file";

/** A refused upload: 400 (no file, wrong type) or 413 (too large); the message says why and the limit. */
export class DocumentRefusedError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 413,
  ) {
    super(message);
  }
}

export class DocumentNotFoundError extends Error {
  constructor(what: string) {
    super(`${what} was not found`);
  }
}

const startsWith = (bytes: Uint8Array, sig: readonly number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** The type the file's first bytes say it is (its "magic number"), or null for none of the accepted ones. */
export function sniffDocumentType(bytes: Uint8Array): DocumentType | null {
  if (startsWith(bytes, ascii("%PDF-"))) return "application/pdf";
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8)) return "image/webp";
  return null;
}

const megabytes = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;

/** The name to show and to download under: the last path segment, without control characters, at most 120 characters. */
export function cleanFileName(name: string, type: DocumentType): string {
  const base = [...(name.split(/[\\/]/).pop() ?? "")]
    .filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f && c !== '"')
    .join("")
    .trim()
    .slice(-120);
  return base || `document.${DOCUMENT_TYPES[type].ext}`;
}

export interface Upload {
  name: string;
  /** What the browser declared ("" when it declared nothing). */
  type: string;
  bytes: Uint8Array;
}

/** Checks an upload: the type from its bytes, within the size limit; throws DocumentRefusedError. */
export function checkUpload(upload: Upload): DocumentType {
  if (upload.bytes.byteLength === 0) throw new DocumentRefusedError(`file: the file is empty; choose ${ACCEPTED_WORDS} of at most ${MAX_DOCUMENT_WORDS}`, 400);
  if (upload.bytes.byteLength > MAX_DOCUMENT_BYTES) {
    throw new DocumentRefusedError(`file: the file is ${megabytes(upload.bytes.byteLength)}; a document may be at most ${MAX_DOCUMENT_WORDS}`, 413);
  }
  const type = sniffDocumentType(upload.bytes);
  if (!type) throw new DocumentRefusedError(`file: only ${ACCEPTED_WORDS} can be attached, and this file is none of these`, 400);
  const declared = upload.type.split(";")[0].trim().toLowerCase();
  if (declared && declared !== "application/octet-stream" && declared !== type && !(declared === "image/jpg" && type === "image/jpeg")) {
    throw new DocumentRefusedError(`file: the file is sent as ${declared} but its contents are a ${DOCUMENT_TYPES[type].words}`, 400);
  }
  return type;
}

/** Stores the upload as a document of the shop's permit. */
export async function uploadPermitDocument(shopId: string, permitId: string, upload: Upload, now = new Date()): Promise<PermitDocument> {
  const permit = await db.permit.findFirst({ where: { id: permitId, shopId }, select: { id: true } });
  if (!permit) throw new DocumentNotFoundError("The permit");
  const type = checkUpload(upload);
  const key = newStorageKey("permit-documents");
  await storage().put(key, upload.bytes);
  try {
    return await db.permitDocument.create({
      data: {
        shopId,
        permitId: permit.id,
        fileName: cleanFileName(upload.name, type),
        contentType: type,
        sizeBytes: upload.bytes.byteLength,
        sha256: createHash("sha256").update(upload.bytes).digest("hex"),
        storageKey: key,
        uploadedAt: now,
      },
    });
  } catch (error) {
    // The permit went meanwhile (or the database failed): no file without its row.
    await storage().delete(key).catch(() => undefined);
    throw error;
  }
}

export async function listPermitDocuments(shopId: string, permitId: string): Promise<PermitDocument[]> {
  return db.permitDocument.findMany({ where: { shopId, permitId }, orderBy: { uploadedAt: "desc" } });
}

/** A document of the shop with its bytes; DocumentNotFoundError for another shop's, or one whose file is gone. */
export async function readPermitDocument(shopId: string, documentId: string): Promise<{ document: PermitDocument; bytes: Uint8Array<ArrayBuffer> }> {
  const document = await db.permitDocument.findFirst({ where: { id: documentId, shopId } });
  if (!document) throw new DocumentNotFoundError("The document");
  const bytes = await storage().get(document.storageKey);
  if (!bytes) throw new DocumentNotFoundError("The document's file");
  return { document, bytes };
}

export async function deletePermitDocument(shopId: string, documentId: string): Promise<void> {
  const document = await db.permitDocument.findFirst({ where: { id: documentId, shopId }, select: { id: true, storageKey: true } });
  if (!document) throw new DocumentNotFoundError("The document");
  await db.permitDocument.delete({ where: { id: document.id } });
  await removeStoredFiles([document.storageKey]);
}

/** Removes stored files, logging (never throwing on) a file that cannot be removed: its row is already gone. */
export async function removeStoredFiles(keys: readonly string[]): Promise<void> {
  for (const key of keys) {
    await storage()
      .delete(key)
      .catch((error: unknown) => logger.warn({ storageKey: key, err: (error as Error).message }, "permit documents: a stored file could not be removed"));
  }
}

/**
 * The hook repository.deletePermit calls inside its transaction: reads the permit's stored files
 * before the rows cascade away, and returns what removes them once the transaction has committed.
 */
export async function permitDocumentsRemoval(tx: Tx, shopId: string, permitId: string): Promise<() => Promise<void>> {
  const rows = await tx.permitDocument.findMany({ where: { shopId, permitId }, select: { storageKey: true } });
  return () => removeStoredFiles(rows.map((r) => r.storageKey));
}

/** The same for every document of a shop (shop/redact), found by its domain. */
export async function shopDocumentsRemoval(tx: Tx, shopDomain: string): Promise<() => Promise<void>> {
  const rows = await tx.permitDocument.findMany({ where: { shop: { domain: shopDomain } }, select: { storageKey: true } });
  return () => removeStoredFiles(rows.map((r) => r.storageKey));
}

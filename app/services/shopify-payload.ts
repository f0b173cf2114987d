// Zod pieces of Shopify's webhook and Admin API payloads that several services read. A leaf module
// (no imports of the app): shopify.server imports the catalogue sync, which must not wait on
// webhooks.server for its schemas.
import { z } from "zod";

/** A Shopify timestamp (`updated_at`: "2026-11-25T14:00:00-05:00", or UTC with Z), as a Date. */
export const timestampSchema = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

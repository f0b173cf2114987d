// GET /app/permits/documents/:docId: download one of the shop's permit documents. Another shop's
// document, an unknown id or a file no longer stored is a 404.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/services/auth.server";
import { DocumentNotFoundError, readPermitDocument } from "~/services/permits/documents.server";

/** `attachment` with an ASCII fallback name and the real one in RFC 5987 form. */
function disposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  try {
    const { document, bytes } = await readPermitDocument(shop.id, params.docId ?? "");
    return new Response(bytes, {
      headers: {
        "Content-Type": document.contentType,
        "Content-Length": String(bytes.byteLength),
        "Content-Disposition": disposition(document.fileName),
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
      },
    });
  } catch (error) {
    if (error instanceof DocumentNotFoundError) {
      return new Response("No such document in this shop.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
    }
    throw error;
  }
}

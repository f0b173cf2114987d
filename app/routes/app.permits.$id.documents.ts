// POST /app/permits/:id/documents: attach a document (multipart field `file`: a PDF, PNG, JPEG or
// WebP of at most 10 MB) to one of the shop's permits. Answers a redirect back to the Compliance
// page, or JSON { error, field } with 400 (no file, wrong type), 413 (too large) or 404.
import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/services/auth.server";
import { DocumentNotFoundError, DocumentRefusedError, uploadPermitDocument } from "~/services/permits/documents.server";

const problem = (status: number, error: string) => Response.json({ error, field: "file" }, { status, headers: { "Cache-Control": "no-store" } });

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return problem(405, "use POST with a multipart form");
  const { shop } = await requireAdmin(request);
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return problem(400, "body: not a valid multipart form");
  }
  const file = form.get("file");
  if (!(file instanceof File)) return problem(400, "file: choose a PDF, PNG, JPEG or WebP file to attach");
  try {
    await uploadPermitDocument(shop.id, params.id ?? "", { name: file.name, type: file.type, bytes: new Uint8Array(await file.arrayBuffer()) });
  } catch (error) {
    if (error instanceof DocumentRefusedError) return problem(error.status, error.message);
    if (error instanceof DocumentNotFoundError) return problem(404, error.message);
    throw error;
  }
  return redirect("/app/compliance?uploaded=1");
}

export function loader() {
  return new Response("Attach a document by posting a form with a file to this address.", { status: 405, headers: { Allow: "POST" } });
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { openApiDocument } from "~/services/open-api/document";

// Public: the document describes the API; it reveals no shop data.
export function loader({ request }: LoaderFunctionArgs) {
  return Response.json(openApiDocument(new URL(request.url).origin), {
    headers: { "Cache-Control": "public, max-age=300" },
  });
}

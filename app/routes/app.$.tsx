// Any admin address that matches no page: a 404 inside the app frame (routes/app.tsx's boundary),
// not the bare root error page.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound } from "~/components/admin/not-found";
import { requireAdmin } from "~/services/auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  notFound("page");
}

export default function UnknownAdminPage() {
  return null;
}

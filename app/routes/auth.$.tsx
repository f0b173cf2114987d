import type { LoaderFunctionArgs } from "@remix-run/node";
import { refusal } from "~/services/http-guards.server";
import { authenticate } from "~/shopify.server";

const EXIT_IFRAME_PATH = "/auth/exit-iframe";

// OAuth callback and the other /auth/* steps are handled by the Shopify library.
export async function loader({ request }: LoaderFunctionArgs) {
  try {
    await authenticate.admin(request);
  } catch (error) {
    // The library refuses an exit-iframe request whose `exitIframe` is missing or not a destination it
    // trusts by throwing an Error, not a Response, which Remix would answer 500: it is the caller's mistake.
    if (!(error instanceof Response) && new URL(request.url).pathname === EXIT_IFRAME_PATH) {
      throw refusal(400, "exitIframe: missing, or not a destination Nearhub redirects to (the app itself or the shop's admin)", "text");
    }
    throw error;
  }
  return null;
}

// Storefront delivery promise through the app proxy: the theme app block
// (extensions/delivery-promise-theme) asks https://<shop>/apps/nearhub/promise?..., Shopify
// forwards it here with `shop`, `logged_in_customer_id`, `path_prefix`, `timestamp` and a
// `signature` (hex HMAC-SHA256 of the sorted key=value pairs, keyed with the app secret), which
// authenticate.public.appProxy verifies (400 when missing or wrong). Before that, `shop` must be one
// shop domain and no parameter may hold broken Unicode (400 naming it; the library would throw).
//
// Query: country (ISO 2), postal_code, province, city, lines = "variantId:quantity[:unitPriceMinor]"
// comma-separated (Liquid's numeric variant ids), locale. Answer: the same JSON promise as the
// checkout extension's backend.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { databaseProblem, isDatabaseUnavailable } from "~/db.server";
import {
  findInstalledShop,
  noShopPromise,
  promiseForShop,
  promiseRequestSchema,
} from "~/services/delivery-promise.server";
import { issueSummary } from "~/core/validation/issues";
import { enforceRateLimit } from "~/services/rate-limit.server";
import { badRequest, brokenUnicodeAt, shopDomainProblem } from "~/services/webhooks.server";
import { authenticate } from "~/shopify.server";

/** variantId:quantity[:unitPriceMinor]; the id as Liquid prints it (123) or as a gid. */
const LINE = /^((?:gid:\/\/shopify\/ProductVariant\/)?\d{1,20}):(\d{1,4})(?::(\d{1,9}))?$/;

/** The request object promiseRequestSchema parses, from the proxy's query string; a string names a bad field. */
export function requestFromQuery(params: URLSearchParams): Record<string, unknown> | string {
  const rawLines = (params.get("lines") ?? "").split(",").filter(Boolean);
  const lines: Record<string, unknown>[] = [];
  for (const raw of rawLines) {
    const m = LINE.exec(raw.trim());
    if (!m) return `lines: "${raw.slice(0, 40)}" is not variantId:quantity`;
    lines.push({
      variantId: m[1],
      quantity: Number(m[2]),
      ...(m[3] !== undefined ? { unitPriceMinor: Number(m[3]) } : {}),
    });
  }
  const opt = (key: string) => params.get(key) || undefined;
  return {
    destination: {
      country: params.get("country") ?? "",
      postalCode: opt("postal_code"),
      province: opt("province"),
      city: opt("city"),
    },
    lines,
    ...(opt("locale") ? { locale: opt("locale") } : {}),
  };
}

/** A query parameter no database can store (NUL; a URL cannot carry a lone surrogate): "name: …". */
function brokenParam(params: URLSearchParams): string | null {
  for (const [key, value] of params) {
    const at = brokenUnicodeAt({ [key]: value });
    if (at) return `${at}: not well-formed Unicode (NUL)`;
  }
  return null;
}

function json(body: unknown, status = 200): Response {
  // Shopper-specific (address) and time-bound: short private caching only.
  return Response.json(body, { status, headers: { "Cache-Control": "private, max-age=60" } });
}

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const problem = shopDomainProblem(params.getAll("shop"), "shop") ?? brokenParam(params);
  if (problem) return badRequest(problem);
  try {
    await authenticate.public.appProxy(request);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    // The signature is checked first (a bad one is the 400 Response above); what fails after it is
    // the library loading the shop's session. While the database is away, the page still gets an answer.
    if (isDatabaseUnavailable(thrown)) return json(noShopPromise({ status: "unavailable", error: databaseProblem(thrown) }, new Date()));
    throw thrown;
  }
  const shopDomain = params.get("shop") ?? "";
  // Signed by Shopify's proxy: the count is the shop's (the address here is the proxy's).
  await enforceRateLimit("proxyShop", shopDomain);
  const input = requestFromQuery(params);
  if (typeof input === "string") return badRequest(input);
  const parsed = promiseRequestSchema.safeParse(input);
  if (!parsed.success) return badRequest(issueSummary(parsed.error));

  const now = new Date();
  const lookup = await findInstalledShop(shopDomain);
  if (lookup.status !== "found") return json(noShopPromise(lookup, now));
  return json(await promiseForShop(lookup.shop, parsed.data, "APP_PROXY", now));
}

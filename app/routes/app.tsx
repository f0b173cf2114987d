// The embedded admin shell: App Bridge + Polaris inside Shopify admin; in demo mode the
// same pages with a plain navigation bar and no App Bridge script (no Shopify needed).
import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useLocation, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { env } from "~/env.server";
import { requireAdmin } from "~/services/auth.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const ADMIN_NAV = [
  { to: "/app", label: "Overview" },
  { to: "/app/network", label: "Network" },
  { to: "/app/shipping", label: "Shipping" },
  { to: "/app/routing", label: "Routing" },
  { to: "/app/deliveries", label: "Deliveries" },
  { to: "/app/insights", label: "Insights" },
  { to: "/app/returns", label: "Returns" },
  { to: "/app/activity", label: "Activity" },
  { to: "/app/settings", label: "Settings" },
] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop, demo } = await requireAdmin(request);
  return { apiKey: env().apiKey, demo, shopName: shop.name };
}

export default function AppLayout() {
  const { apiKey, demo, shopName } = useLoaderData<typeof loader>();
  const location = useLocation();
  return (
    <AppProvider isEmbeddedApp={!demo} apiKey={apiKey}>
      {demo ? (
        <nav aria-label="Nearhub" className="nh-demo-nav">
          <strong>Nearhub</strong>
          {ADMIN_NAV.map((item) => (
            <Link
              key={item.to}
              to={item.to}
              aria-current={
                (item.to === "/app" ? location.pathname === "/app" : location.pathname.startsWith(item.to))
                  ? "page"
                  : undefined
              }
            >
              {item.label}
            </Link>
          ))}
          <span className="nh-demo-shop">Demo: {shopName}</span>
          <style dangerouslySetInnerHTML={{ __html: DEMO_NAV_CSS }} />
        </nav>
      ) : (
        <NavMenu>
          {ADMIN_NAV.map((item) => (
            <Link key={item.to} to={item.to} rel={item.to === "/app" ? "home" : undefined}>
              {item.label}
            </Link>
          ))}
        </NavMenu>
      )}
      <Outlet />
    </AppProvider>
  );
}

const DEMO_NAV_CSS = `
.nh-demo-nav{display:flex;gap:1rem;align-items:center;padding:.75rem 1.25rem;background:#1a1a1a;color:#fff;font:14px/1.4 -apple-system,BlinkMacSystemFont,"San Francisco","Segoe UI",Roboto,sans-serif;flex-wrap:wrap}
.nh-demo-nav a{color:#e3e3e3;text-decoration:none;padding:.25rem .5rem;border-radius:6px}
.nh-demo-nav a[aria-current=page]{background:#303030;color:#fff}
.nh-demo-nav .nh-demo-shop{margin-left:auto;color:#b5b5b5;font-size:12px}
`;

// Shopify needs Remix to catch thrown responses (redirects for auth) and add headers.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);

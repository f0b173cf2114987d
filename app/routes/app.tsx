// The embedded admin shell: App Bridge + Polaris inside Shopify admin; in demo mode the
// same pages with a plain navigation bar and no App Bridge script (no Shopify needed).
import type { ReactNode } from "react";
import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, Outlet, isRouteErrorResponse, useLoaderData, useLocation, useRevalidator, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { Button, Card, BlockStack, InlineStack, Link as PolarisLink, Text } from "@shopify/polaris";
import { AdminPage } from "~/components/admin/AdminPage";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { notFoundThing } from "~/components/admin/not-found";
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
  { to: "/app/compliance", label: "Compliance" },
  { to: "/app/campaigns", label: "Campaigns" },
  { to: "/app/activity", label: "Activity" },
  { to: "/app/settings", label: "Settings" },
] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop, demo } = await requireAdmin(request);
  return { apiKey: env().apiKey, demo, shopName: shop.name };
}

/** The frame the browser showed last, for an error page whose data request failed whole (client only: never shared between shops on the server). */
let lastFrame: FrameProps | undefined;

export default function AppLayout() {
  const frame = useLoaderData<typeof loader>();
  if (typeof document !== "undefined") lastFrame = frame;
  return (
    <AppFrame {...frame}>
      <Outlet />
    </AppFrame>
  );
}

type FrameProps = Awaited<ReturnType<typeof loader>>;

/** The app's frame: Polaris and, embedded, App Bridge's navigation; in the demo, a navigation bar. */
function AppFrame({ apiKey, demo, shopName, children }: FrameProps & { children: ReactNode }) {
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
      <main>{children}</main>
    </AppProvider>
  );
}

const DEMO_NAV_CSS = `
.nh-demo-nav{display:flex;gap:1rem;align-items:center;padding:.75rem 1.25rem;background:#1a1a1a;color:#fff;font:14px/1.4 -apple-system,BlinkMacSystemFont,"San Francisco","Segoe UI",Roboto,sans-serif;flex-wrap:wrap}
.nh-demo-nav a{color:#e3e3e3;text-decoration:none;padding:.25rem .5rem;border-radius:6px}
.nh-demo-nav a[aria-current=page]{background:#303030;color:#fff}
.nh-demo-nav .nh-demo-shop{margin-left:auto;color:#b5b5b5;font-size:12px}
`;

/** The section of ADMIN_NAV a path belongs to (Overview for /app itself and unknown paths). */
export function sectionOf(pathname: string): (typeof ADMIN_NAV)[number] {
  return ADMIN_NAV.slice(1).find((item) => pathname === item.to || pathname.startsWith(`${item.to}/`)) ?? ADMIN_NAV[0];
}

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The tab title of a page that failed: what went wrong, in words. */
export const meta: MetaFunction = ({ error }) => {
  if (!error) return [{ title: "Nearhub" }];
  if (isRouteErrorResponse(error) && error.status === 404) {
    const thing = notFoundThing(error.data);
    return [{ title: `${thing ? capitalised(thing) : "Page"} not found · Nearhub` }];
  }
  return [{ title: "Page could not be loaded · Nearhub" }];
};

/**
 * An error under /app, shown inside the app frame with its navigation: a 404 says what was not
 * found and links back to its section; any other failure says the page could not be loaded and
 * offers to try again (re-running the loaders). Shopify's own thrown responses (App Bridge's
 * bounce and exit-iframe pages, session-token retries: 2xx–4xx that are not 404) still go to
 * Shopify's boundary, which needs to render them.
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const frame = useRouteLoaderData<typeof loader>("routes/app") ?? (typeof document !== "undefined" ? lastFrame : undefined);
  const location = useLocation();
  if (isRouteErrorResponse(error) && error.status !== 404 && error.status < 500) return boundary.error(error);
  const section = sectionOf(location.pathname);
  const body =
    isRouteErrorResponse(error) && error.status === 404 ? (
      <NotFound thing={notFoundThing(error.data)} section={section} shopName={frame?.shopName} />
    ) : (
      <LoadFailed section={section} />
    );
  // Without the frame's data (the frame's own loader failed) the page still gets Polaris, unembedded.
  return <AppFrame {...(frame ?? { apiKey: "", demo: true, shopName: "your shop" })}>{body}</AppFrame>;
}

function NotFound({ thing, section, shopName }: { thing: string | null; section: (typeof ADMIN_NAV)[number]; shopName?: string }) {
  const what = thing ?? "page";
  return (
    <AdminPage layout="form" title={`${capitalised(what)} not found`}>
      <Card>
        <BlockStack gap="300">
          <Text as="p">
            {thing
              ? `There is no ${what} at this address in ${shopName ?? "your shop"}. It may have been removed, or the link is wrong.`
              : "There is no page at this address in Nearhub. The link may be wrong or out of date."}
          </Text>
          <InlineStack>
            <PolarisLink url={section.to}>Back to {section.label}</PolarisLink>
          </InlineStack>
        </BlockStack>
      </Card>
    </AdminPage>
  );
}

function LoadFailed({ section }: { section: (typeof ADMIN_NAV)[number] }) {
  const revalidator = useRevalidator();
  return (
    <AdminPage layout="form" title="This page could not be loaded">
      <Card>
        <BlockStack gap="300">
          <Text as="p">
            Nearhub could not load this page&apos;s data just now. Nothing was changed. Try again in a moment; if it keeps
            failing, the problem has been logged for the team.
          </Text>
          <InlineStack gap="300" blockAlign="center">
            <Button variant="primary" loading={revalidator.state === "loading"} onClick={() => revalidator.revalidate()}>
              Try again
            </Button>
            <PolarisLink url={section.to}>Back to {section.label}</PolarisLink>
          </InlineStack>
        </BlockStack>
      </Card>
    </AdminPage>
  );
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);

// The routing section's own navigation, shown under each routing page's title.
import { useLocation } from "@remix-run/react";
import { Tabs } from "@shopify/polaris";

export const ROUTING_TABS = [
  { id: "routing-log", content: "Routing log", url: "/app/routing" },
  { id: "routing-settings", content: "Settings", url: "/app/routing/settings" },
] as const;

export function RoutingTabs() {
  const { pathname } = useLocation();
  const path = pathname.replace(/\/+$/, "");
  const selected = path === "/app/routing/settings" ? 1 : 0;
  return <Tabs tabs={ROUTING_TABS.map((t) => ({ ...t }))} selected={selected} fitted={false} />;
}

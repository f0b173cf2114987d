// The returns section's own navigation, shown under each returns page's title.
import { useLocation } from "@remix-run/react";
import { Tabs } from "@shopify/polaris";

export const RETURNS_TABS = [
  { id: "returns-queue", content: "Queue", url: "/app/returns" },
  { id: "returns-rules", content: "Rules & tester", url: "/app/returns/rules" },
  { id: "returns-analytics", content: "Analytics", url: "/app/returns/analytics" },
  { id: "returns-settings", content: "Settings", url: "/app/returns/settings" },
] as const;

export function ReturnsTabs() {
  const { pathname } = useLocation();
  const path = pathname.replace(/\/+$/, "");
  let selected = 0;
  RETURNS_TABS.forEach((tab, i) => {
    if (i > 0 && (path === tab.url || path.startsWith(`${tab.url}/`))) selected = i;
  });
  return <Tabs tabs={RETURNS_TABS.map((t) => ({ ...t }))} selected={selected} fitted={false} />;
}

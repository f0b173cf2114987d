// The shipping section's own navigation, shown under each shipping page's title.
import { useLocation } from "@remix-run/react";
import { Tabs } from "@shopify/polaris";

export const SHIPPING_TABS = [
  { id: "shipping-overview", content: "Overview", url: "/app/shipping" },
  { id: "shipping-rate-cards", content: "Rate cards", url: "/app/shipping/rate-cards" },
  { id: "shipping-couriers", content: "Couriers & corridors", url: "/app/shipping/couriers" },
  { id: "shipping-nodes", content: "Node operations", url: "/app/shipping/nodes" },
  { id: "shipping-pricing", content: "Pricing & backup rates", url: "/app/shipping/pricing" },
  { id: "shipping-simulator", content: "Quote simulator", url: "/app/shipping/simulator" },
] as const;

export function ShippingTabs() {
  const { pathname } = useLocation();
  const path = pathname.replace(/\/+$/, "");
  let selected = 0;
  SHIPPING_TABS.forEach((tab, i) => {
    if (i > 0 && (path === tab.url || path.startsWith(`${tab.url}/`))) selected = i;
  });
  return <Tabs tabs={SHIPPING_TABS.map((t) => ({ ...t }))} selected={selected} fitted={false} />;
}

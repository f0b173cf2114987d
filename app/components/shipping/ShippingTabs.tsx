// The shipping section's own navigation, shown under each shipping page's title.
import { SectionTabs } from "~/components/admin/SectionTabs";

export const SHIPPING_TABS = [
  { id: "shipping-overview", content: "Overview", url: "/app/shipping" },
  { id: "shipping-rate-cards", content: "Rate cards", url: "/app/shipping/rate-cards" },
  { id: "shipping-couriers", content: "Couriers & corridors", url: "/app/shipping/couriers" },
  { id: "shipping-nodes", content: "Node operations", url: "/app/shipping/nodes" },
  { id: "shipping-pricing", content: "Pricing & backup rates", url: "/app/shipping/pricing" },
  { id: "shipping-simulator", content: "Quote simulator", url: "/app/shipping/simulator" },
] as const;

export function ShippingTabs() {
  return <SectionTabs label="Shipping pages" tabs={SHIPPING_TABS} />;
}

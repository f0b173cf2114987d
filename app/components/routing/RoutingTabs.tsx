// The routing section's own navigation, shown under each routing page's title.
import { SectionTabs } from "~/components/admin/SectionTabs";

export const ROUTING_TABS = [
  { id: "routing-log", content: "Routing log", url: "/app/routing" },
  { id: "routing-settings", content: "Settings", url: "/app/routing/settings" },
] as const;

export function RoutingTabs() {
  return <SectionTabs label="Routing pages" tabs={ROUTING_TABS} />;
}

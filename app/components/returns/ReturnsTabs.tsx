// The returns section's own navigation, shown under each returns page's title.
import { SectionTabs } from "~/components/admin/SectionTabs";

export const RETURNS_TABS = [
  { id: "returns-queue", content: "Queue", url: "/app/returns" },
  { id: "returns-rules", content: "Rules & tester", url: "/app/returns/rules" },
  { id: "returns-analytics", content: "Analytics", url: "/app/returns/analytics" },
  { id: "returns-settings", content: "Settings", url: "/app/returns/settings" },
] as const;

export function ReturnsTabs() {
  return <SectionTabs label="Returns pages" tabs={RETURNS_TABS} />;
}

// The one page layout of the admin: Polaris' Page with its width chosen by one rule, so no page
// picks its own.
//
// THE RULE: a page whose job is to edit one thing's settings or to add one thing (`layout="form"`)
// is Polaris' centred column, where a form's fields and help text keep a readable line length.
// Every other page (`layout="data"`: lists, dashboards, a record's detail, tools that show results)
// is full width, because its tables, maps and charts need the room.
import { Page, type PageProps } from "@shopify/polaris";

export type AdminPageLayout = "data" | "form";

export interface AdminPageProps extends Omit<PageProps, "fullWidth" | "narrowWidth"> {
  layout: AdminPageLayout;
}

export function AdminPage({ layout, ...props }: AdminPageProps) {
  return <Page {...props} fullWidth={layout === "data"} />;
}

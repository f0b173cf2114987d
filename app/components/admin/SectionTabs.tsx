// A section's own navigation (Shipping, Returns, Routing), shown under each of its pages' titles:
// links in a <nav>, the current page marked with aria-current. Not Polaris' Tabs: those are for
// switching views inside one page (role=tablist), and at 768 px they fold into a "More views"
// menu that leaves the tab list without tabs (axe: aria-required-children). These wrap instead.
import { Link, useLocation } from "@remix-run/react";

export interface SectionTab {
  id: string;
  content: string;
  url: string;
}

/** The tab whose address is the page's, or the longest one the page's address starts with. */
export function selectedTab(tabs: readonly SectionTab[], pathname: string): number {
  const path = pathname.replace(/\/+$/, "");
  let selected = 0;
  let best = -1;
  tabs.forEach((tab, i) => {
    if ((path === tab.url || path.startsWith(`${tab.url}/`)) && tab.url.length > best) {
      selected = i;
      best = tab.url.length;
    }
  });
  return selected;
}

export function SectionTabs({ label, tabs }: { label: string; tabs: readonly SectionTab[] }) {
  const { pathname } = useLocation();
  const selected = selectedTab(tabs, pathname);
  return (
    <nav aria-label={label} className="nh-section-tabs">
      {tabs.map((tab, i) => (
        <Link key={tab.id} id={tab.id} to={tab.url} prefetch="intent" aria-current={i === selected ? "page" : undefined}>
          {tab.content}
        </Link>
      ))}
      <style dangerouslySetInnerHTML={{ __html: SECTION_TABS_CSS }} />
    </nav>
  );
}

// Polaris' tab look from its tokens: a bold label on a tinted pill for the current page.
const SECTION_TABS_CSS = `
.nh-section-tabs{display:flex;flex-wrap:wrap;gap:var(--p-space-100);padding:var(--p-space-100) 0 var(--p-space-300)}
.nh-section-tabs a{font-size:var(--p-font-size-325);line-height:var(--p-font-line-height-500);font-weight:var(--p-font-weight-medium);color:var(--p-color-text-secondary);text-decoration:none;padding:var(--p-space-150) var(--p-space-300);border-radius:var(--p-border-radius-200)}
.nh-section-tabs a:hover{background:var(--p-color-bg-fill-transparent-hover);color:var(--p-color-text)}
.nh-section-tabs a:focus-visible{outline:var(--p-border-width-050) solid var(--p-color-border-focus);outline-offset:var(--p-space-025)}
.nh-section-tabs a[aria-current=page]{background:var(--p-color-bg-fill-transparent-selected);color:var(--p-color-text);font-weight:var(--p-font-weight-semibold)}
`;

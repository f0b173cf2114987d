// Return analytics: how fast returns are inspected and resold, per hub and per product; how much
// of what was refunded comes back through resale; what the reverse leg costs per return; and the
// share inspected within 48 hours of receipt (the playbook's target). Figures come from every
// returned line's own timestamps (core returnMetrics over the lines' stored states).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import type { ComponentProps } from "react";
import { BlockStack, Card, InlineGrid, Layout, Text } from "@shopify/polaris";
import { AdminPage } from "~/components/admin/AdminPage";
import { BarChart } from "~/components/returns/BarChart";
import { ReturnsTabs } from "~/components/returns/ReturnsTabs";
import { formatMinor } from "~/core/money/money";
import { formatPercent } from "~/core/format/format";
import { requireAdmin } from "~/services/auth.server";
import { returnAnalyticsView } from "~/services/returns-admin.server";

export const meta: MetaFunction = () => [{ title: "Return analytics · Nearhub" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  return returnAnalyticsView(shop);
}

const days = (d: number | null) => (d === null ? "–" : d < 1 ? `${Math.round(d * 24)} h` : `${d.toFixed(1)} d`);
const pct = (p: number | null) => (p === null ? "–" : formatPercent(p, 0));

/** One per-hub figure as a half-width card: heading, an optional note, the chart. */
function HubChart({ heading, note, chart }: { heading: string; note?: string; chart: ComponentProps<typeof BarChart> }) {
  return (
    <Layout.Section variant="oneHalf">
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            {heading}
          </Text>
          {note ? (
            <Text as="p" variant="bodySm" tone="subdued">
              {note}
            </Text>
          ) : null}
          <BarChart {...chart} />
        </BlockStack>
      </Card>
    </Layout.Section>
  );
}

export default function ReturnAnalytics() {
  const a = useLoaderData<typeof loader>();
  const fmt = (m: number) => formatMinor(m, a.currency);
  const t = a.total;
  return (
    <AdminPage layout="data" title="Returns" subtitle="Resale velocity, recovery and cost of returns">
      <BlockStack gap="400">
        <ReturnsTabs />
        <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
          <Kpi label="Inspected within 48 h" value={pct(a.within48h.share)} note={`${a.within48h.within} of ${a.within48h.inspected} inspected items`} />
          <Kpi label="Recovery rate" value={pct(t?.recoveryRate ?? null)} note={t ? `${fmt(t.recoveredMinor)} resold of ${fmt(t.refundedMinor)} refunded` : "no returns yet"} />
          <Kpi label="Reverse cost per return" value={t ? fmt(t.reverseCostPerReturnMinor) : "–"} note={t ? `${fmt(t.reverseCostMinor)} over ${t.returns} returned items` : ""} />
          <Kpi label="Receipt to resale" value={days(t?.receiptToResaleDays ?? null)} note={t ? `mean over ${t.resold} resold items; inspection ${days(t.receiptToInspectionDays)}` : ""} />
        </InlineGrid>
        <Layout>
          <HubChart
            heading="Days from receipt to inspection, per hub"
            chart={{
              id: "hub-inspection",
              title: "Mean days from receipt to inspection per hub",
              bars: a.byHub.map((h) => ({ label: h.name, value: h.receiptToInspectionDays, display: days(h.receiptToInspectionDays) })),
              target: { value: 2, label: "48 h" },
            }}
          />
          <HubChart
            heading="Days from receipt to resale, per hub"
            chart={{
              id: "hub-resale",
              title: "Mean days from receipt to resale per hub",
              color: "#005bd3",
              bars: a.byHub.map((h) => ({ label: h.name, value: h.receiptToResaleDays, display: days(h.receiptToResaleDays) })),
            }}
          />
          <HubChart
            heading="Recovery rate, per hub"
            note="Resale proceeds as a share of what was refunded."
            chart={{
              id: "hub-recovery",
              title: "Recovery rate per hub",
              color: "#8051ff",
              bars: a.byHub.map((h) => ({ label: h.name, value: h.recoveryRate, display: pct(h.recoveryRate) })),
            }}
          />
          <HubChart
            heading="Reverse cost per return, per hub"
            chart={{
              id: "hub-reverse-cost",
              title: "Reverse logistics cost per returned item per hub",
              color: "#b98900",
              bars: a.byHub.map((h) => ({ label: h.name, value: h.reverseCostPerReturnMinor, display: fmt(h.reverseCostPerReturnMinor) })),
            }}
          />
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Per product (most returned first)
                </Text>
                <BarChart
                  id="product-resale"
                  width={1200}
                  title="Mean days from receipt to resale per product"
                  color="#005bd3"
                  bars={a.byProduct.map((p) => ({ label: p.name, value: p.receiptToResaleDays, display: days(p.receiptToResaleDays) }))}
                />
                <div className="nh-analytics-table">
                  <table>
                    <thead>
                      <tr>
                        <th>Product</th>
                        <th>Returned</th>
                        <th>Inspected (on time)</th>
                        <th>Receipt → inspection</th>
                        <th>Resold</th>
                        <th>Receipt → resale</th>
                        <th>Recovery</th>
                        <th>Reverse cost / return</th>
                      </tr>
                    </thead>
                    <tbody>
                      {a.byProduct.map((p) => (
                        <tr key={p.key}>
                          <td>{p.name}</td>
                          <td>{p.returns}</td>
                          <td>
                            {p.inspected} ({p.inspectedOnTime})
                          </td>
                          <td>{days(p.receiptToInspectionDays)}</td>
                          <td>{p.resold}</td>
                          <td>{days(p.receiptToResaleDays)}</td>
                          <td>{pct(p.recoveryRate)}</td>
                          <td>{fmt(p.reverseCostPerReturnMinor)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </BlockStack>
            </Card>
          </Layout.Section>
        </Layout>
      </BlockStack>
      <style
        dangerouslySetInnerHTML={{
          __html: `.nh-analytics-table{overflow-x:auto}.nh-analytics-table table{border-collapse:collapse;width:100%;font-size:13px}.nh-analytics-table th,.nh-analytics-table td{padding:8px;border-top:1px solid #e3e3e3;text-align:left}`,
        }}
      />
    </AdminPage>
  );
}

function Kpi({ label, value, note }: { label: string; value: string; note: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="p" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingXl">
          {value}
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          {note}
        </Text>
      </BlockStack>
    </Card>
  );
}

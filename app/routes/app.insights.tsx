// Network insights: where a year of orders clusters (map of H3 hexagons with the nodes on top),
// what each city cluster and each seller should ship from (local micro-hub, micro-factory or the
// central warehouse) with the figures behind it, and the two suggested pilot clusters with why.
// The analysis runs in the background on a year of orders and is cached for a few minutes; while
// it runs the page shows its progress and checks again every second.
import {
  data as answer,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  useRevalidator,
} from "@remix-run/react";
import { useEffect } from "react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  InlineGrid,
  InlineStack,
  Layout,
  List,
  ProgressBar,
  Spinner,
  Text,
} from "@shopify/polaris";
import { AdminPage } from "~/components/admin/AdminPage";
import { ClusterChart } from "~/components/insights/ClusterChart";
import { DensityMap } from "~/components/insights/DensityMap";
import { formatMinor } from "~/core/money/money";
import { getHexagonAreaAvg, UNITS } from "h3-js";
import { formatDateTime } from "~/core/format/format";
import { requireAdmin } from "~/services/auth.server";
import { WINDOW_DAYS, type Recommendation } from "~/core/density/insights";
import { insightsFor } from "~/services/insights.server";
import { queueOrderImport } from "~/services/orders/import.server";
import {
  orderSyncView,
  type OrderSyncView,
} from "~/services/orders/sync-view.server";

/** City clusters drawn on the map: the pilots first, then the busiest. */
const MAP_PANELS = 4;

export const meta: MetaFunction = () => [
  { title: "Network insights · Nearhub" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop, demo, conventions } = await requireAdmin(request);
  const url = new URL(request.url);
  const [state, orderSync] = await Promise.all([
    insightsFor(shop, { refresh: url.searchParams.get("refresh") === "1" }),
    orderSyncView(shop),
  ]);
  if (state.state !== "ready") return { state, ready: null, orderSync, demo };
  const { view } = state;
  const pilots = new Set(view.result.pilots.map((p) => p.cell));
  const mapped = new Set(
    [...view.result.clusters]
      .filter((c) => c.share >= 0.02)
      .sort(
        (a, b) =>
          Number(pilots.has(b.cell)) - Number(pilots.has(a.cell)) ||
          b.orders - a.orders
      )
      .slice(0, MAP_PANELS)
      .map((c) => c.cell)
  );
  return {
    state: { state: "ready" as const },
    orderSync,
    demo,
    ready: {
      currency: view.currency,
      computedAt: formatDateTime(view.computedAt, conventions),
      units: { unitSystem: conventions.unitSystem, weightUnit: conventions.weightUnit },
      // The hexagons' mean area, for the map's legend ("about 14 mi²").
      cellAreaM2: getHexagonAreaAvg(view.result.config.h3Resolution, UNITS.m2),
      tookMs: view.tookMs,
      result: {
        ...view.result,
        // Only the hexagons of the clusters the map shows: the rest would only weigh on the page.
        cells: view.result.cells.filter((c) => mapped.has(c.cluster)),
      },
      mapped: [...mapped],
      pilots: [...pilots],
      nodes: view.nodes,
    },
  };
}

/** "Import order history": the last 12 months of orders read from Shopify in the background (ADR 0025). */
export async function action({ request }: ActionFunctionArgs) {
  const { shop, demo } = await requireAdmin(request);
  const form = await request.formData();
  if (form.get("intent") !== "import-orders")
    return answer({ ok: false, message: "Unknown action" }, { status: 400 });
  // Nothing to do is an answer, not a refusal (the page is shown with it).
  if (demo)
    return answer({
      ok: false,
      message:
        "The demo store's orders are its own: there is no Shopify store to import from.",
    });
  const current = await orderSyncView(shop);
  if (current.busy)
    return answer({ ok: false, message: "The import is already under way." });
  await queueOrderImport(shop.id);
  return answer({
    ok: true,
    message: "Importing your order history: this page shows how far it got.",
  });
}

/** The order history import: its state, progress and the button that starts it. */
function OrderHistory({ sync, demo }: { sync: OrderSyncView; demo: boolean }) {
  const result = useActionData<typeof action>();
  const busy = useNavigation().formData?.get("intent") === "import-orders";
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Order history from Shopify
          </Text>
          {demo ? <Badge tone="info">Demo orders</Badge> : <Badge tone={sync.tone}>{sync.label}</Badge>}
        </InlineStack>
        <Text as="p">
          {demo
            ? "The demo store's orders are its own (a seeded year of them): there is no Shopify store to import from. On a connected store this imports the last 12 months of orders."
            : sync.sentence}
        </Text>
        {sync.progress !== null ? (
          <ProgressBar
            progress={Math.round(sync.progress * 100)}
            size="small"
          />
        ) : null}
        {result ? (
          <Banner
            tone={result.ok ? "success" : "warning"}
            title={result.message}
          />
        ) : null}
        {sync.busy || demo ? null : (
          <Form method="post">
            <input type="hidden" name="intent" value="import-orders" />
            <Button submit loading={busy}>
              {sync.state === "never"
                ? "Import order history"
                : "Import order history again"}
            </Button>
          </Form>
        )}
      </BlockStack>
    </Card>
  );
}

const REC: Record<
  Recommendation,
  { label: string; tone: "success" | "info" | undefined; help: string }
> = {
  LOCAL: {
    label: "Local micro-fulfilment",
    tone: "success",
    help: "a city micro-hub (or the seller's studio) ships same day",
  },
  MICRO_FACTORY: {
    label: "Micro-factory",
    tone: "info",
    help: "made-to-order items are made near the buyers",
  },
  CENTRAL: {
    label: "Central warehouse",
    tone: undefined,
    help: "orders are too few or too spread out for a local node",
  },
};

const pct = (x: number) => `${Math.round(x * 100)}%`;

export default function InsightsPage() {
  const data = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const computing = data.state.state === "computing" || data.orderSync.busy;
  useEffect(() => {
    if (!computing) return;
    const t = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 1000);
    return () => clearInterval(t);
  }, [computing, revalidator]);

  if (data.state.state === "computing") {
    return (
      <AdminPage layout="data"
        title="Network insights"
        subtitle="Where your orders cluster and where local fulfilment would pay"
      >
        <BlockStack gap="400">
          <OrderHistory sync={data.orderSync} demo={data.demo} />
          <Card>
            <BlockStack gap="300" inlineAlign="start">
              <Spinner size="small" accessibilityLabel="Analysing orders" />
              <Text as="p">
                Analysing the last {WINDOW_DAYS} days of orders:{" "}
                {data.state.stage} ({Math.round(data.state.progress * 100)}%).
                This page updates by itself.
              </Text>
              <div style={{ width: "100%" }}>
                <ProgressBar
                  progress={Math.round(data.state.progress * 100)}
                  size="small"
                />
              </div>
            </BlockStack>
          </Card>
        </BlockStack>
      </AdminPage>
    );
  }
  const ready = data.ready;
  if (data.state.state === "failed" || !ready) {
    return (
      <AdminPage layout="data" title="Network insights">
        <BlockStack gap="400">
          <OrderHistory sync={data.orderSync} demo={data.demo} />
          <Banner tone="critical" title="The analysis failed">
            <p>
              {data.state.state === "failed" ? data.state.error : "No result."}{" "}
              Reload the page to try again.
            </p>
          </Banner>
        </BlockStack>
      </AdminPage>
    );
  }

  const { result, currency, pilots, nodes, computedAt, tookMs, mapped, units, cellAreaM2 } = ready;
  const pilotSet = new Set(pilots);
  const mappedSet = new Set(mapped);
  // Local fulfilment against the central warehouse, a month: it can cost more as well as save.
  const savingText = (m: number | null) =>
    m === null
      ? null
      : m < 0
      ? `costs ${formatMinor(-m, currency)} more`
      : `saves ${formatMinor(m, currency)}`;
  const mapClusters = result.clusters
    .filter((c) => mappedSet.has(c.cell))
    .map((c) => ({
      cell: c.cell,
      name: c.name,
      orders: c.orders,
      pilot: pilotSet.has(c.cell),
    }));
  mapClusters.sort(
    (a, b) => Number(b.pilot) - Number(a.pilot) || b.orders - a.orders
  );
  const chart = result.clusters.slice(0, 8).map((c) => ({
    cell: c.cell,
    name: c.name,
    ordersPerDay: c.ordersPerDay,
    sameCityShare: c.sameCityShare,
    saving: savingText(c.savingPerMonthMinor),
    pilot: pilotSet.has(c.cell),
  }));

  return (
    <AdminPage layout="data"
      title="Network insights"
      subtitle={`${result.orders.toLocaleString("en-US")} orders over ${
        result.days
      } days: where they cluster and where local fulfilment would pay`}
    >
      <Layout>
        <Layout.Section>
          <OrderHistory sync={data.orderSync} demo={data.demo} />
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="p">
                Orders are grouped into H3 hexagons (resolution{" "}
                {result.config.h3Resolution}); hexagons with at least{" "}
                {result.config.cell.minOrdersPerDay} orders a day form city
                clusters, and a cluster needs at least{" "}
                {result.config.cluster.minOrdersPerDay} orders a day (the rest
                is the long tail, served centrally). A cluster is worth local
                micro-fulfilment from {result.config.local.minOrdersPerDay}{" "}
                orders a day when serving it locally costs at most{" "}
                {formatMinor(
                  -result.config.local.minSavingPerOrderMinor,
                  currency
                )}{" "}
                more an order than central; a micro-factory from{" "}
                {result.config.microFactory.minUnitsPerDay} made-to-order units
                a day ({pct(result.config.microFactory.minShare)} of its units).
                The saving is priced by the same landed-cost engine as checkout,
                on a sample of {result.config.saving.sampleOrders} of the
                cluster's orders: its local nodes (or a new hub at its centre)
                against the central warehouse. Same-city share: units sold by
                sellers based in the cluster.
              </Text>
              <Text as="p" variant="bodySm" tone="subdued">
                Computed {computedAt} in{" "}
                {(tookMs / 1000).toFixed(1)} s; kept for 5 minutes.{" "}
                <Link to="/app/insights?refresh=1">Recompute now</Link>
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>

        <Layout.Section>
          <BlockStack gap="300">
            <Text as="h2" variant="headingLg">
              Suggested pilot clusters
            </Text>
            {result.pilots.length === 0 ? (
              <Card>
                <Text as="p" tone="subdued">
                  No cluster is dense enough for a local pilot yet: every
                  cluster is best served from the central warehouse.
                </Text>
              </Card>
            ) : (
              <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
                {result.pilots.map((p, i) => {
                  const c = result.clusters.find((x) => x.cell === p.cell)!;
                  return (
                    <Card key={p.cell}>
                      <BlockStack gap="200">
                        <Text as="h3" variant="headingMd">
                          {i + 1}. {p.name}{" "}
                          <Badge tone={REC[c.recommendation].tone}>
                            {REC[c.recommendation].label}
                          </Badge>
                        </Text>
                        <InlineGrid columns={3} gap="200">
                          <Figure
                            label="Orders a day"
                            value={c.ordersPerDay.toFixed(1)}
                          />
                          <Figure
                            label="Same-city share"
                            value={pct(c.sameCityShare)}
                          />
                          <Figure
                            label="Local fulfilment, a month"
                            value={savingText(c.savingPerMonthMinor) ?? "—"}
                          />
                        </InlineGrid>
                        <List>
                          {p.why.map((w) => (
                            <List.Item key={w}>{w}</List.Item>
                          ))}
                        </List>
                        <Text as="p" variant="bodySm" tone="subdued">
                          Local nodes:{" "}
                          {c.localNodes.length
                            ? c.localNodes.join(", ")
                            : "none yet"}
                        </Text>
                      </BlockStack>
                    </Card>
                  );
                })}
              </InlineGrid>
            )}
            <Card>
              <BlockStack gap="200">
                <Text as="h3" variant="headingMd">
                  Clusters compared
                </Text>
                <ClusterChart clusters={chart} />
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>

        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingLg">
                Where the orders are
              </Text>
              <DensityMap
                cells={result.cells}
                clusters={mapClusters}
                nodes={nodes}
                units={units}
                cellAreaM2={cellAreaM2}
              />
            </BlockStack>
          </Card>
        </Layout.Section>

        <Layout.Section>
          <Card padding="0">
            <div className="nh-insights-table">
              <table aria-label="Recommendation per cluster">
                <caption>
                  <Text as="h2" variant="headingMd">
                    Per cluster
                  </Text>
                </caption>
                <thead>
                  <tr>
                    <th>Cluster</th>
                    <th className="nh-num">Orders</th>
                    <th className="nh-num">A day</th>
                    <th className="nh-num">Same-city</th>
                    <th className="nh-num">Made to order</th>
                    <th>Recommendation</th>
                    <th>Why</th>
                  </tr>
                </thead>
                <tbody>
                  {result.clusters.slice(0, 15).map((c) => (
                    <tr key={c.cell}>
                      <td>{c.name}</td>
                      <td className="nh-num">
                        {c.orders.toLocaleString("en-US")}
                      </td>
                      <td className="nh-num">{c.ordersPerDay.toFixed(1)}</td>
                      <td className="nh-num">{pct(c.sameCityShare)}</td>
                      <td className="nh-num">{pct(c.madeShare)}</td>
                      <td>
                        <Badge tone={REC[c.recommendation].tone}>
                          {REC[c.recommendation].label}
                        </Badge>
                      </td>
                      <td>{c.reasons.join("; ")}</td>
                    </tr>
                  ))}
                  {result.longTail.orders > 0 && (
                    <tr>
                      <td>Everywhere else (long tail)</td>
                      <td className="nh-num">
                        {result.longTail.orders.toLocaleString("en-US")}
                      </td>
                      <td className="nh-num">
                        {result.longTail.ordersPerDay.toFixed(1)}
                      </td>
                      <td className="nh-num">—</td>
                      <td className="nh-num">—</td>
                      <td>
                        <Badge tone={REC.CENTRAL.tone}>
                          {REC.CENTRAL.label}
                        </Badge>
                      </td>
                      <td>
                        {pct(result.longTail.share)} of all orders, too spread
                        out for a local node
                      </td>
                    </tr>
                  )}
                </tbody>
              </table>
            </div>
          </Card>
        </Layout.Section>

        <Layout.Section>
          <Card padding="0">
            <div className="nh-insights-table">
              <table aria-label="Recommendation per seller">
                <caption>
                  <Text as="h2" variant="headingMd">
                    Per seller
                  </Text>
                </caption>
                <thead>
                  <tr>
                    <th>Seller</th>
                    <th className="nh-num">Orders</th>
                    <th className="nh-num">Own city</th>
                    <th className="nh-num">Made to order</th>
                    <th>Most orders in</th>
                    <th>Recommendation</th>
                    <th>Why</th>
                  </tr>
                </thead>
                <tbody>
                  {result.sellers.map((s) => (
                    <tr key={s.id}>
                      <td>
                        {s.name}
                        <br />
                        <Text as="span" variant="bodySm" tone="subdued">
                          {s.city}
                        </Text>
                      </td>
                      <td className="nh-num">
                        {s.orders.toLocaleString("en-US")}
                      </td>
                      <td className="nh-num">{pct(s.sameCityShare)}</td>
                      <td className="nh-num">{pct(s.madeShare)}</td>
                      <td>{s.topCluster ?? "—"}</td>
                      <td>
                        <Badge tone={REC[s.recommendation].tone}>
                          {REC[s.recommendation].label}
                        </Badge>
                      </td>
                      <td>{s.reasons.join("; ")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Card>
        </Layout.Section>
      </Layout>
      <style dangerouslySetInnerHTML={{ __html: TABLE_CSS }} />
    </AdminPage>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <BlockStack gap="050">
      <Text as="span" variant="bodySm" tone="subdued">
        {label}
      </Text>
      <Text as="span" variant="headingLg">
        {value}
      </Text>
    </BlockStack>
  );
}

const TABLE_CSS = `
.nh-insights-table{overflow-x:auto}
.nh-insights-table caption{text-align:left;padding:12px}
.nh-insights-table table{width:100%;border-collapse:collapse;font-size:14px}
.nh-insights-table th,.nh-insights-table td{padding:8px 12px;text-align:left;border-top:1px solid #e3e3e3;vertical-align:top}
.nh-insights-table th{font-weight:600;background:#f7f7f7}
.nh-insights-table .nh-num{text-align:right;font-variant-numeric:tabular-nums}
`;

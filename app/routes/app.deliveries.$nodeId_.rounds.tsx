// A hub's route sheet for today (issue 16 item 1): the day's local orders in the waves of its
// cut-offs, each wave's routes for the hub's riders, cargo bikes or vans (or its subscription
// courier) with the stops in the order to drive them and when each door is reached, what each route
// costs, and any order a wave could not take with why. Printable from the browser; planned when the
// page opens (services/rounds.server.ts), so it follows the day's orders as they come.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, DataTable, EmptyState, InlineStack, Layout, List, Text } from "@shopify/polaris";
import { AdminPage } from "~/components/admin/AdminPage";
import { notFound } from "~/components/admin/not-found";
import { formatDistance } from "~/core/geo/distance";
import { formatMinor } from "~/core/money/money";
import { formatMinutes } from "~/core/rounds";
import { requireAdmin } from "~/services/auth.server";
import { routeSheet } from "~/services/rounds.server";

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [{ title: `Today's rounds · ${loaded?.sheet.node.name ?? "Hub"} · Nearhub` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const sheet = await routeSheet(shop.id, params.nodeId ?? "", Date.now());
  if (!sheet) notFound("node");
  return { sheet };
}

function timeIn(zone: string) {
  const f = new Intl.DateTimeFormat("en-US", { timeZone: zone, hour: "numeric", minute: "2-digit" });
  return (ms: number) => f.format(ms);
}

export default function RouteSheetPage() {
  const { sheet } = useLoaderData<typeof loader>();
  const at = timeIn(sheet.node.timezone);
  const zone = sheet.node.timezone.replace(/_/g, " ");
  const money = (m: number) => formatMinor(m, sheet.currency);
  const routes = sheet.waves.reduce((n, w) => n + w.routes.length, 0);
  return (
    <AdminPage
      layout="data"
      title={`Today's rounds from ${sheet.node.name}`}
      subtitle={sheet.notPlanned ? undefined : `${sheet.stops} stops on ${routes} ${routes === 1 ? "route" : "routes"}${sheet.perStopMinor != null ? ` · ${money(sheet.perStopMinor)} a stop` : ""} · times in ${zone}`}
      backAction={{ content: "Deliveries", url: `/app/deliveries/${sheet.node.id}` }}
    >
      <Layout>
        {sheet.notPlanned ? (
          <Layout.Section>
            <Card>
              <EmptyState heading="No rounds to plan" image="">
                <p>{sheet.notPlanned}</p>
              </EmptyState>
            </Card>
          </Layout.Section>
        ) : (
          <>
            <Layout.Section>
              <InlineStack align="space-between" blockAlign="center">
                <Text as="p" tone="subdued">
                  The day&apos;s local orders, gathered by cut-off and put in the order to drive them. It changes as orders come in: print it when a wave leaves.
                </Text>
                <Button onClick={() => window.print()}>Print route sheet</Button>
              </InlineStack>
            </Layout.Section>
            {sheet.withoutCoordinates.length > 0 ? (
              <Layout.Section>
                <Banner tone="warning" title={`${sheet.withoutCoordinates.length} local ${sheet.withoutCoordinates.length === 1 ? "order has" : "orders have"} no map position`}>
                  <p>{`Not on any route: ${sheet.withoutCoordinates.join(", ")}. Shopify did not give their address a position.`}</p>
                </Banner>
              </Layout.Section>
            ) : null}
            {sheet.waves.length === 0 ? (
              <Layout.Section>
                <Card>
                  <EmptyState heading="No local orders today yet" image="">
                    <p>Orders that leave {sheet.node.name} for addresses in its delivery area appear here, in routes, as they are fulfilled.</p>
                  </EmptyState>
                </Card>
              </Layout.Section>
            ) : null}
            {sheet.waves.map((w) => (
              <Layout.Section key={w.label + w.dispatchAt}>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingLg">
                    {`${w.label} wave · leaves ${at(w.dispatchAt)}`}
                  </Text>
                  <Text as="p" tone="subdued">
                    {[w.way ? `Driven by ${w.way}` : null, w.perStopMinor != null ? `${money(w.totalMinor)} in all, ${money(w.perStopMinor)} a stop` : null].filter(Boolean).join(" · ")}
                  </Text>
                  {w.routes.map((r, i) => (
                    <Card key={i}>
                      <BlockStack gap="200">
                        <Text as="h3" variant="headingMd">
                          {`Route ${i + 1}: ${r.vehicle}`}
                        </Text>
                        <Text as="p">
                          {`Leaves ${at(r.departAt)}, back ${at(r.returnAt)} · ${formatDistance(r.roadM)} · ${formatMinutes(r.minutes)} · ${money(r.costMinor)} (${money(r.costPerStopMinor)} a stop)`}
                        </Text>
                        <DataTable
                          columnContentTypes={["numeric", "text", "text", "numeric", "text"]}
                          headings={["Stop", "Order", "Address", "Items", "At the door"]}
                          rows={r.stops.map((s, j) => [String(j + 1), s.orderName, s.destination || "—", String(s.items), at(s.arriveAt)])}
                        />
                      </BlockStack>
                    </Card>
                  ))}
                  {w.unserved.length > 0 ? (
                    <Banner tone="warning" title="Not on this wave's routes">
                      <List>
                        {w.unserved.map((u) => (
                          <List.Item key={u.orderName}>{`${u.orderName}: ${u.reason}`}</List.Item>
                        ))}
                      </List>
                    </Banner>
                  ) : null}
                  <Box>
                    <Text as="p" tone="subdued" variant="bodySm">
                      {w.reasons.join(" · ")}
                    </Text>
                  </Box>
                </BlockStack>
              </Layout.Section>
            ))}
          </>
        )}
      </Layout>
    </AdminPage>
  );
}

// Overview: what needs the merchant now (each item a link), the few numbers that matter with their
// trend, and what the network holds.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, InlineGrid, InlineStack, Layout, List, ProgressBar, Text } from "@shopify/polaris";
import { AdminPage } from "~/components/admin/AdminPage";
import { StatCards } from "~/components/admin/StatCards";
import { NODE_KIND_LABELS, type NodeKind } from "~/core/network/types";
import { WeeklyOrdersChart } from "~/components/WeeklyOrdersChart";
import { requireAdmin } from "~/services/auth.server";
import { networkOverview } from "~/services/overview.server";

export const meta: MetaFunction = () => [{ title: "Overview · Nearhub" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  return networkOverview(shop.id, new Date());
}

const percent = (share: number | null) => (share === null ? "—" : `${Math.round(share * 100)}%`);

/** "up from 31% in the 30 days before", with a tone when it got better or worse. */
function trendWords(value: number | null, previous: number | null, format: (v: number) => string, lowerIsBetter = false): { text: string; tone: "success" | "critical" | undefined } {
  if (value === null) return { text: "nothing routed in the last 30 days", tone: undefined };
  if (previous === null) return { text: "nothing routed in the 30 days before to compare with", tone: undefined };
  if (value === previous) return { text: "the same as the 30 days before", tone: undefined };
  const better = lowerIsBetter ? value < previous : value > previous;
  return { text: `${value > previous ? "up" : "down"} from ${format(previous)} in the 30 days before`, tone: better ? "success" : "critical" };
}

export default function Overview() {
  const data = useLoaderData<typeof loader>();
  const sameDay = trendWords(data.sameDayShare.value, data.sameDayShare.previous, (v) => percent(v));
  const cost = trendWords(data.costPerOrder.value, data.costPerOrder.previous, () => data.costPerOrder.previousText ?? "—", true);
  const stats = [
    { label: "Active nodes", value: data.activeNodes },
    { label: "Sellers", value: data.sellers },
    { label: "SKUs with a logistics profile", value: data.products },
    { label: "Orders, last 30 days", value: data.ordersLast30Days },
  ];
  return (
    <AdminPage layout="data" title="Nearhub overview">
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                To do
              </Text>
              {data.todos.length === 0 ? (
                <Text as="p" tone="subdued">
                  Nothing waits for you: no inspection is late, every order moved in Shopify and every permit is in force.
                </Text>
              ) : (
                <BlockStack gap="200">
                  {data.todos.map((t) => (
                    <InlineStack key={t.key} gap="200" blockAlign="center" wrap={false}>
                      <Badge tone={t.tone}>{t.label}</Badge>
                      <Link to={t.href}>{t.text}</Link>
                    </InlineStack>
                  ))}
                </BlockStack>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingSm">
                  Orders today by node
                </Text>
                {data.ordersToday.length === 0 ? (
                  <Text as="p" tone="subdued">
                    No active node.
                  </Text>
                ) : null}
                {data.ordersToday.map((n) => (
                  <BlockStack key={n.nodeId} gap="100">
                    <InlineStack align="space-between" wrap={false} gap="200">
                      <Text as="span" variant="bodySm">
                        {n.name}
                      </Text>
                      <Text as="span" variant="bodySm" tone="subdued">
                        {n.orders} of {n.capacity}
                      </Text>
                    </InlineStack>
                    <ProgressBar progress={n.capacity > 0 ? Math.min(100, (n.orders / n.capacity) * 100) : 100} size="small" />
                  </BlockStack>
                ))}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="100">
                <Text as="h2" variant="headingSm">
                  Same-day share, last 30 days
                </Text>
                <Text as="p" variant="headingXl">
                  {percent(data.sameDayShare.value)}
                </Text>
                <Text as="p" variant="bodySm" tone={sameDay.tone}>
                  Of the shipments Nearhub routed; {sameDay.text}.
                </Text>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="100">
                <Text as="h2" variant="headingSm">
                  Cost per order, last 30 days
                </Text>
                <Text as="p" variant="headingXl">
                  {data.costPerOrder.text ?? "—"}
                </Text>
                <Text as="p" variant="bodySm" tone={cost.tone}>
                  Landed cost of the routed orders; {cost.text}.
                </Text>
              </BlockStack>
            </Card>
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <StatCards stats={stats} columns={{ xs: 1, sm: 2, md: 4 }} />
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Orders per week
              </Text>
              <Text as="p" tone="subdued">
                The last twelve months of orders Nearhub knows about: the demand the network has to serve.
              </Text>
              <WeeklyOrdersChart weeks={data.ordersByWeek} />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Your network by kind
              </Text>
              <List>
                {data.nodesByKind.map((k) => (
                  <List.Item key={k.kind}>
                    {NODE_KIND_LABELS[k.kind as NodeKind] ?? k.kind}: {k.count}
                  </List.Item>
                ))}
                {data.nodesByKind.length === 0 ? <List.Item>No nodes yet: add your first one under Network.</List.Item> : null}
              </List>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </AdminPage>
  );
}

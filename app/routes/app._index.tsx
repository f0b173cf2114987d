// Overview: what the network holds today, and where to go next.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, InlineGrid, InlineStack, Layout, List, Text } from "@shopify/polaris";
import { AdminPage } from "~/components/admin/AdminPage";
import { NODE_KIND_LABELS, type NodeKind } from "~/core/network/types";
import { WeeklyOrdersChart } from "~/components/WeeklyOrdersChart";
import { requireAdmin } from "~/services/auth.server";
import { networkOverview } from "~/services/overview.server";
import { permitToDos } from "~/services/permits/reminders.server";

export const meta: MetaFunction = () => [{ title: "Overview · Nearhub" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const now = new Date();
  const [overview, todos] = await Promise.all([networkOverview(shop.id, now), permitToDos(shop.id, now.getTime())]);
  return { ...overview, todos };
}

const TODO_BADGE = { critical: "Out of service", warning: "In grace period", attention: "Renewal due" } as const;

export default function Overview() {
  const data = useLoaderData<typeof loader>();
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
          <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
            {stats.map((s) => (
              <Card key={s.label}>
                <BlockStack gap="100">
                  <Text as="p" variant="bodySm" tone="subdued">
                    {s.label}
                  </Text>
                  <Text as="p" variant="headingXl">
                    {s.value.toLocaleString("en-US")}
                  </Text>
                </BlockStack>
              </Card>
            ))}
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                To do
              </Text>
              {data.todos.length === 0 ? (
                <Text as="p" tone="subdued">
                  Nothing waits for you: every permit is in force and none is due for renewal.
                </Text>
              ) : (
                <BlockStack gap="200">
                  {data.todos.map((t) => (
                    <InlineStack key={t.permitId} gap="200" blockAlign="center" wrap={false}>
                      <Badge tone={t.tone}>{TODO_BADGE[t.tone]}</Badge>
                      <Text as="p">
                        {t.text}.
                        {t.task ? ` Renewal task: ${t.task.done} of ${t.task.total} steps done${t.task.owner ? `, ${t.task.owner}` : ""}.` : ""}
                      </Text>
                    </InlineStack>
                  ))}
                  <Link to="/app/compliance">Renew them on the Compliance page</Link>
                </BlockStack>
              )}
            </BlockStack>
          </Card>
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

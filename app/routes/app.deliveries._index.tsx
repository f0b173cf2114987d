// Deliveries: each node with today's fulfillments and how many are still to deliver; a hub's page
// (app.deliveries.$nodeId.tsx) is the tablet its riders mark deliveries on.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, InlineStack, Layout, Text } from "@shopify/polaris";
import { AdminPage } from "~/components/admin/AdminPage";
import { NODE_KIND_LABELS, type NodeKind } from "~/core/network/types";
import { requireAdmin } from "~/services/auth.server";
import { hubsWithDeliveries } from "~/services/deliveries/hub.server";

export const meta: MetaFunction = () => [{ title: "Deliveries · Nearhub" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const hubs = await hubsWithDeliveries(shop.id, Date.now());
  return { hubs: hubs.map((h) => ({ ...h, kindLabel: NODE_KIND_LABELS[h.kind as NodeKind] ?? h.kind })) };
}

export default function DeliveriesIndex() {
  const { hubs } = useLoaderData<typeof loader>();
  return (
    <AdminPage layout="data" title="Deliveries" subtitle="Open a hub's page on its tablet: riders mark each parcel delivered, and Shopify shows it to the shopper.">
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              {hubs.map((h) => (
                <InlineStack key={h.id} align="space-between" blockAlign="center">
                  <BlockStack gap="050">
                    <Link to={`/app/deliveries/${h.id}`}>
                      <Text as="span" variant="headingSm">
                        {h.name}
                      </Text>
                    </Link>
                    <Text as="span" tone="subdued" variant="bodySm">
                      {h.kindLabel}
                    </Text>
                  </BlockStack>
                  <InlineStack gap="200">
                    <Text as="span">{h.today === 0 ? "Nothing shipped yet today" : `${h.today} shipped today`}</Text>
                    {h.toDeliver > 0 ? <Badge tone="attention">{`${h.toDeliver} to deliver`}</Badge> : h.today > 0 ? <Badge tone="success">All delivered</Badge> : null}
                  </InlineStack>
                </InlineStack>
              ))}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </AdminPage>
  );
}

// Network: the shop's nodes as a table and as a map drawn without tiles.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Card,
  EmptyState,
  IndexTable,
  Layout,
  Link,
  Page,
  Text,
} from "@shopify/polaris";
import { NetworkMap, type MapNode } from "~/components/NetworkMap";
import { serviceAreaSummary } from "~/components/NodeForm";
import { NODE_KIND_LABELS } from "~/core/network/types";
import { requireAdmin } from "~/services/auth.server";
import { listNodes, toNetworkNode } from "~/services/network.server";

export const meta: MetaFunction = () => [{ title: "Network · Nearhub" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const rows = await listNodes(shop.id);
  const nodes = rows.map((row) => {
    const node = toNetworkNode(row);
    return {
      ...node,
      city: row.city,
      province: row.province,
    };
  });
  return { nodes, currency: shop.currency };
}

export default function NetworkIndex() {
  const { nodes } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  // ?saved=<id> after a create or edit; only a node of this shop's list is named.
  const saved = nodes.find((n) => n.id === params.get("saved"));

  const mapNodes: MapNode[] = nodes.map((n) => ({
    id: n.id,
    name: n.name,
    kind: n.kind,
    status: n.status,
    city: n.city,
    latitude: n.latitude,
    longitude: n.longitude,
    radiusM: n.serviceArea.radiusM,
    polygon: n.serviceArea.polygon,
  }));

  const active = nodes.filter((n) => n.status === "ACTIVE").length;

  return (
    <Page
      title="Network"
      subtitle={`${nodes.length} node${nodes.length === 1 ? "" : "s"}, ${active} active`}
      primaryAction={{ content: "Add node", url: "/app/network/new" }}
    >
      <Layout>
        {saved ? (
          <Layout.Section>
            <Banner tone="success" title={`Saved ${saved.name}`} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          {nodes.length === 0 ? (
            <Card>
              <EmptyState
                heading="Describe your first fulfilment node"
                action={{ content: "Add node", url: "/app/network/new" }}
                image=""
              >
                <p>A central warehouse, a city micro-hub, a micro-factory, a store or a creator&apos;s studio.</p>
              </EmptyState>
            </Card>
          ) : (
            <Card padding="0">
              <IndexTable
                resourceName={{ singular: "node", plural: "nodes" }}
                itemCount={nodes.length}
                selectable={false}
                headings={[
                  { title: "Name" },
                  { title: "Kind" },
                  { title: "City" },
                  { title: "Status" },
                  { title: "Capacity", alignment: "end" },
                  { title: "Same-day cut-off" },
                  { title: "Service area" },
                ]}
              >
                {nodes.map((n, index) => (
                  <IndexTable.Row id={n.id} key={n.id} position={index}>
                    <IndexTable.Cell>
                      <Link url={`/app/network/${n.id}`} removeUnderline dataPrimaryLink>
                        <Text as="span" variant="bodyMd" fontWeight="semibold">
                          {n.name}
                        </Text>
                      </Link>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{NODE_KIND_LABELS[n.kind]}</IndexTable.Cell>
                    <IndexTable.Cell>{n.province ? `${n.city}, ${n.province}` : n.city}</IndexTable.Cell>
                    <IndexTable.Cell>
                      {n.status === "ACTIVE" ? <Badge tone="success">Active</Badge> : <Badge>Disabled</Badge>}
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {`${n.dailyCapacity.toLocaleString("en-US")}/day`}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{n.sameDayCutoff ?? <Text as="span" tone="subdued">No same-day</Text>}</IndexTable.Cell>
                    <IndexTable.Cell>
                      {serviceAreaSummary(n.serviceArea.radiusM, n.serviceArea.polygon !== null)}
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            </Card>
          )}
        </Layout.Section>
        {nodes.length > 0 ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <BlockStack gap="100">
                  <Text as="h2" variant="headingMd">
                    Map
                  </Text>
                  <Text as="p" tone="subdued">
                    Nodes and their service areas to scale, one panel per city area. Hover a node for its details.
                  </Text>
                </BlockStack>
                <NetworkMap nodes={mapNodes} />
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
      </Layout>
    </Page>
  );
}

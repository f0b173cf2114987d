// Network: the shop's nodes as a table and as a map drawn without tiles.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, EmptyState, InlineStack, IndexTable, Layout, Link, Text } from "@shopify/polaris";
import { AdminPage } from "~/components/admin/AdminPage";
import { NetworkMap, type MapNode } from "~/components/NetworkMap";
import { serviceAreaSummary } from "~/components/NodeForm";
import { NODE_KIND_LABELS } from "~/core/network/types";
import { formatDateTime } from "~/core/format/format";
import { requireAdmin } from "~/services/auth.server";
import { catalogSummary, catalogSyncJob, queueCatalogSync } from "~/services/catalog-sync.server";
import { lastJob } from "~/services/jobs/index.server";
import { listNodes, toNetworkNode } from "~/services/network.server";

export const meta: MetaFunction = () => [{ title: "Network · Nearhub" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop, demo, conventions } = await requireAdmin(request);
  const rows = await listNodes(shop.id);
  const nodes = rows.map((row) => {
    const node = toNetworkNode(row);
    return {
      ...node,
      city: row.city,
      province: row.province,
    };
  });
  const job = await lastJob(catalogSyncJob.name, shop.id);
  const sync = job
    ? { state: job.state, attempts: job.attempts, maxAttempts: job.maxAttempts, finishedAt: job.finishedAt ? formatDateTime(job.finishedAt, conventions) : null, lastError: job.lastError }
    : null;
  return { nodes, currency: shop.currency, units: { unitSystem: conventions.unitSystem, weightUnit: conventions.weightUnit }, demo, catalog: await catalogSummary(shop.id), sync };
}

type SyncAnswer = { error: string; queued: false } | { error: null; queued: true };

export async function action({ request }: ActionFunctionArgs) {
  const { shop, admin, demo } = await requireAdmin(request);
  const form = await request.formData();
  if (form.get("intent") !== "sync") return data<SyncAnswer>({ error: "Unknown action", queued: false }, { status: 400 });
  if (demo || !admin) {
    return data<SyncAnswer>({ error: "Syncing needs a connected Shopify store; the demo has none.", queued: false }, { status: 409 });
  }
  await queueCatalogSync(shop.id);
  return data<SyncAnswer>({ error: null, queued: true });
}

const SYNC_STATE: Record<string, string> = {
  waiting: "Sync queued: it starts in a moment.",
  running: "Syncing from Shopify…",
  retrying: "The last attempt failed; it is tried again shortly.",
  completed: "Last sync finished",
  dead: "The sync failed after every attempt.",
  cancelled: "The last sync gave way to a newer one.",
};

function CatalogCard() {
  const { catalog, demo, sync } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const busy = useNavigation().formData?.get("intent") === "sync";
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              Products and stock from Shopify
            </Text>
            <Text as="p" tone="subdued">
              {catalog.products} products ({catalog.fromShopify} linked to a Shopify variant), {catalog.stockLevels} stock levels at{" "}
              {catalog.nodesWithStock} nodes. Stock comes from the Shopify location linked to each node, kept current by Shopify&apos;s
              inventory updates; routing and quotes use only this.
            </Text>
          </BlockStack>
          <Form method="post">
            <input type="hidden" name="intent" value="sync" />
            <Button submit loading={busy} disabled={demo}>
              Sync from Shopify
            </Button>
          </Form>
        </InlineStack>
        {demo ? (
          <Text as="p" tone="subdued">
            This is the demo: its products and stock are seeded, and there is no Shopify store to read them from.
          </Text>
        ) : null}
        {catalog.withDefaultProfile > 0 ? (
          <Banner tone="warning" title={`${catalog.withDefaultProfile} products still have the default size and return rate`}>
            <p>
              Shopify knows a variant&apos;s weight but not its size or how often it comes back: new products get 250 × 200 × 100 mm and 8%
              returns until you set them (open API <code>/api/v1/products</code> lists them).
            </p>
          </Banner>
        ) : null}
        {answer?.error ? <Banner tone="critical" title={answer.error} /> : null}
        {sync ? (
          <Banner
            tone={sync.state === "dead" ? "critical" : sync.state === "retrying" ? "warning" : sync.state === "completed" ? "success" : "info"}
            title={`${SYNC_STATE[sync.state] ?? sync.state}${sync.state === "completed" && sync.finishedAt ? ` ${sync.finishedAt}` : ""}`}
          >
            {sync.lastError && sync.state !== "completed" ? (
              <p>
                Attempt {sync.attempts} of {sync.maxAttempts}: {sync.lastError}
              </p>
            ) : null}
            <p>
              <Link url="/app/activity">Activity</Link> lists every background job.
            </p>
          </Banner>
        ) : null}
      </BlockStack>
    </Card>
  );
}

export default function NetworkIndex() {
  const { nodes, units } = useLoaderData<typeof loader>();
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
    <AdminPage layout="data"
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
          <CatalogCard />
        </Layout.Section>
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
                  // Kind and place sit under the name: seven columns did not fit at 768 px (test/e2e/crawl).
                  { title: "Node" },
                  { title: "Status" },
                  { title: "Capacity", alignment: "end" },
                  { title: "Same-day cut-off" },
                  { title: "Service area" },
                ]}
              >
                {nodes.map((n, index) => (
                  <IndexTable.Row id={n.id} key={n.id} position={index}>
                    <IndexTable.Cell>
                      <BlockStack gap="050">
                        <Link url={`/app/network/${n.id}`} removeUnderline dataPrimaryLink>
                          <Text as="span" variant="bodyMd" fontWeight="semibold">
                            {n.name}
                          </Text>
                        </Link>
                        <Text as="span" variant="bodySm" tone="subdued">
                          {NODE_KIND_LABELS[n.kind]} · {n.province ? `${n.city}, ${n.province}` : n.city}
                        </Text>
                      </BlockStack>
                    </IndexTable.Cell>
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
                      {serviceAreaSummary(n.serviceArea.radiusM, n.serviceArea.polygon !== null, units)}
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
                <NetworkMap nodes={mapNodes} units={units} />
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
      </Layout>
    </AdminPage>
  );
}

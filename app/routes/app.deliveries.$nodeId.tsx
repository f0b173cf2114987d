// A hub's deliveries on a tablet, for its own riders: today's fulfillments that left the node (and
// earlier ones still on their way), each with a big "Delivered" button and an "Out for delivery"
// one. A tap records the delivery event once and posts it to Shopify (fulfillmentEventCreate), so
// the shopper's order page shows it; each row says whether Shopify has it. Session token auth as
// every admin page; a fulfillment of another node or shop is not found.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, EmptyState, InlineStack, Layout, Text } from "@shopify/polaris";
import { AdminPage } from "~/components/admin/AdminPage";
import { z } from "zod";
import { requireAdmin } from "~/services/auth.server";
import { hubDeliveries, markFulfillment, RiderMarkError } from "~/services/deliveries/hub.server";
import { notFound } from "~/components/admin/not-found";

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [{ title: `Deliveries · ${loaded?.node.name ?? "Hub"} · Nearhub` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const found = await hubDeliveries(shop.id, params.nodeId ?? "", Date.now());
  if (!found) notFound("node");
  return found;
}

const markSchema = z.object({
  fulfillmentId: z.string().min(1, "Choose the delivery").max(100),
  status: z.enum(["OUT_FOR_DELIVERY", "DELIVERED"], { error: "Choose Delivered or Out for delivery" }),
});

type ActionResult = { ok: boolean; message: string; fulfillmentId: string | null };

export async function action({ request, params }: ActionFunctionArgs) {
  const { shop, admin } = await requireAdmin(request);
  const form = await request.formData();
  const parsed = markSchema.safeParse({ fulfillmentId: form.get("fulfillmentId") ?? "", status: form.get("status") ?? "" });
  if (!parsed.success) return data<ActionResult>({ ok: false, message: parsed.error.issues[0].message, fulfillmentId: null }, { status: 400 });
  try {
    const result = await markFulfillment(shop, admin, { nodeId: params.nodeId ?? "", ...parsed.data });
    return data<ActionResult>({ ok: true, message: result.message, fulfillmentId: parsed.data.fulfillmentId });
  } catch (error) {
    if (error instanceof RiderMarkError) return data<ActionResult>({ ok: false, message: error.message, fulfillmentId: parsed.data.fulfillmentId }, { status: 409 });
    throw error;
  }
}

const SHOPIFY_BADGE = {
  SENT: { tone: "success", words: "Shopify has it" },
  WAITING: { tone: "attention", words: "Not in Shopify yet" },
  REFUSED: { tone: "critical", words: "Shopify refused it" },
  NONE: { tone: undefined, words: null },
} as const;

function ShopifyBadge({ state }: { state: keyof typeof SHOPIFY_BADGE }) {
  const b = SHOPIFY_BADGE[state];
  return b.words ? <Badge tone={b.tone}>{b.words}</Badge> : null;
}

export default function HubDeliveriesPage() {
  const { node, rows, counts } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const busyWith = nav.state !== "idle" ? String(nav.formData?.get("fulfillmentId") ?? "") : null;
  const open = rows.filter((r) => r.deliveredAtLocal === null);
  const done = rows.filter((r) => r.deliveredAtLocal !== null);
  return (
    <AdminPage layout="data"
      title={`Deliveries from ${node.name}`}
      subtitle={`${counts.total} today · ${counts.total - counts.delivered} to deliver · ${counts.delivered} delivered · times in ${node.timezone.replace("_", " ")}`}
      backAction={{ content: "All hubs", url: "/app/deliveries" }}
      secondaryActions={[{ content: "Today's rounds", url: `/app/deliveries/${node.id}/rounds` }]}
    >
      <Layout>
        {result ? (
          <Layout.Section>
            <Banner tone={result.ok ? "success" : "warning"}>{result.message}</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          {open.length === 0 ? (
            <Card>
              <EmptyState heading="Nothing left to deliver" image="">
                <p>Every fulfillment that left {node.name} today is delivered. New ones appear here as Shopify reports them.</p>
              </EmptyState>
            </Card>
          ) : (
            <BlockStack gap="400">
              {open.map((r) => (
                <Card key={r.id}>
                  <InlineStack align="space-between" blockAlign="center" gap="400" wrap={false}>
                    <BlockStack gap="150">
                      <InlineStack gap="200" blockAlign="center">
                        <Text as="h2" variant="headingLg">
                          {r.orderName}
                        </Text>
                        <Badge tone={r.status === "OUT_FOR_DELIVERY" ? "info" : undefined}>{r.statusWords}</Badge>
                        <ShopifyBadge state={r.shopify.state} />
                      </InlineStack>
                      <Text as="p" variant="bodyLg">
                        {[r.destination || null, r.items ? `${r.items} item${r.items === 1 ? "" : "s"}` : null, `left at ${r.shippedAtLocal}`, r.trackingCompany].filter(Boolean).join(" · ")}
                      </Text>
                      {r.shopify.message ? (
                        <Text as="p" tone="subdued" variant="bodySm">
                          {r.shopify.message}
                        </Text>
                      ) : null}
                    </BlockStack>
                    {r.carriedBy ? (
                      <Text as="p" tone="subdued">
                        {`${r.carriedBy} delivers it and reports each step`}
                      </Text>
                    ) : (
                      <InlineStack gap="300" blockAlign="center" wrap={false}>
                        {r.canMarkOut ? (
                          <Form method="post">
                            <input type="hidden" name="fulfillmentId" value={r.id} />
                            <input type="hidden" name="status" value="OUT_FOR_DELIVERY" />
                            <Button submit size="large" disabled={busyWith === r.id}>
                              Out for delivery
                            </Button>
                          </Form>
                        ) : null}
                        <Form method="post">
                          <input type="hidden" name="fulfillmentId" value={r.id} />
                          <input type="hidden" name="status" value="DELIVERED" />
                          <div className="nh-delivered-button">
                            <Button submit variant="primary" tone="success" size="large" disabled={!r.canMarkDelivered || busyWith === r.id} accessibilityLabel={`${r.orderName} delivered`}>
                              Delivered
                            </Button>
                          </div>
                        </Form>
                      </InlineStack>
                    )}
                  </InlineStack>
                </Card>
              ))}
            </BlockStack>
          )}
        </Layout.Section>
        {done.length > 0 ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Delivered today
                </Text>
                {done.map((r) => (
                  <InlineStack key={r.id} gap="200" blockAlign="center">
                    <Text as="span" fontWeight="semibold">
                      {r.orderName}
                    </Text>
                    <Text as="span" tone="subdued">
                      {`delivered at ${r.deliveredAtLocal}, left at ${r.shippedAtLocal}`}
                    </Text>
                    <ShopifyBadge state={r.shopify.state} />
                  </InlineStack>
                ))}
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Box paddingBlockEnd="400">
            <Text as="p" tone="subdued" variant="bodySm">
              Fulfillments appear when Shopify reports them shipped from this node&apos;s location. <Link to="/app/deliveries">Another hub</Link>
            </Text>
          </Box>
        </Layout.Section>
      </Layout>
      <style dangerouslySetInnerHTML={{ __html: ".nh-delivered-button .Polaris-Button{min-width:11rem;min-height:3.5rem;font-size:1.125rem}" }} />
    </AdminPage>
  );
}

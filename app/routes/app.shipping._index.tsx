// Shipping overview: live rates with Shopify (carrier-service registration), what is set up,
// and which services each node can offer with it.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link as RemixLink, useActionData, useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, DataTable, InlineStack, Layout, List, Text } from "@shopify/polaris";
import { AdminPage } from "~/components/admin/AdminPage";
import { StatCards } from "~/components/admin/StatCards";
import { CarrierServiceCard, type CarrierServiceStatus } from "~/components/shipping/CarrierServiceCard";
import { SaveNotices } from "~/components/shipping/ConfigProblems";
import { NO_VERSION_MESSAGE, postedVersion, VERSION_FIELD } from "~/components/shipping/form-utils";
import { ShippingTabs } from "~/components/shipping/ShippingTabs";
import { prepareNetwork } from "~/core/quoting";
import { NODE_KIND_LABELS } from "~/core/network/types";
import { requireAdmin } from "~/services/auth.server";
import { CARRIER_SERVICE_NAME, carrierServiceCallbackUrl, registerCarrierService } from "~/services/carrier-service.server";
import { listNodes, toNetworkNode } from "~/services/network.server";
import { getShopShipping, nodeOpsProblems, quoteConfigOf, resetConfigPart, StaleConfigError } from "~/services/shipping-settings.server";

/** Parts no page edits: put back to their defaults here when they no longer read. */
const RESETTABLE = ["document", "pickup", "promise", "returns"] as const;

export const meta: MetaFunction = () => [{ title: "Shipping · Nearhub" }];

const SERVICE_LABELS = {
  SAME_DAY: "Same day",
  NEXT_DAY: "Next day",
  STANDARD: "Standard",
  AUTONOMOUS: "Autonomous",
  PICKUP: "Pickup",
} as const;

function formatWhen(date: Date | null, timeZone: string): string | null {
  return date ? new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone }).format(date) : null;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop, demo } = await requireAdmin(request);
  const [shipping, rows] = await Promise.all([getShopShipping(shop.id), listNodes(shop.id)]);
  const config = shipping.config;
  const nodes = rows.map(toNetworkNode);
  // Every stored part that no longer reads, with the page that fixes it (checkout answers with the backup rates meanwhile).
  const problems = [...shipping.problems, ...nodeOpsProblems(rows)].map((p) => ({ ...p, resettable: (RESETTABLE as readonly string[]).includes(p.part) }));
  // What each node could offer with this configuration, and what the engine ignores.
  let services: { id: string; name: string; kind: string; status: string; offers: string[]; gaps: string[] }[] = [];
  let warnings: string[] = [];
  try {
    const net = prepareNetwork({ shopId: shop.id, currency: shop.currency, nodes, products: [], stock: {} }, quoteConfigOf(shipping, rows));
    warnings = net.warnings;
    services = net.nodes.map((qn) => {
      const gaps: string[] = [];
      const p = qn.prepared;
      if ((qn.services.includes("SAME_DAY") || qn.services.includes("NEXT_DAY")) && p.couriers.length === 0) {
        gaps.push("no courier collects here: same-day and next-day cannot be priced");
      }
      if (qn.services.includes("STANDARD") && p.rateCards.length === 0) gaps.push("no rate card ships from here: standard cannot be priced");
      return {
        id: qn.prepared.node.id,
        name: qn.prepared.node.name,
        kind: NODE_KIND_LABELS[qn.prepared.node.kind],
        status: qn.prepared.node.status,
        offers: qn.services.map((s) => SERVICE_LABELS[s]),
        gaps,
      };
    });
  } catch (error) {
    warnings = [`The stored configuration does not compile: ${(error as Error).message}`];
  }
  return {
    demo,
    currency: shop.currency,
    carrierService: {
      status: shipping.carrierService.status as CarrierServiceStatus,
      id: shipping.carrierService.id,
      message: shipping.carrierService.message,
      checkedAt: formatWhen(shipping.carrierService.checkedAt, shop.timezone),
      callbackUrl: carrierServiceCallbackUrl(),
      name: CARRIER_SERVICE_NAME,
    },
    counts: {
      rateCards: config.rateCards.length,
      couriers: config.couriers.length,
      corridors: config.corridors.length,
      closedCorridors: config.corridors.filter((c) => c.status === "CLOSED").length,
      pricingRules: config.pricingRules.length,
      backupRates: shipping.backupRates.length,
      quoteBudgetMs: shipping.quoteBudgetMs,
    },
    services,
    warnings: problems.length > 0 ? [] : warnings,
    problems,
    version: shipping.version,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { shop, admin, demo } = await requireAdmin(request);
  const form = await request.formData();
  if (form.get("intent") === "reset") {
    const part = RESETTABLE.find((p) => p === form.get("part"));
    const version = postedVersion(form);
    if (!part || version === null) return data({ error: part ? NO_VERSION_MESSAGE : "Unknown part", outcome: null, stale: null }, { status: 400 });
    try {
      await resetConfigPart(shop.id, version, part);
    } catch (error) {
      if (error instanceof StaleConfigError) return data({ error: null, outcome: null, stale: error.message }, { status: 409 });
      throw error;
    }
    return data({ error: null, outcome: null, stale: null });
  }
  if (form.get("intent") !== "register") {
    return data({ error: "Unknown action", outcome: null, stale: null }, { status: 400 });
  }
  if (demo || !admin) {
    return data(
      { error: "Registration needs a connected Shopify store; the demo has none.", outcome: null, stale: null },
      { status: 409 },
    );
  }
  const outcome = await registerCarrierService(shop, admin);
  return data({ error: null, outcome: { status: outcome.status, message: outcome.message }, stale: null });
}

export default function ShippingOverview() {
  const { demo, carrierService, counts, services, warnings, problems, version } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const stats = [
    { label: "Rate cards", value: counts.rateCards, to: "/app/shipping/rate-cards" },
    { label: "Couriers", value: counts.couriers, to: "/app/shipping/couriers" },
    {
      label: "Autonomous corridors",
      value: counts.corridors,
      to: "/app/shipping/couriers",
      note: counts.closedCorridors ? `${counts.closedCorridors} closed` : undefined,
    },
    { label: "Pricing rules", value: counts.pricingRules, to: "/app/shipping/pricing" },
  ];
  return (
    <AdminPage layout="data" title="Shipping" subtitle="How Nearhub prices and promises delivery from your network">
      <BlockStack gap="400">
        <ShippingTabs />
        <Layout>
          <SaveNotices
            stale={actionData?.stale}
            reloadUrl="/app/shipping"
            problems={problems}
            action={(p) =>
              p.resettable ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="reset" />
                  <input type="hidden" name="part" value={p.part} />
                  <input type="hidden" name={VERSION_FIELD} value={version} />
                  <Button submit tone="critical">{`Reset ${p.label.toLowerCase()} to the defaults`}</Button>
                </Form>
              ) : null
            }
          />
          <Layout.Section>
            <CarrierServiceCard view={carrierService} demo={demo} result={actionData?.outcome ?? null} />
            {actionData?.error ? (
              <Box paddingBlockStart="300">
                <Banner tone="critical">
                  <p>{actionData.error}</p>
                </Banner>
              </Box>
            ) : null}
          </Layout.Section>
          <Layout.Section>
            <StatCards
              stats={stats.map((s) => ({
                label: s.label,
                value: s.value,
                footer: (
                  <InlineStack gap="200">
                    <RemixLink to={s.to}>Manage</RemixLink>
                    {s.note ? <Badge tone="warning">{s.note}</Badge> : null}
                  </InlineStack>
                ),
              }))}
            />
          </Layout.Section>
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  What each node can offer
                </Text>
                <Text as="p" tone="subdued">
                  Same day and next day need a service area and a courier; standard needs a central warehouse (or a rate card
                  that names the node) and a rate card; autonomous needs a corridor; pickup is offered at micro-hubs and stores.
                  Try an address in the quote simulator to see prices and the reasons a node is left out.
                </Text>
                {services.length === 0 ? (
                  <Text as="p" tone="subdued">
                    No nodes yet. Add them on the Network page.
                  </Text>
                ) : (
                  <DataTable
                    columnContentTypes={["text", "text", "text", "text"]}
                    headings={["Node", "Kind", "Can offer", "Missing"]}
                    rows={services.map((s) => [
                      <InlineStack key="n" gap="200" blockAlign="center">
                        <Text as="span" fontWeight="semibold">
                          {s.name}
                        </Text>
                        {s.status !== "ACTIVE" ? <Badge>Disabled</Badge> : null}
                      </InlineStack>,
                      s.kind,
                      s.offers.join(", ") || "nothing",
                      s.gaps.length ? s.gaps.join("; ") : "—",
                    ])}
                  />
                )}
              </BlockStack>
            </Card>
          </Layout.Section>
          {warnings.length > 0 ? (
            <Layout.Section>
              <Banner tone="warning" title="Settings the engine ignores">
                <List>
                  {warnings.map((w) => (
                    <List.Item key={w}>{w}</List.Item>
                  ))}
                </List>
              </Banner>
            </Layout.Section>
          ) : null}
          <Layout.Section>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  When live quoting cannot answer
                </Text>
                <Text as="p">
                  Checkout waits at most {counts.quoteBudgetMs} ms for Nearhub. If quoting fails or takes longer, shoppers
                  see your {counts.backupRates} backup rate{counts.backupRates === 1 ? "" : "s"} instead of an error.{" "}
                  <RemixLink to="/app/shipping/pricing">Change them</RemixLink>.
                </Text>
              </BlockStack>
            </Card>
          </Layout.Section>
        </Layout>
        <Box paddingBlockEnd="800" />
      </BlockStack>
    </AdminPage>
  );
}

// The shop's carrier rate cards: what each one prices, from where, and how; delete or replace.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { Badge, Banner, BlockStack, Box, Button, Card, EmptyState, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { ShippingTabs } from "~/components/shipping/ShippingTabs";
import { describeRule } from "~/components/rules/describe";
import { surchargeRuleForm } from "~/components/shipping/rule-forms";
import { rateCardSchema } from "~/core/costing/rateCard";
import { formatMinor } from "~/core/money/money";
import { requireAdmin } from "~/services/auth.server";
import { listNodes } from "~/services/network.server";
import { getShopShipping, InvalidShippingConfigError, saveQuoteConfig } from "~/services/shipping-settings.server";

export const meta: MetaFunction = () => [{ title: "Rate cards · Shipping · Nearhub" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const [shipping, nodes] = await Promise.all([getShopShipping(shop.id), listNodes(shop.id)]);
  const nodeName = new Map(nodes.map((n) => [n.id, n.name]));
  const cards = (shipping.config.rateCards ?? []).map((input) => {
    const card = rateCardSchema.parse(input);
    const prices = card.weightBands.flatMap((b) => Object.values(b.pricesMinor));
    const zoneCodes = card.zones.map((z) => z.zone);
    return {
      id: card.id,
      title: `${card.carrier} · ${card.service}`,
      currency: card.currency,
      wrongCurrency: card.currency !== shop.currency,
      origins: card.originNodeIds
        ? card.originNodeIds.map((id) => nodeName.get(id) ?? `unknown node ${id}`).join(", ")
        : "Your central warehouses",
      countries: card.destinationCountries.join(", "),
      zoning:
        card.zoning.by === "distance"
          ? `${card.zoning.bands.length} distance band${card.zoning.bands.length === 1 ? "" : "s"}, up to ${Math.round(card.zoning.bands[card.zoning.bands.length - 1].upToM / 1000)} km`
          : `${card.zoning.prefixes.length} postal prefix${card.zoning.prefixes.length === 1 ? "" : "es"}${card.zoning.otherwise ? `, others zone ${card.zoning.otherwise}` : ", others not served"}`,
      zones: zoneCodes.join(", "),
      transit: `${Math.min(...card.zones.map((z) => z.transitDaysMin))}–${Math.max(...card.zones.map((z) => z.transitDaysMax))} business days`,
      weights: `${card.weightBands.length} weight rows up to ${(card.weightBands[card.weightBands.length - 1].upToGrams / 1000).toLocaleString("en-US")} kg${
        card.extraPerKgMinor != null ? `, then ${formatMinor(card.extraPerKgMinor, card.currency)} per extra kg` : ", heavier refused"
      }`,
      priceRange: prices.length ? `${formatMinor(Math.min(...prices), card.currency)} – ${formatMinor(Math.max(...prices), card.currency)}` : "no prices",
      dim: card.dimDivisor ? `dimensional weight at ${card.dimDivisor} cm³/kg` : "actual weight only",
      surcharges: card.surcharges.map((s) => describeRule(surchargeRuleForm, s, card.currency)),
    };
  });
  return { cards };
}

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const form = await request.formData();
  if (form.get("intent") !== "delete") return data({ error: "Unknown action", deleted: null }, { status: 400 });
  const id = String(form.get("id") ?? "");
  const shipping = await getShopShipping(shop.id);
  const cards = shipping.config.rateCards ?? [];
  const card = cards.find((c) => c.id === id);
  if (!card) throw new Response("Rate card not found", { status: 404 });
  try {
    await saveQuoteConfig(shop.id, { ...shipping.config, rateCards: cards.filter((c) => c.id !== id) });
  } catch (error) {
    if (error instanceof InvalidShippingConfigError) return data({ error: error.message, deleted: null }, { status: 400 });
    throw error;
  }
  return data({ error: null, deleted: `${card.carrier} · ${card.service}` });
}

export default function RateCards() {
  const { cards } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const saved = cards.find((c) => c.id === params.get("saved"));
  return (
    <Page
      title="Rate cards"
      subtitle="Carriers’ zone × weight price lists, for standard delivery"
      primaryAction={{ content: "Import rate card", url: "/app/shipping/rate-cards/import" }}
    >
      <BlockStack gap="400">
        <ShippingTabs />
        <Layout>
          {saved ? (
            <Layout.Section>
              <Banner tone="success" title={`Saved ${saved.title}`} />
            </Layout.Section>
          ) : null}
          {actionData?.deleted ? (
            <Layout.Section>
              <Banner tone="info" title={`Deleted ${actionData.deleted}`} />
            </Layout.Section>
          ) : null}
          {actionData?.error ? (
            <Layout.Section>
              <Banner tone="critical">
                <p>{actionData.error}</p>
              </Banner>
            </Layout.Section>
          ) : null}
          <Layout.Section>
            {cards.length === 0 ? (
              <Card>
                <EmptyState heading="Import your first rate card" action={{ content: "Import rate card", url: "/app/shipping/rate-cards/import" }} image="">
                  <p>
                    Paste a carrier’s price table (weight rows × zone columns) from a spreadsheet or CSV. Nearhub uses it to
                    price standard delivery from your warehouses, with the carrier’s surcharges and dimensional weight.
                  </p>
                </EmptyState>
              </Card>
            ) : (
              <BlockStack gap="400">
                {cards.map((card) => (
                  <RateCardSummary key={card.id} card={card} />
                ))}
              </BlockStack>
            )}
          </Layout.Section>
        </Layout>
        <Box paddingBlockEnd="800" />
      </BlockStack>
    </Page>
  );
}

type CardView = ReturnType<typeof useLoaderData<typeof loader>>["cards"][number];

function RateCardSummary({ card }: { card: CardView }) {
  const [confirming, setConfirming] = useState(false);
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("id") === card.id;
  const facts: [string, string][] = [
    ["Ships from", card.origins],
    ["To", card.countries],
    ["Zones", `${card.zoning}; zones ${card.zones}; ${card.transit}`],
    ["Weights", card.weights],
    ["Prices", `${card.priceRange}; ${card.dim}`],
    ["Surcharges", card.surcharges.length ? card.surcharges.join(", ") : "none"],
  ];
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h2" variant="headingMd">
              {card.title}
            </Text>
            {card.wrongCurrency ? <Badge tone="critical">{`In ${card.currency}: ignored`}</Badge> : null}
          </InlineStack>
          <InlineStack gap="200">
            <Button url={`/app/shipping/rate-cards/import?replace=${encodeURIComponent(card.id)}`}>Replace</Button>
            {!confirming ? (
              <Button tone="critical" variant="plain" onClick={() => setConfirming(true)} accessibilityLabel={`Delete ${card.title}`}>
                Delete
              </Button>
            ) : null}
          </InlineStack>
        </InlineStack>
        <dl style={{ display: "grid", gridTemplateColumns: "max-content 1fr", gap: "4px 16px", margin: 0 }}>
          {facts.map(([k, v]) => (
            <div key={k} style={{ display: "contents" }}>
              <dt>
                <Text as="span" tone="subdued">
                  {k}
                </Text>
              </dt>
              <dd style={{ margin: 0 }}>{v}</dd>
            </div>
          ))}
        </dl>
        {confirming ? (
          <Banner tone="warning" title={`Delete ${card.title}?`}>
            <BlockStack gap="200">
              <p>Standard delivery priced by this card stops being offered at checkout as soon as it is deleted.</p>
              <Form method="post">
                <input type="hidden" name="intent" value="delete" />
                <input type="hidden" name="id" value={card.id} />
                <InlineStack gap="200">
                  <Button submit tone="critical" variant="primary" loading={busy}>
                    Yes, delete
                  </Button>
                  <Button onClick={() => setConfirming(false)}>Cancel</Button>
                </InlineStack>
              </Form>
            </BlockStack>
          </Banner>
        ) : null}
      </BlockStack>
    </Card>
  );
}

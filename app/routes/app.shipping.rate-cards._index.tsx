// The shop's carrier rate cards: what each one prices, from where, and how; delete or replace.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { Badge, Banner, BlockStack, Box, Button, Card, EmptyState, InlineStack, Layout, Text } from "@shopify/polaris";
import { AdminPage } from "~/components/admin/AdminPage";
import { SaveNotices } from "~/components/shipping/ConfigProblems";
import { NO_VERSION_MESSAGE, postedVersion, VERSION_FIELD } from "~/components/shipping/form-utils";
import { ShippingTabs } from "~/components/shipping/ShippingTabs";
import { describeRule } from "~/components/rules/describe";
import { surchargeRuleForm } from "~/components/shipping/rule-forms";
import { rateCardSchema } from "~/core/costing/rateCard";
import { formatDayRange, formatDimDivisor, formatDistance, formatMoneyRange, formatRatePerWeight, formatWeight } from "~/core/format/format";
import { requireAdmin } from "~/services/auth.server";
import { listNodes } from "~/services/network.server";
import { deleteRateCard, getShopShipping, StaleConfigError } from "~/services/shipping-settings.server";
import { notFound } from "~/components/admin/not-found";

export const meta: MetaFunction = () => [{ title: "Rate cards · Shipping · Nearhub" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop, conventions: c } = await requireAdmin(request);
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
          ? `${card.zoning.bands.length} distance band${card.zoning.bands.length === 1 ? "" : "s"}, up to ${formatDistance(card.zoning.bands[card.zoning.bands.length - 1].upToM, c)}`
          : `${card.zoning.prefixes.length} postal prefix${card.zoning.prefixes.length === 1 ? "" : "es"}${card.zoning.otherwise ? `, others zone ${card.zoning.otherwise}` : ", others not served"}`,
      zones: zoneCodes.join(", "),
      transit: formatDayRange(Math.min(...card.zones.map((z) => z.transitDaysMin)), Math.max(...card.zones.map((z) => z.transitDaysMax))),
      weights: `${card.weightBands.length} weight rows up to ${formatWeight(card.weightBands[card.weightBands.length - 1].upToGrams, c)}${
        card.extraPerKgMinor != null ? `, then ${formatRatePerWeight(card.extraPerKgMinor, { ...c, currency: card.currency })} over that` : ", heavier refused"
      }`,
      priceRange: prices.length ? formatMoneyRange(Math.min(...prices), Math.max(...prices), { ...c, currency: card.currency }) : "no prices",
      dim: card.dimDivisor ? `dimensional weight at ${formatDimDivisor(card.dimDivisor, c)}` : "actual weight only",
      surcharges: card.surcharges.map((s) => describeRule(surchargeRuleForm, s, card.currency)),
    };
  });
  return { cards, version: shipping.version, problems: shipping.problems.filter((p) => p.part === "rateCards") };
}

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const form = await request.formData();
  const version = postedVersion(form);
  const reply = (status: number, body: { error?: string; stale?: string; deleted?: string }) =>
    data({ error: body.error ?? null, stale: body.stale ?? null, deleted: body.deleted ?? null, version }, { status });
  if (form.get("intent") !== "delete") return reply(400, { error: "Unknown action" });
  const key = String(form.get("id") ?? "");
  const shipping = await getShopShipping(shop.id);
  // A stored card that no longer reads can be deleted too (by the key its problem names).
  const found = shipping.config.rateCards.find((c) => c.id === key);
  const title = found ? `${found.carrier} · ${found.service}` : shipping.problems.find((p) => p.part === "rateCards" && p.key === key)?.label;
  if (!title) notFound("rate card");
  if (version === null) return reply(400, { error: NO_VERSION_MESSAGE });
  try {
    await deleteRateCard(shop.id, version, key);
  } catch (error) {
    if (error instanceof StaleConfigError) return reply(409, { stale: error.message });
    throw error;
  }
  return reply(200, { deleted: title });
}

export default function RateCards() {
  const loaded = useLoaderData<typeof loader>();
  const { cards, problems } = loaded;
  const actionData = useActionData<typeof action>();
  // After a stale refusal the page keeps the version it was opened at until it is reloaded.
  const version = (actionData?.stale ? actionData.version : null) ?? loaded.version;
  const [params] = useSearchParams();
  const saved = cards.find((c) => c.id === params.get("saved"));
  return (
    <AdminPage layout="data"
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
          <SaveNotices
            stale={actionData?.stale}
            reloadUrl="/app/shipping/rate-cards"
            problems={problems}
            action={(p) => (p.key ? <DeleteCard id={p.key} title={p.label} version={version} /> : null)}
          />
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
                  <RateCardSummary key={card.id} card={card} version={version} />
                ))}
              </BlockStack>
            )}
          </Layout.Section>
        </Layout>
        <Box paddingBlockEnd="800" />
      </BlockStack>
    </AdminPage>
  );
}

type CardView = ReturnType<typeof useLoaderData<typeof loader>>["cards"][number];

function RateCardSummary({ card, version }: { card: CardView; version: number }) {
  const [confirming, setConfirming] = useState(false);
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
        {confirming ? <DeleteCard id={card.id} title={card.title} version={version} onCancel={() => setConfirming(false)} /> : null}
      </BlockStack>
    </Card>
  );
}

function DeleteCard({ id, title, version, onCancel }: { id: string; title: string; version: number; onCancel?: () => void }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("id") === id;
  return (
    <Banner tone="warning" title={`Delete ${title}?`}>
      <BlockStack gap="200">
        <p>Standard delivery priced by this card stops being offered at checkout as soon as it is deleted.</p>
        <Form method="post">
          <input type="hidden" name="intent" value="delete" />
          <input type="hidden" name="id" value={id} />
          <input type="hidden" name={VERSION_FIELD} value={version} />
          <InlineStack gap="200">
            <Button submit tone="critical" variant="primary" loading={busy}>
              Yes, delete
            </Button>
            {onCancel ? <Button onClick={onCancel}>Cancel</Button> : null}
          </InlineStack>
        </Form>
      </BlockStack>
    </Banner>
  );
}

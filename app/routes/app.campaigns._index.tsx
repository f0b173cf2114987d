// Campaigns: every hyperlocal campaign the shop runs around its hubs (issue 15 item 6): its hub and
// platform, its status in words (and "pausing…" or "retrying: <the platform's words>" while a change
// has not been confirmed), why it last changed, and what it earned: spend, orders, revenue ROAS and
// profit after landed cost in the shop's money; a per-day chart of spend against profit across all
// campaigns. With no campaign yet, it explains what a hyperlocal campaign is and where to start.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BlockStack, Box, Card, EmptyState, InlineGrid, InlineStack, Layout, List, Text } from "@shopify/polaris";
import { AdminPage } from "~/components/admin/AdminPage";
import { StatCards } from "~/components/admin/StatCards";
import { MoneyPerDayChart, OrdersPerDayChart, sumDays } from "~/components/campaigns/Charts";
import { CampaignStatusBadge } from "~/components/campaigns/StatusBadge";
import { PLATFORM_WORDS, dateRangeText, distanceText, money, roasText, sentenceCase, usesMiles } from "~/components/campaigns/format";
import { requireAdmin } from "~/services/auth.server";
import { campaignDetail, listAdConnections, listCampaigns } from "~/services/campaigns/index.server";

export const meta: MetaFunction = () => [{ title: "Campaigns · Nearhub" }];

/** The chart sums the days of at most this many campaigns (the newest), one detail read each. */
const CHART_CAMPAIGNS = 50;

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop, demo } = await requireAdmin(request);
  const [campaigns, connections] = await Promise.all([listCampaigns(shop.id), listAdConnections(shop.id)]);
  // The chart is in one currency: the shop's, or the campaigns' own when they all share another.
  const currency = campaigns.length > 0 && campaigns.every((c) => c.currency === campaigns[0].currency) ? campaigns[0].currency : shop.currency;
  const charted = campaigns.filter((c) => c.currency === currency).slice(0, CHART_CAMPAIGNS);
  const details = await Promise.all(charted.map((c) => campaignDetail(shop.id, c.id)));
  const days = sumDays(details.map((d) => d?.days ?? []));
  return {
    campaigns,
    currency,
    days,
    otherCurrencies: campaigns.length - charted.length,
    connected: connections.filter((c) => c.status === "CONNECTED").length,
    demo,
    miles: usesMiles(shop.weightUnit),
  };
}

export default function CampaignsPage() {
  const { campaigns, currency, days, otherCurrencies, connected, demo, miles } = useLoaderData<typeof loader>();
  const inCurrency = campaigns.filter((c) => c.currency === currency);
  const sum = (pick: (t: (typeof campaigns)[number]["totals"]) => number) => inCurrency.reduce((s, c) => s + pick(c.totals), 0);
  const spend = sum((t) => t.spendMinor);
  const revenue = sum((t) => t.revenueMinor);
  const landed = sum((t) => t.landedCostMinor);
  const running = campaigns.filter((c) => c.status === "ACTIVE").length;

  return (
    <AdminPage
      layout="data"
      title="Campaigns"
      subtitle="Local ads around each hub, sized to its same-day reach and switched by its stock"
      primaryAction={{ content: "New campaign", url: "/app/campaigns/new" }}
    >
      <Layout>
        {campaigns.length === 0 ? (
          <Layout.Section>
            <Card>
              <EmptyState
                heading="Advertise only where a hub can deliver today"
                action={{ content: demo ? "Try it on the sandbox" : "Connect an ad account", url: demo ? "/app/campaigns/new?platform=SANDBOX" : "/app/settings/ads" }}
                secondaryAction={demo ? { content: "Connect an ad account", url: "/app/settings/ads" } : { content: "Try it on the sandbox", url: "/app/campaigns/new?platform=SANDBOX" }}
                image=""
              >
                <BlockStack gap="200">
                  <p>
                    A hyperlocal campaign is a small daily budget of Meta or Google ads shown only inside a circle around one hub: as far as
                    the hub delivers the same day, only for the products it has in stock, and only in the hours before its cut-off.
                  </p>
                  <p>
                    Nearhub pauses the ads by itself when the hub runs low on those products, fills up or loses a permit, and reports each
                    campaign&apos;s profit after the cost of delivering and returning its orders, not just its revenue.
                  </p>
                  <p>
                    {connected > 0
                      ? `You have ${connected} ad ${connected === 1 ? "account" : "accounts"} connected: start with "New campaign".`
                      : "Connect a Meta or Google Ads account in Settings, or try the whole flow on the sandbox, which spends nothing."}
                  </p>
                </BlockStack>
              </EmptyState>
            </Card>
          </Layout.Section>
        ) : (
          <>
            <Layout.Section>
              <StatCards
                columns={{ xs: 2, md: 4 }}
                stats={[
                  { label: "Running", value: `${running} of ${campaigns.length}` },
                  { label: "Ad spend", value: money(spend, currency) },
                  spend > 0
                    ? { label: "Revenue ROAS", value: roasText(Math.round((revenue / spend) * 10_000)) }
                    : { label: "Revenue ROAS", value: "–", footer: <Text as="p" variant="bodySm" tone="subdued">no spend yet</Text> },
                  {
                    label: "Profit after landed cost",
                    value: money(revenue - landed - spend, currency),
                    tone: revenue - landed - spend < 0 ? "critical" : undefined,
                  },
                ]}
              />
            </Layout.Section>
            <Layout.Section>
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Per day, all campaigns
                  </Text>
                  <InlineGrid columns={{ xs: 1, lg: "2fr 1fr" }} gap="400">
                    <MoneyPerDayChart days={days} currency={currency} title="Ad spend and profit after landed cost per day" />
                    <OrdersPerDayChart days={days} title="Attributed orders per day" />
                  </InlineGrid>
                  {otherCurrencies > 0 ? (
                    <Text as="p" variant="bodySm" tone="subdued">
                      {`${otherCurrencies} ${otherCurrencies === 1 ? "campaign runs" : "campaigns run"} in another currency and ${otherCurrencies === 1 ? "is" : "are"} not in these totals.`}
                    </Text>
                  ) : null}
                </BlockStack>
              </Card>
            </Layout.Section>
            <Layout.Section>
              <BlockStack gap="300">
                {campaigns.map((c) => (
                  <Card key={c.id}>
                    <article data-campaign-id={c.id} aria-labelledby={`campaign-${c.id}`}>
                      <BlockStack gap="300">
                        <InlineStack align="space-between" blockAlign="start" gap="300" wrap>
                          <BlockStack gap="100">
                            <Text as="h2" variant="headingMd" id={`campaign-${c.id}`}>
                              <Link to={`/app/campaigns/${c.id}`}>{c.name}</Link>
                            </Text>
                            <Text as="p" tone="subdued">
                              {`${c.hubName} · ${PLATFORM_WORDS[c.platform] ?? c.platform} · ${distanceText(c.radiusM, miles)} radius · ${dateRangeText(c.startsOn, c.endsOn)} · ${money(c.dailyBudgetMinor, c.currency)} a day`}
                            </Text>
                          </BlockStack>
                          <CampaignStatusBadge campaign={c} />
                        </InlineStack>
                        {c.lastReasons.length > 0 ? (
                          <Box>
                            <Text as="p" variant="bodySm" fontWeight="semibold">
                              Why, at the last change
                            </Text>
                            <List>
                              {c.lastReasons.map((r, i) => (
                                <List.Item key={`${r.code}-${i}`}>{sentenceCase(r.sentence)}</List.Item>
                              ))}
                            </List>
                          </Box>
                        ) : null}
                        <dl className="nh-campaign-figures">
                          <Figure label="Spend" value={money(c.totals.spendMinor, c.currency)} />
                          <Figure label="Orders" value={c.totals.orders.toLocaleString("en-US")} />
                          <Figure label="Revenue ROAS" value={roasText(c.totals.roasBps)} />
                          <Figure label="Profit ROAS" value={roasText(c.totals.profitRoasBps)} />
                          <Figure label="Profit after landed cost" value={money(c.totals.profitMinor, c.currency)} negative={c.totals.profitMinor < 0} />
                        </dl>
                      </BlockStack>
                    </article>
                  </Card>
                ))}
              </BlockStack>
            </Layout.Section>
          </>
        )}
      </Layout>
      <style dangerouslySetInnerHTML={{ __html: CSS }} />
    </AdminPage>
  );
}

function Figure({ label, value, negative = false }: { label: string; value: string; negative?: boolean }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd className={negative ? "nh-negative" : undefined}>{value}</dd>
    </div>
  );
}

const CSS = `
.nh-campaign-figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(110px,1fr));gap:8px 16px;margin:0}
.nh-campaign-figures dt{font-size:12px;color:#616161}
.nh-campaign-figures dd{margin:0;font-size:16px;font-weight:600}
.nh-campaign-figures dd.nh-negative{color:#8e1f0b}
`;

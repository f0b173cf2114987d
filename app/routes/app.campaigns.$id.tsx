// One campaign (issue 15 item 6): its status in words (with what is waiting for the platform or being
// retried), its totals (spend, orders, revenue, landed cost, profit, revenue ROAS and profit ROAS),
// per-day charts, the change log (when, who, what, why, whether the platform applied it, the request
// sent), the area on the map, and Pause / Resume / End (the merchant's own change, through the
// campaigns service). Another shop's campaign id is simply not found, inside the app frame.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineGrid, InlineStack, Layout, List, Text } from "@shopify/polaris";
import { z } from "zod";
import { AdminPage } from "~/components/admin/AdminPage";
import { notFound } from "~/components/admin/not-found";
import { StatCards } from "~/components/admin/StatCards";
import { AreaMap } from "~/components/campaigns/AreaMap";
import { areaCells } from "~/components/campaigns/area-cells.server";
import { MoneyPerDayChart, OrdersPerDayChart } from "~/components/campaigns/Charts";
import { CampaignStatusBadge } from "~/components/campaigns/StatusBadge";
import {
  ACTION_WORDS,
  ACTOR_WORDS,
  CHANGE_STATE_WORDS,
  PLATFORM_WORDS,
  dateRangeText,
  distanceText,
  inWords,
  money,
  roasText,
  sentenceCase,
  usesMiles,
  whenText,
} from "~/components/campaigns/format";
import { GuardrailList } from "~/components/campaigns/GuardrailList";
import { requireAdmin } from "~/services/auth.server";
import { campaignDetail, setCampaignState } from "~/services/campaigns/index.server";
import { CampaignInputError, type CampaignChangeView } from "~/services/campaigns/types";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.campaign.name ?? "Campaign"} · Campaigns · Nearhub` }];

const MAX_ID_LENGTH = 64;

async function load(shopId: string, id: string | undefined) {
  const campaign = id && id.length <= MAX_ID_LENGTH ? await campaignDetail(shopId, id) : null;
  if (!campaign) notFound("campaign");
  return campaign;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const campaign = await load(shop.id, params.id);
  return {
    campaign,
    cells: areaCells(campaign.plan.area.cells),
    timezone: shop.timezone,
    miles: usesMiles(shop.weightUnit),
  };
}

const stateSchema = z.object({ intent: z.enum(["PAUSE", "RESUME", "END"], { error: "Choose pause, resume or end" }) });

export async function action({ request, params }: ActionFunctionArgs) {
  const { shop } = await requireAdmin(request);
  await load(shop.id, params.id);
  const parsed = stateSchema.safeParse({ intent: (await request.formData()).get("intent") });
  if (!parsed.success) return data({ ok: false as const, message: parsed.error.issues[0].message }, { status: 400 });
  try {
    const after = await setCampaignState(shop.id, params.id!, parsed.data.intent);
    const words = { PAUSE: "pause", RESUME: "resume", END: "end" }[parsed.data.intent];
    const confirmed = after.status === after.wantStatus && !after.pendingChange;
    return data({
      ok: true as const,
      message: confirmed
        ? `Done: the campaign is ${after.status === "ACTIVE" ? "running" : after.status.toLowerCase()}.`
        : `Asked the platform to ${words} the campaign; this page shows it as done once the platform confirms.`,
    });
  } catch (error) {
    if (error instanceof CampaignInputError) return data({ ok: false as const, message: inWords(error.message) }, { status: error.status });
    throw error;
  }
}

export default function CampaignPage() {
  const { campaign: c, cells, timezone, miles } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const t = c.totals;
  const ended = c.status === "ENDED" || c.wantStatus === "ENDED";

  return (
    <AdminPage
      layout="data"
      title={c.name}
      titleMetadata={<CampaignStatusBadge campaign={c} />}
      subtitle={`${c.hubName} · ${PLATFORM_WORDS[c.platform] ?? c.platform} · ${dateRangeText(c.startsOn, c.endsOn)}`}
      backAction={{ content: "Campaigns", url: "/app/campaigns" }}
    >
      <Layout>
        {result ? (
          <Layout.Section>
            <Banner tone={result.ok ? "success" : "critical"} title={result.message} />
          </Layout.Section>
        ) : null}
        {c.lastError ? (
          <Layout.Section>
            <Banner tone="critical" title="The platform has not accepted the last change yet">
              <p>{`Nearhub keeps retrying. The platform said: ${c.lastError}`}</p>
            </Banner>
          </Layout.Section>
        ) : null}

        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="center" gap="300" wrap>
                <Text as="h2" variant="headingMd">
                  Status
                </Text>
                {!ended ? (
                  <InlineStack gap="200" wrap>
                    {c.wantStatus === "ACTIVE" ? <StateButton intent="PAUSE" label="Pause" busy={busy} /> : null}
                    {c.wantStatus === "PAUSED" ? <StateButton intent="RESUME" label="Resume" busy={busy} primary /> : null}
                    <StateButton intent="END" label="End campaign" busy={busy} destructive />
                  </InlineStack>
                ) : null}
              </InlineStack>
              {c.lastReasons.length > 0 ? (
                <List>
                  {c.lastReasons.map((r, i) => (
                    <List.Item key={`${r.code}-${i}`}>{sentenceCase(r.sentence)}</List.Item>
                  ))}
                </List>
              ) : (
                <Text as="p" tone="subdued">
                  No change has been recorded since launch.
                </Text>
              )}
              <Text as="p" variant="bodySm" tone="subdued">
                {`${money(c.dailyBudgetMinor, c.currency)} a day now${c.dailyBudgetMinor !== c.plannedBudgetMinor ? ` (launched at ${money(c.plannedBudgetMinor, c.currency)})` : ""} · UTM campaign "${c.utmCampaign}"${c.discountCode ? ` · discount code ${c.discountCode}` : ""}`}
              </Text>
              {!ended ? (
                <Text as="p" variant="bodySm" tone="subdued">
                  Pausing stops the ads until you resume them; the guardrails also pause and resume by themselves. Ending stops them for good.
                </Text>
              ) : null}
            </BlockStack>
          </Card>
        </Layout.Section>

        <Layout.Section>
          <StatCards
            columns={{ xs: 2, md: 4 }}
            stats={[
              { label: "Ad spend", value: money(t.spendMinor, c.currency) },
              { label: "Orders", value: t.orders },
              { label: "Revenue", value: money(t.revenueMinor, c.currency) },
              { label: "Landed cost", value: money(t.landedCostMinor, c.currency) },
              { label: "Profit after landed cost", value: money(t.profitMinor, c.currency), tone: t.profitMinor < 0 ? "critical" : undefined },
              roasStat("Revenue ROAS", t.roasBps),
              roasStat("Profit ROAS", t.profitRoasBps),
              { label: "Daily budget", value: money(c.dailyBudgetMinor, c.currency) },
            ]}
          />
        </Layout.Section>

        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Per day
              </Text>
              <InlineGrid columns={{ xs: 1, lg: "2fr 1fr" }} gap="400">
                <MoneyPerDayChart days={c.days} currency={c.currency} withRevenue title="Ad spend, revenue and profit after landed cost per day" />
                <OrdersPerDayChart days={c.days} title="Attributed orders per day" />
              </InlineGrid>
              <Text as="p" variant="bodySm" tone="subdued">
                Profit after landed cost is revenue minus the cost of delivering the orders and of the returns they are expected to bring
                back, minus the ad spend.
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>

        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Changes
              </Text>
              {c.changes.length === 0 ? (
                <Text as="p" tone="subdued">
                  No changes yet.
                </Text>
              ) : (
                <ol className="nh-change-log">
                  {c.changes.map((ch) => (
                    <ChangeEntry key={ch.id} change={ch} currency={c.currency} timezone={timezone} />
                  ))}
                </ol>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>

        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Area
              </Text>
              <InlineGrid columns={{ xs: 1, lg: "3fr 2fr" }} gap="400">
                <AreaMap
                  latitude={c.latitude}
                  longitude={c.longitude}
                  radiusM={c.radiusM}
                  cells={cells}
                  hubName={c.hubName}
                  radiusLabel={distanceText(c.radiusM, miles)}
                />
                {c.plan.area.explanation.length > 0 ? (
                  <List>
                    {c.plan.area.explanation.map((line, i) => (
                      <List.Item key={i}>{sentenceCase(line)}</List.Item>
                    ))}
                  </List>
                ) : null}
              </InlineGrid>
            </BlockStack>
          </Card>
        </Layout.Section>

        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Guardrails
              </Text>
              <GuardrailList guardrails={c.guardrails} currency={c.currency} />
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
      <style dangerouslySetInnerHTML={{ __html: CSS }} />
    </AdminPage>
  );
}

/** A ROAS card: the figure, or a dash with "no spend yet" under it (a sentence is too long for the big number). */
function roasStat(label: string, bps: number | null) {
  return bps === null
    ? { label, value: "–", footer: <Text as="p" variant="bodySm" tone="subdued">no spend yet</Text> }
    : { label, value: roasText(bps) };
}

function StateButton({ intent, label, busy, primary = false, destructive = false }: { intent: "PAUSE" | "RESUME" | "END"; label: string; busy: boolean; primary?: boolean; destructive?: boolean }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <Button submit variant={primary ? "primary" : undefined} tone={destructive ? "critical" : undefined} disabled={busy}>
        {label}
      </Button>
    </Form>
  );
}

function ChangeEntry({ change: ch, currency, timezone }: { change: CampaignChangeView; currency: string; timezone: string }) {
  const state = CHANGE_STATE_WORDS[ch.state];
  const what =
    ch.action === "BUDGET" && ch.budgetFrom !== null && ch.budgetTo !== null
      ? `${ACTION_WORDS.BUDGET} from ${money(ch.budgetFrom, currency)} to ${money(ch.budgetTo, currency)}`
      : ACTION_WORDS[ch.action];
  return (
    <li data-change-id={ch.id}>
      <BlockStack gap="150">
        <InlineStack gap="200" blockAlign="center" wrap>
          <Text as="span" fontWeight="semibold">
            {what}
          </Text>
          <Badge tone={state.tone}>{state.label}</Badge>
          <Text as="span" variant="bodySm" tone="subdued">
            {`${whenText(ch.at, timezone)} · by ${ACTOR_WORDS[ch.actor].toLowerCase() === "you" ? "you" : `the ${ACTOR_WORDS[ch.actor].toLowerCase()}`}${ch.attempts > 1 ? ` · ${ch.attempts} attempts` : ""}`}
          </Text>
        </InlineStack>
        {ch.reasons.length > 0 ? (
          <List>
            {ch.reasons.map((r, i) => (
              <List.Item key={`${r.code}-${i}`}>{sentenceCase(r.sentence)}</List.Item>
            ))}
          </List>
        ) : null}
        {ch.error ? (
          <Text as="p" tone="critical">
            {`The platform said: ${ch.error}`}
          </Text>
        ) : null}
        {ch.request !== null && ch.request !== undefined ? (
          <details className="nh-request">
            <summary>The request sent to the platform</summary>
            <Box paddingBlockStart="200">
              <pre tabIndex={0}>{JSON.stringify(ch.request, null, 2)}</pre>
            </Box>
          </details>
        ) : null}
      </BlockStack>
    </li>
  );
}

const CSS = `
.nh-change-log{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:16px}
.nh-change-log>li{border-left:3px solid #e3e3e3;padding-left:12px}
.nh-request summary{cursor:pointer;color:#005bd3;min-height:24px}
.nh-request pre{margin:0;max-height:360px;overflow:auto;background:#f7f7f7;border-radius:6px;padding:8px;font-size:12px;white-space:pre-wrap;word-break:break-word}
`;

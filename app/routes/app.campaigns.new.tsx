// Launch a campaign from a hub in three steps (issue 15 item 6), each a plain GET form whose choices
// travel in the address, so it works without JavaScript and every step can be linked to:
//   1. the hub (and platform): the area it can serve the same day on a map, the circle's radius in
//      words and the demand cells shaded by their share of past orders, with the planner's reasons;
//   2. products and budget: the products with local stock and why each is advertised, the daily
//      budget with the suggestion and its explanation, the number of days;
//   3. review: the exact requests launching sends, the guardrails as sentences, the UTM; Launch.
// The planner decides everything (campaigns service → core/promotions); a hub that may not run a
// campaign shows why and offers no Launch. A refusal names its field and is shown beside it.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { Banner, BlockStack, Box, Button, Card, InlineError, InlineGrid, InlineStack, Layout, List, Select, Text } from "@shopify/polaris";
import { AdminPage } from "~/components/admin/AdminPage";
import { FormTextField } from "~/components/admin/FormTextField";
import { AreaMap } from "~/components/campaigns/AreaMap";
import { areaCells } from "~/components/campaigns/area-cells.server";
import { PLATFORM_WORDS, amountText, dateRangeText, distanceText, hoursLines, inWords, money, sentenceCase, usesMiles } from "~/components/campaigns/format";
import { GuardrailList } from "~/components/campaigns/GuardrailList";
import { METRIC, shopDistanceToMetres } from "~/core/format/format";
import { parseMoney } from "~/core/money/money";
import { NODE_KIND_LABELS, type NodeKind } from "~/core/network/types";
import { AD_PLATFORM_LABELS, AD_PLATFORMS, type AdPlatform } from "~/core/promotions/types";
import { requireAdmin } from "~/services/auth.server";
import { launchCampaign, listAdConnections, planCampaign } from "~/services/campaigns/index.server";
import { CampaignInputError, type PlannedCampaign } from "~/services/campaigns/types";
import { listNodes } from "~/services/network.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.step === 3 ? "Review" : data?.step === 2 ? "Products and budget" : "Hub and area"} · New campaign · Nearhub` },
];

const STEPS = ["Hub and area", "Products and budget", "Review and launch"] as const;
const MAX_DAYS = 90;

/** The form's fields; a refusal from the service names its own field, mapped here to the one beside which it shows. */
type Field = "hub" | "platform" | "radius" | "budget" | "days" | "skus" | "form";
export type FieldErrors = Partial<Record<Field, string>>;

/** Reasons that block a plan because of the budget typed, shown beside the budget field. */
const BUDGET_REASONS = new Set(["CAMPAIGN_BUDGET_UNDER_MINIMUM"]);

export function fieldOf(serviceField: string): Field {
  if (/^(nodeId|hub)/.test(serviceField)) return "hub";
  if (/^platform/.test(serviceField)) return "platform";
  if (/^radius/.test(serviceField)) return "radius";
  if (/^(dailyBudget|budget)/.test(serviceField)) return "budget";
  if (/^days/.test(serviceField)) return "days";
  if (/^(skus?|products?)/.test(serviceField)) return "skus";
  return "form";
}

interface Choices {
  hub: string;
  platform: AdPlatform;
  /** A smaller circle than the same-day reach, in the shop's units (miles or km); empty: the plan's. */
  radius: string;
  budget: string;
  days: string;
  skus: string[];
}

function readChoices(get: (k: string) => string | null, getAll: (k: string) => string[], fallbackPlatform: AdPlatform): Choices {
  const platform = get("platform") ?? "";
  return {
    hub: (get("hub") ?? "").trim().slice(0, 64),
    platform: (AD_PLATFORMS as readonly string[]).includes(platform) ? (platform as AdPlatform) : fallbackPlatform,
    radius: (get("radius") ?? "").trim().slice(0, 16),
    budget: (get("budget") ?? "").trim().slice(0, 32),
    days: (get("days") ?? "").trim().slice(0, 8),
    skus: getAll("sku").map((s) => s.trim()).filter((s) => s.length > 0 && s.length <= 128).slice(0, 200),
  };
}

/** The budget and days typed, as the service takes them; a typo is an error beside its field. */
function parseTargets(choices: Choices, currency: string, miles: boolean): { dailyBudgetMinor?: number; days?: number; radiusM?: number; errors: FieldErrors } {
  const errors: FieldErrors = {};
  let dailyBudgetMinor: number | undefined;
  let days: number | undefined;
  let radiusM: number | undefined;
  if (choices.radius !== "") {
    const n = Number(choices.radius.replace(/\s*(mi|miles?|km)$/i, ""));
    if (Number.isFinite(n) && n > 0 && n <= 500) radiusM = shopDistanceToMetres(n, miles ? { unitSystem: "imperial", weightUnit: "POUNDS" } : METRIC);
    else errors.radius = `Radius: enter a distance in ${miles ? "miles" : "kilometres"} such as ${miles ? "3.5" : "5"}, or leave it empty`;
  }
  if (choices.budget !== "") {
    const parsed = parseMoney(choices.budget, currency);
    if (parsed.ok) dailyBudgetMinor = parsed.minor;
    else errors.budget = `Daily budget: ${parsed.message}`;
  }
  if (choices.days !== "") {
    const n = Number(choices.days);
    if (Number.isInteger(n) && n >= 1 && n <= MAX_DAYS) days = n;
    else errors.days = `Days: enter a whole number from 1 to ${MAX_DAYS}`;
  }
  return { dailyBudgetMinor, days, radiusM, errors };
}

async function platformsFor(shopId: string, demo: boolean) {
  const connections = await listAdConnections(shopId);
  const connected = connections.filter((c) => c.status === "CONNECTED" && c.platform !== "SANDBOX");
  const options: Array<{ value: AdPlatform; label: string }> = [
    ...connected.map((c) => ({ value: c.platform, label: `${AD_PLATFORM_LABELS[c.platform]} · ${c.accountName ?? "connected account"}` })),
    { value: "SANDBOX", label: AD_PLATFORM_LABELS.SANDBOX },
  ];
  const needsReconnect = connections.filter((c) => c.status === "RECONNECT").map((c) => PLATFORM_WORDS[c.platform]);
  return { options, fallback: (demo || connected.length === 0 ? "SANDBOX" : connected[0].platform) as AdPlatform, needsReconnect };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop, demo } = await requireAdmin(request);
  const url = new URL(request.url);
  const miles = usesMiles(shop.weightUnit);
  const [nodes, platforms] = await Promise.all([listNodes(shop.id), platformsFor(shop.id, demo)]);
  const choices = readChoices((k) => url.searchParams.get(k), (k) => url.searchParams.getAll(k), platforms.fallback);
  const requested = Number(url.searchParams.get("step") ?? "1");
  let errors: FieldErrors = {};
  let planned: PlannedCampaign | null = null;
  if (choices.hub !== "") {
    const targets = parseTargets(choices, shop.currency, miles);
    errors = targets.errors;
    try {
      planned = await planCampaign(shop.id, { nodeId: choices.hub, platform: choices.platform, dailyBudgetMinor: targets.dailyBudgetMinor, days: targets.days, radiusM: targets.radiusM });
    } catch (error) {
      if (!(error instanceof CampaignInputError)) throw error;
      errors = { ...errors, [fieldOf(error.field)]: inWords(error.message) };
      // A radius, budget or days the planner refuses still leaves the hub's plan to show beside the error.
      if (["radius", "budget", "days"].includes(fieldOf(error.field))) {
        planned = await planCampaign(shop.id, { nodeId: choices.hub, platform: choices.platform }).catch(() => null);
      }
    }
  }
  // A budget under the account's minimum blocks the plan: said beside the budget field, not as the hub's fault.
  const budgetBlock = planned?.plan.reasons.find((r) => BUDGET_REASONS.has(r.code));
  if (budgetBlock && !errors.budget) errors.budget = budgetBlock.message;
  const hubBlocks = planned && !planned.plan.launchable ? planned.plan.reasons.filter((r) => !BUDGET_REASONS.has(r.code)) : [];
  const hubLaunchable = !!planned && hubBlocks.length === 0;
  // A later step needs a hub that can run and no error on an earlier field; otherwise it goes back.
  let step = planned && [1, 2, 3].includes(requested) ? requested : 1;
  if (step > 1 && !hubLaunchable) step = 1;
  if (step > 1 && errors.radius) step = 1;
  if (step === 3 && (errors.budget || errors.days || errors.skus)) step = 2;
  return {
    step,
    hubLaunchable,
    hubBlocks,
    choices,
    errors,
    planned,
    cells: planned ? areaCells(planned.plan.area.cells) : [],
    hubs: nodes.map((n) => ({ id: n.id, label: `${n.name} · ${NODE_KIND_LABELS[n.kind as NodeKind] ?? "node"}${n.status === "ACTIVE" ? "" : " (switched off)"}` })),
    platforms,
    miles,
    timezone: shop.timezone,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { shop, demo } = await requireAdmin(request);
  const form = await request.formData();
  const platforms = await platformsFor(shop.id, demo);
  const choices = readChoices((k) => (form.get(k) === null ? null : String(form.get(k))), (k) => form.getAll(k).map(String), platforms.fallback);
  if (choices.hub === "") return data({ errors: { hub: "Choose a hub" } as FieldErrors }, { status: 400 });
  const targets = parseTargets(choices, shop.currency, usesMiles(shop.weightUnit));
  if (Object.keys(targets.errors).length > 0) return data({ errors: targets.errors }, { status: 400 });
  try {
    const launched = await launchCampaign(shop.id, {
      nodeId: choices.hub,
      platform: choices.platform,
      dailyBudgetMinor: targets.dailyBudgetMinor,
      days: targets.days,
      radiusM: targets.radiusM,
      skus: choices.skus.length > 0 ? choices.skus : undefined,
    });
    return redirect(`/app/campaigns/${launched.id}`);
  } catch (error) {
    if (error instanceof CampaignInputError) return data({ errors: { [fieldOf(error.field)]: inWords(error.message) } as FieldErrors }, { status: error.status });
    throw error;
  }
}

export default function NewCampaignPage() {
  const loaded = useLoaderData<typeof loader>();
  const launched = useActionData<typeof action>();
  const { step, choices, planned, platforms } = loaded;
  const errors: FieldErrors = { ...loaded.errors, ...(launched?.errors ?? {}) };

  return (
    <AdminPage
      layout="data"
      title="New campaign"
      subtitle={`Step ${step} of 3: ${STEPS[step - 1]}`}
      backAction={{ content: "Campaigns", url: "/app/campaigns" }}
    >
      <Layout>
        <Layout.Section>
          <StepTrail step={step} choices={choices} canAdvance={loaded.hubLaunchable && !errors.budget && !errors.days} />
        </Layout.Section>
        {errors.form ? (
          <Layout.Section>
            <Banner tone="critical" title="The campaign could not be planned">
              <p>{errors.form}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {platforms.needsReconnect.length > 0 ? (
          <Layout.Section>
            <Banner tone="warning" title={`Reconnect ${platforms.needsReconnect.join(" and ")}`}>
              <p>
                The platform no longer accepts Nearhub&apos;s access. <Link to="/app/settings/ads">Reconnect it in Settings</Link> to launch there.
              </p>
            </Banner>
          </Layout.Section>
        ) : null}

        {step === 1 ? <HubStep {...loaded} errors={errors} /> : null}
        {step === 2 && planned ? <BudgetStep {...loaded} planned={planned} errors={errors} /> : null}
        {step === 3 && planned ? <ReviewStep {...loaded} planned={planned} errors={errors} /> : null}
      </Layout>
    </AdminPage>
  );
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

/** Hidden inputs carrying the earlier steps' choices into the next GET or the launch POST. */
function Carry({ choices, except = [] }: { choices: Loaded["choices"]; except?: Array<keyof Choices> }) {
  return (
    <>
      {except.includes("hub") ? null : <input type="hidden" name="hub" value={choices.hub} />}
      {except.includes("platform") ? null : <input type="hidden" name="platform" value={choices.platform} />}
      {except.includes("radius") || choices.radius === "" ? null : <input type="hidden" name="radius" value={choices.radius} />}
      {except.includes("budget") || choices.budget === "" ? null : <input type="hidden" name="budget" value={choices.budget} />}
      {except.includes("days") || choices.days === "" ? null : <input type="hidden" name="days" value={choices.days} />}
      {except.includes("skus") ? null : choices.skus.map((s) => <input key={s} type="hidden" name="sku" value={s} />)}
    </>
  );
}

function stepUrl(step: number, choices: Loaded["choices"]): string {
  const q = new URLSearchParams({ step: String(step), hub: choices.hub, platform: choices.platform });
  if (choices.radius) q.set("radius", choices.radius);
  if (choices.budget) q.set("budget", choices.budget);
  if (choices.days) q.set("days", choices.days);
  for (const s of choices.skus) q.append("sku", s);
  return `/app/campaigns/new?${q.toString()}`;
}

function StepTrail({ step, choices, canAdvance }: { step: number; choices: Loaded["choices"]; canAdvance: boolean }) {
  return (
    <nav aria-label="Steps">
      <ol className="nh-steps">
        {STEPS.map((label, i) => {
          const n = i + 1;
          const current = n === step;
          const reachable = n < step || (n === step + 1 && canAdvance && choices.hub !== "" && step !== 1);
          return (
            <li key={label} className={current ? "nh-step-current" : undefined} aria-current={current ? "step" : undefined}>
              {reachable && !current ? <Link to={stepUrl(n, choices)}>{`${n}. ${label}`}</Link> : <span>{`${n}. ${label}`}</span>}
            </li>
          );
        })}
      </ol>
      <style dangerouslySetInnerHTML={{ __html: STEPS_CSS }} />
    </nav>
  );
}

function HubStep({ choices, errors, planned, cells, hubs, platforms, miles, hubLaunchable, hubBlocks }: Loaded & { errors: FieldErrors }) {
  const [hub, setHub] = useState(choices.hub);
  const [platform, setPlatform] = useState<string>(choices.platform);
  const plan = planned?.plan;
  return (
    <>
      <Layout.Section>
        <Card>
          <Form method="get" action="/app/campaigns/new">
            <input type="hidden" name="step" value="1" />
            <Carry choices={choices} except={["hub", "platform", "radius", "skus"]} />
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Which hub should the ads sell from?
              </Text>
              <InlineStack gap="300" blockAlign="end" wrap>
                <div className="nh-field">
                  <Select
                    label="Hub"
                    name="hub"
                    options={[{ label: "Choose a hub", value: "" }, ...hubs.map((h) => ({ label: h.label, value: h.id }))]}
                    value={hub}
                    onChange={setHub}
                    error={errors.hub}
                  />
                </div>
                <div className="nh-field">
                  <Select label="Ad platform" name="platform" options={platforms.options} value={platform} onChange={setPlatform} error={errors.platform} />
                </div>
                <div className="nh-field nh-field-narrow">
                  <FormTextField
                    label={`Radius (${miles ? "mi" : "km"}, optional)`}
                    name="radius"
                    autoComplete="off"
                    inputMode="decimal"
                    defaultValue={choices.radius}
                    error={errors.radius}
                  />
                </div>
                <Button submit>Show the area</Button>
              </InlineStack>
              {hubs.length === 0 ? (
                <Text as="p" tone="subdued">
                  Your network has no nodes yet. <Link to="/app/network/new">Add a hub</Link> first.
                </Text>
              ) : null}
              <Text as="p" variant="bodySm" tone="subdued">
                Leave the radius empty for the circle Nearhub suggests from the hub&apos;s same-day reach and its past orders; a smaller one
                puts the budget where the orders are closest.
              </Text>
              <Text as="p" variant="bodySm" tone="subdued">
                No ad account yet? <Link to="/app/settings/ads">Connect Meta or Google Ads</Link>, or plan on the sandbox, which follows the same
                shapes and spends nothing.
              </Text>
            </BlockStack>
          </Form>
        </Card>
      </Layout.Section>
      {plan ? (
        <>
          {!hubLaunchable ? (
            <Layout.Section>
              <Banner tone="critical" title={`${plan.hubName} cannot run a campaign now`}>
                <List>
                  {hubBlocks.map((r, i) => (
                    <List.Item key={i}>{sentenceCase(r.message)}</List.Item>
                  ))}
                </List>
                <p>Nothing will launch from this hub until that changes. Choose another hub, or fix this one in Network or Compliance.</p>
              </Banner>
            </Layout.Section>
          ) : null}
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {`Where the ads would show: ${distanceText(plan.area.radiusM, miles)} around ${plan.hubName}`}
                </Text>
                <InlineGrid columns={{ xs: 1, lg: "3fr 2fr" }} gap="400">
                  <AreaMap
                    latitude={plan.area.latitude}
                    longitude={plan.area.longitude}
                    radiusM={plan.area.radiusM}
                    cells={cells}
                    hubName={plan.hubName}
                    radiusLabel={distanceText(plan.area.radiusM, miles)}
                  />
                  <BlockStack gap="200">
                    <Text as="h3" variant="headingSm">
                      Why this circle
                    </Text>
                    <List>
                      {plan.area.explanation.map((line, i) => (
                        <List.Item key={i}>{sentenceCase(line)}</List.Item>
                      ))}
                    </List>
                  </BlockStack>
                </InlineGrid>
                {hubLaunchable ? (
                  <InlineStack>
                    <Form method="get" action="/app/campaigns/new">
                      <input type="hidden" name="step" value="2" />
                      <Carry choices={choices} />
                      <Button submit variant="primary">
                        Continue to products and budget
                      </Button>
                    </Form>
                  </InlineStack>
                ) : null}
              </BlockStack>
            </Card>
          </Layout.Section>
        </>
      ) : null}
    </>
  );
}

function BudgetStep({ choices, errors, planned }: Loaded & { planned: NonNullable<Loaded["planned"]>; errors: FieldErrors }) {
  const { plan } = planned;
  const b = plan.budget;
  const chosen = new Set(choices.skus.length > 0 ? choices.skus : plan.products.map((p) => p.sku));
  return (
    <Layout.Section>
      <Form method="get" action="/app/campaigns/new">
        <input type="hidden" name="step" value="3" />
        <Carry choices={choices} except={["budget", "days", "skus"]} />
        <BlockStack gap="400">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {`Products ${plan.hubName} can deliver today`}
              </Text>
              {plan.products.length === 0 ? (
                <Text as="p" tone="subdued">
                  The hub has no product with enough local stock to advertise.
                </Text>
              ) : (
                <fieldset className="nh-products">
                  <legend>Advertise these products</legend>
                  {plan.products.map((p) => (
                    <label key={p.sku} className="nh-product">
                      <input type="checkbox" name="sku" value={p.sku} defaultChecked={chosen.has(p.sku)} />
                      <span>
                        <Text as="span" fontWeight="semibold">
                          {p.title}
                        </Text>{" "}
                        <Text as="span" tone="subdued">
                          {`${p.onHand} in stock${p.restockedReturns > 0 ? `, ${p.restockedReturns} of them restocked returns` : ""} · ${money(p.priceMinor, b.currency)}`}
                        </Text>
                        <br />
                        <Text as="span" variant="bodySm">
                          {sentenceCase(p.why)}
                        </Text>
                      </span>
                    </label>
                  ))}
                </fieldset>
              )}
              {errors.skus ? <InlineError message={errors.skus} fieldID="sku" /> : null}
              {plan.skippedProducts && plan.skippedProducts.length > 0 ? (
                <BlockStack gap="100">
                  <Text as="p" fontWeight="semibold">
                    Not advertised
                  </Text>
                  <List>
                    {plan.skippedProducts.map((p) => (
                      <List.Item key={p.sku}>{sentenceCase(p.why)}</List.Item>
                    ))}
                  </List>
                </BlockStack>
              ) : null}
            </BlockStack>
          </Card>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Budget
              </Text>
              <InlineStack gap="300" wrap blockAlign="start">
                <div className="nh-field">
                  <FormTextField
                    label={`Daily budget (${b.currency})`}
                    name="budget"
                    autoComplete="off"
                    inputMode="decimal"
                    defaultValue={choices.budget || amountText(b.dailyMinor, b.currency)}
                    helpText={`Suggested ${money(b.suggestedMinor, b.currency)}; the account's minimum is ${money(b.minimumMinor, b.currency)}.`}
                    error={errors.budget}
                  />
                </div>
                <div className="nh-field nh-field-narrow">
                  <FormTextField
                    label="Days"
                    name="days"
                    type="number"
                    min={1}
                    max={MAX_DAYS}
                    autoComplete="off"
                    defaultValue={choices.days || String(b.days)}
                    helpText={`${dateRangeText(plan.startsOn, plan.endsOn)}`}
                    error={errors.days}
                  />
                </div>
              </InlineStack>
              <Text as="p">{`At ${money(b.dailyMinor, b.currency)} a day for ${b.days} days, the test costs at most ${money(b.totalMinor, b.currency)}.`}</Text>
              <List>
                {b.explanation.map((line, i) => (
                  <List.Item key={i}>{sentenceCase(line)}</List.Item>
                ))}
              </List>
              <InlineStack gap="300" blockAlign="center">
                <Button submit variant="primary">
                  Review
                </Button>
                <Link to={stepUrl(1, choices)}>Back to the hub</Link>
              </InlineStack>
            </BlockStack>
          </Card>
        </BlockStack>
      </Form>
      <style dangerouslySetInnerHTML={{ __html: FORM_CSS }} />
    </Layout.Section>
  );
}

function ReviewStep({ choices, errors, planned, miles, timezone }: Loaded & { planned: NonNullable<Loaded["planned"]>; errors: FieldErrors }) {
  const navigation = useNavigation();
  const { plan, payloads, connection } = planned;
  const b = plan.budget;
  const advertised = choices.skus.length > 0 ? plan.products.filter((p) => choices.skus.includes(p.sku)) : plan.products;
  const fieldErrors = (["hub", "platform", "radius", "budget", "days", "skus"] as const).filter((f) => errors[f]);
  return (
    <>
      {fieldErrors.length > 0 ? (
        <Layout.Section>
          <Banner tone="critical" title="The platform or the planner refused this campaign">
            <List>
              {fieldErrors.map((f) => (
                <List.Item key={f}>
                  {`${FIELD_WORDS[f]}: ${errors[f]} `}
                  <Link to={stepUrl(f === "hub" || f === "platform" || f === "radius" ? 1 : 2, choices)}>Change it</Link>
                </List.Item>
              ))}
            </List>
          </Banner>
        </Layout.Section>
      ) : null}
      <Layout.Section>
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              What will run
            </Text>
            <dl className="nh-review">
              <dt>Hub</dt>
              <dd>{plan.hubName}</dd>
              <dt>Platform</dt>
              <dd>{`${AD_PLATFORM_LABELS[plan.platform]}${connection.connected ? "" : " (not connected: nothing will be sent until it is)"}`}</dd>
              <dt>Area</dt>
              <dd>{`${distanceText(plan.area.radiusM, miles)} around the hub, ${plan.area.cells.length} demand cells`}</dd>
              <dt>Budget</dt>
              <dd>{`${money(b.dailyMinor, b.currency)} a day for ${b.days} days (at most ${money(b.totalMinor, b.currency)}), ${dateRangeText(plan.startsOn, plan.endsOn)}`}</dd>
              <dt>Products</dt>
              <dd>{advertised.length > 0 ? advertised.map((p) => p.title).join(", ") : "none"}</dd>
              <dt>{`Same-day hours (${plan.hours.timezone === timezone ? "shop time" : plan.hours.timezone.replace(/_/g, " ")})`}</dt>
              <dd>
                {plan.hours.windows.length > 0 ? hoursLines(plan.hours.windows).join("; ") : "none: the ads would not run"}
                {(plan.hours.explanation ?? []).map((line, i) => (
                  <Text key={i} as="p" variant="bodySm" tone="subdued">
                    {sentenceCase(line)}
                  </Text>
                ))}
              </dd>
              <dt>UTM</dt>
              <dd>
                <code>{`utm_source=${plan.utm.source}&utm_medium=${plan.utm.medium}&utm_campaign=${plan.utm.campaign}`}</code>
                <br />
                <Text as="span" variant="bodySm" tone="subdued">
                  Set once at launch and never changed: Shopify attributes orders to the campaign by it.
                </Text>
              </dd>
            </dl>
          </BlockStack>
        </Card>
      </Layout.Section>
      <Layout.Section>
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">
              Guardrails
            </Text>
            <Text as="p" tone="subdued">
              Nearhub checks these whenever stock, capacity, permits or the clock change, and at least every 15 minutes.
            </Text>
            <GuardrailList guardrails={plan.guardrails} currency={b.currency} />
          </BlockStack>
        </Card>
      </Layout.Section>
      <Layout.Section>
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">
              The exact requests
            </Text>
            <Text as="p" tone="subdued">
              {payloads.length === 0
                ? `Nothing can be sent until ${PLATFORM_WORDS[plan.platform]} is connected in Settings: the requests are shown here once it is.`
                : !connection.connected
                  ? `${PLATFORM_WORDS[plan.platform]} is not connected yet: these are the ${payloads.length} requests launching would send, drafted for a placeholder account.`
                  : JSON.stringify(payloads).includes("validate_only")
                  ? `${PLATFORM_WORDS[plan.platform]} checked these ${payloads.length} requests without running anything (validate_only). Launching sends them as below, without that option.`
                  : `Launching sends ${payloads.length} ${payloads.length === 1 ? "request" : "requests"}, exactly as below.`}
            </Text>
            {payloads.map((p, i) => (
              <details key={i} className="nh-request">
                <summary>{`${i + 1}. ${p.method} ${p.url.replace(/\?.*$/, "")}`}</summary>
                <Box paddingBlockStart="200">
                  <pre tabIndex={0}>{JSON.stringify(p, null, 2)}</pre>
                </Box>
              </details>
            ))}
          </BlockStack>
        </Card>
      </Layout.Section>
      <Layout.Section>
        <Card>
          {plan.launchable ? (
            <Form method="post" action={`/app/campaigns/new?${new URLSearchParams({ step: "3", hub: choices.hub, platform: choices.platform }).toString()}`}>
              <Carry choices={choices} />
              <InlineStack gap="300" blockAlign="center" wrap>
                <Button submit variant="primary" loading={navigation.state === "submitting"}>
                  Launch
                </Button>
                <Link to={stepUrl(2, choices)}>Back to products and budget</Link>
                <Text as="span" tone="subdued">
                  {plan.platform === "SANDBOX" ? "The sandbox spends nothing." : `Spends at most ${money(b.totalMinor, b.currency)} on ${PLATFORM_WORDS[plan.platform]}.`}
                </Text>
              </InlineStack>
            </Form>
          ) : (
            <Text as="p" tone="critical">
              {plan.reasons.map((r) => sentenceCase(r.message)).join(" ")}
            </Text>
          )}
        </Card>
      </Layout.Section>
      <style dangerouslySetInnerHTML={{ __html: FORM_CSS }} />
    </>
  );
}

const FIELD_WORDS: Record<Field, string> = { hub: "Hub", platform: "Platform", radius: "Radius", budget: "Daily budget", days: "Days", skus: "Products", form: "Campaign" };

const STEPS_CSS = `
.nh-steps{list-style:none;display:flex;flex-wrap:wrap;gap:8px;margin:0;padding:0}
.nh-steps li{padding:6px 12px;border-radius:16px;background:#f1f1f1;font-size:14px}
.nh-steps li.nh-step-current{background:#303030;color:#fff;font-weight:600}
.nh-steps a{color:#005bd3}
.nh-field{min-width:260px;flex:1 1 260px;max-width:420px}
.nh-field-narrow{max-width:200px;min-width:150px;flex:0 1 200px}
`;

const FORM_CSS = `
.nh-field{min-width:240px;flex:1 1 240px;max-width:360px}
.nh-field-narrow{max-width:180px;min-width:140px;flex:0 1 180px}
.nh-products{border:0;margin:0;padding:0;display:flex;flex-direction:column;gap:12px}
.nh-products legend{font-weight:600;margin-bottom:8px}
.nh-product{display:flex;gap:10px;align-items:flex-start;cursor:pointer}
.nh-product input{width:20px;height:20px;margin-top:2px;flex:none}
.nh-review{display:grid;grid-template-columns:minmax(120px,max-content) 1fr;gap:8px 16px;margin:0}
.nh-review dt{font-weight:600}
.nh-review dd{margin:0;overflow-wrap:anywhere}
.nh-request summary{cursor:pointer;color:#005bd3;min-height:24px;overflow-wrap:anywhere}
.nh-request pre{margin:0;max-height:420px;overflow:auto;background:#f7f7f7;border-radius:6px;padding:8px;font-size:12px;white-space:pre-wrap;word-break:break-word}
`;

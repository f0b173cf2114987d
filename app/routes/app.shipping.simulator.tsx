// Quote simulator: what a shopper would be offered for this cart, address and moment, with each
// option's cost broken down by component (a stacked bar per option) and node, its delivery
// window in the node's time zone, and every node or service left out with the reason.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { Badge, Banner, BlockStack, Box, Button, Card, Divider, FormLayout, InlineGrid, InlineStack, Layout, List, Select, Text, TextField } from "@shopify/polaris";
import { AdminPage } from "~/components/admin/AdminPage";
import { CostBreakdownBar, CostLegend, type BarComponent } from "~/components/shipping/CostBreakdownBar";
import { ShippingTabs } from "~/components/shipping/ShippingTabs";
import type { FieldErrors } from "~/components/shipping/form-utils";
import {
  SIMULATOR_LABELS,
  lineName,
  localInputValue,
  readSimulatorForm,
  simulatorFormValues,
  type SimulatorFormValues,
} from "~/components/shipping/simulator-form";
import type { ServiceKind } from "~/core/costing/types";
import { reasonTitle } from "~/core/network/reasons";
import { sortOptions } from "~/core/quoting";
import { formatMinor } from "~/core/money/money";
import { formatDateTime, formatDayRange, formatDistance, formatTimeWindow, formatWeight } from "~/core/format/format";
import { requireAdmin } from "~/services/auth.server";
import { listNodes } from "~/services/network.server";
import { quoteForShop } from "~/services/quotes.server";
import { db } from "~/db.server";

export const meta: MetaFunction = () => [{ title: "Quote simulator · Shipping · Nearhub" }];

const SERVICE_LABELS: Record<ServiceKind, string> = {
  SAME_DAY: "Same day",
  NEXT_DAY: "Next day",
  STANDARD: "Standard",
  AUTONOMOUS: "Autonomous",
  PICKUP: "Pickup",
};

async function shopProducts(shopId: string) {
  return db.product.findMany({
    where: { shopId },
    select: { sku: true, title: true, weightGrams: true, valueMinor: true },
    orderBy: [{ title: "asc" }],
    take: 500,
  });
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop, conventions: u } = await requireAdmin(request);
  const products = await shopProducts(shop.id);
  const initial: SimulatorFormValues = {
    country: "US",
    postalCode: "",
    latitude: "",
    longitude: "",
    at: localInputValue(new Date(), shop.timezone),
    lines: [{ sku: products[0]?.sku ?? "", quantity: "1" }],
  };
  return {
    currency: shop.currency,
    timezone: shop.timezone,
    products: products.map((p) => ({
      sku: p.sku,
      label: `${p.title} (${p.sku}) · ${formatWeight(p.weightGrams, u)} · ${formatMinor(p.valueMinor, shop.currency)}`,
    })),
    initial,
  };
}


export async function action({ request }: ActionFunctionArgs) {
  const { shop, conventions: u } = await requireAdmin(request);
  const form = await request.formData();
  const values = simulatorFormValues(form);
  const [products, nodes] = await Promise.all([shopProducts(shop.id), listNodes(shop.id)]);
  const read = readSimulatorForm(values, { timezone: shop.timezone, now: new Date(), skus: products.map((p) => p.sku) });
  if (!read.input) return data({ values, errors: read.errors, result: null }, { status: 400 });
  const input = read.input;

  const quote = await quoteForShop(
    { id: shop.id, currency: shop.currency },
    {
      lines: input.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
      destination: {
        country: input.country,
        postalCode: input.postalCode || null,
        latitude: input.latitude,
        longitude: input.longitude,
      },
    },
    { source: "SIMULATOR", now: input.now },
  );
  const currency = quote.result.currency;
  const nodeName = new Map(nodes.map((n) => [n.id, n.name]));
  // Cheapest to the merchant first (landed cost), as the heading says: checkout orders by the
  // shopper's price, which pricing rules (free shipping, margins, rounding) can turn around.
  const options = sortOptions([...quote.result.options], "cost").map((o) => {
    const components: BarComponent[] = o.cost.components.map((c) => ({ ...c, amount: formatMinor(c.amountMinor, currency) }));
    const t = o.cost.transit;
    return {
      serviceCode: o.serviceCode,
      service: SERVICE_LABELS[o.service],
      nodeName: o.nodeName,
      description: o.description,
      priceMinor: o.priceMinor,
      price: formatMinor(o.priceMinor, currency),
      costMinor: o.cost.totalMinor,
      cost: formatMinor(o.cost.totalMinor, currency),
      forward: formatMinor(o.cost.forwardMinor, currency),
      reverse: formatMinor(o.cost.expectedReverseMinor, currency),
      components,
      pricing: o.pricing.map((p) => ({ label: p.label, before: formatMinor(p.beforeMinor, currency), after: formatMinor(p.afterMinor, currency), detail: p.detail })),
      window: formatTimeWindow(o.window.earliestMs, o.window.latestMs, { timeZone: o.window.timezone }),
      timezone: o.window.timezone,
      transit: [
        t.provider,
        t.zone ? `zone ${t.zone}` : null,
        t.distanceM != null ? formatDistance(t.distanceM, u) : null,
        t.minutes != null ? `${t.minutes} min on the way` : null,
        t.days ? formatDayRange(t.days.min, t.days.max) : null,
      ]
        .filter(Boolean)
        .join(" · "),
      leadTime: o.cost.leadTimeMinutes,
      reasons: [...o.reasons, ...o.cost.reasons],
      // A split option: each parcel's own cost, drawn on its own bar.
      parcels: (o.shipments ?? []).map((p) => ({
        nodeName: p.nodeName,
        description: p.description,
        items: p.lines.map((l) => `${l.quantity} × ${l.sku}`).join(", "),
        priceMinor: p.priceMinor,
        price: formatMinor(p.priceMinor, currency),
        cost: formatMinor(p.cost.totalMinor, currency),
        components: p.cost.components.map((c): BarComponent => ({ ...c, amount: formatMinor(c.amountMinor, currency) })),
      })),
    };
  });
  const excluded = quote.result.excluded.map((e) => ({
    node: nodeName.get(e.nodeId) ?? e.nodeHandle,
    service: e.service ? SERVICE_LABELS[e.service] : "All services",
    reasons: e.reasons.map((r) => ({ code: r.code, message: r.message })),
  }));
  return data({
    values,
    errors: {} as FieldErrors,
    result: {
      currency,
      options,
      excluded,
      reasons: quote.result.reasons,
      placed: quote.placed,
      destination: quote.destination,
      fallbackUsed: quote.fallbackUsed,
      fallbackReason: quote.fallbackReason,
      backupRates: quote.fallbackUsed
        ? quote.backupRates.map((b) => ({ name: b.serviceName, price: formatMinor(b.priceMinor, currency), days: formatDayRange(b.transitDaysMin, b.transitDaysMax) }))
        : [],
      durationMs: Math.round(quote.durationMs * 10) / 10,
      unknownLines: quote.unknownLines,
      quotedAt: formatDateTime(quote.result.quotedAt, u),
      scaleMinor: Math.max(1, ...options.map((o) => Math.max(o.costMinor, o.priceMinor))),
    },
  });
}

export default function Simulator() {
  const { currency, timezone, products, initial } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [v, setV] = useState<SimulatorFormValues>(actionData?.values ?? initial);
  const errors: FieldErrors = actionData?.errors ?? {};
  const result = actionData?.result ?? null;
  const set = (key: "country" | "postalCode" | "latitude" | "longitude" | "at") => (value: string) => setV((x) => ({ ...x, [key]: value }));
  const setLine = (i: number, key: "sku" | "quantity") => (value: string) =>
    setV((x) => ({ ...x, lines: x.lines.map((l, k) => (k === i ? { ...l, [key]: value } : l)) }));
  const errorList = Object.entries(errors);

  return (
    <AdminPage layout="data" title="Quote simulator" subtitle="See what a shopper would be offered, what each option costs you, and why other nodes are left out">
      <BlockStack gap="400">
        <ShippingTabs />
        <Layout>
          <Layout.Section>
            <Card>
              <Form method="post" noValidate>
                <BlockStack gap="400">
                  {errorList.length > 0 ? (
                    <Banner tone="critical" title="Fix these to run the quote">
                      <List>
                        {errorList.map(([k, m]) => (
                          <List.Item key={k}>{`${SIMULATOR_LABELS[k] ?? (k.startsWith("lines.") ? `Cart line ${Number(k.split(".")[1]) + 1}` : k)}: ${m}`}</List.Item>
                        ))}
                      </List>
                    </Banner>
                  ) : null}
                  <FormLayout>
                    <Text as="h2" variant="headingMd">
                      Address
                    </Text>
                    <FormLayout.Group>
                      <TextField label="Postal code" name="postalCode" id="sim-postalCode" value={v.postalCode} onChange={set("postalCode")} error={errors.postalCode} autoComplete="off" placeholder="e.g. 11211" helpText="Placed at the ZIP’s centre when no coordinates are given" />
                      <TextField label="Country" name="country" id="sim-country" value={v.country} onChange={set("country")} error={errors.country} autoComplete="off" maxLength={2} />
                    </FormLayout.Group>
                    <FormLayout.Group>
                      <TextField label="Latitude" name="latitude" id="sim-latitude" value={v.latitude} onChange={set("latitude")} error={errors.latitude} autoComplete="off" placeholder="optional, e.g. 40.7181" />
                      <TextField label="Longitude" name="longitude" id="sim-longitude" value={v.longitude} onChange={set("longitude")} error={errors.longitude} autoComplete="off" placeholder="optional, e.g. -73.9571" />
                    </FormLayout.Group>
                    <Text as="h2" variant="headingMd">
                      Cart
                    </Text>
                    {products.length === 0 ? (
                      <Text as="p" tone="subdued">
                        This shop has no products with a SKU yet.
                      </Text>
                    ) : null}
                    {v.lines.map((line, i) => (
                      <InlineStack key={i} gap="200" blockAlign="end" wrap={false}>
                        <div style={{ flex: 1 }}>
                          <Select
                            label={`Product ${i + 1}`}
                            name={lineName(i, "sku")}
                            id={`sim-line-${i}-sku`}
                            options={[{ label: "Choose a product", value: "" }, ...products.map((p) => ({ label: p.label, value: p.sku }))]}
                            value={line.sku}
                            onChange={setLine(i, "sku")}
                            error={errors[lineName(i, "sku")]}
                          />
                        </div>
                        <div style={{ width: 110 }}>
                          <TextField label="Quantity" name={lineName(i, "quantity")} id={`sim-line-${i}-quantity`} value={line.quantity} onChange={setLine(i, "quantity")} error={errors[lineName(i, "quantity")]} autoComplete="off" inputMode="numeric" />
                        </div>
                        <Button variant="plain" tone="critical" disabled={v.lines.length === 1} onClick={() => setV((x) => ({ ...x, lines: x.lines.filter((_, k) => k !== i) }))} accessibilityLabel={`Remove product ${i + 1}`}>
                          Remove
                        </Button>
                      </InlineStack>
                    ))}
                    <InlineStack>
                      <Button onClick={() => setV((x) => ({ ...x, lines: [...x.lines, { sku: "", quantity: "1" }] }))}>Add product</Button>
                    </InlineStack>
                    <TextField
                      label="Date and time"
                      name="at"
                      id="sim-at"
                      type="datetime-local"
                      value={v.at}
                      onChange={set("at")}
                      error={errors.at}
                      autoComplete="off"
                      helpText={`In the shop’s time zone (${timezone}). Cut-offs, opening hours and surges are read at this moment.`}
                    />
                  </FormLayout>
                  <InlineStack align="end">
                    <Button submit variant="primary" loading={navigation.state === "submitting"}>
                      Run quote
                    </Button>
                  </InlineStack>
                </BlockStack>
              </Form>
            </Card>
          </Layout.Section>
          {result ? <Results result={result} currency={currency} /> : null}
        </Layout>
        <Box paddingBlockEnd="800" />
      </BlockStack>
    </AdminPage>
  );
}

type ResultView = NonNullable<NonNullable<ReturnType<typeof useActionData<typeof action>>>["result"]>;

function Results({ result, currency }: { result: ResultView; currency: string }) {
  const placed =
    result.placed === "coordinates"
      ? "at the coordinates given"
      : result.placed === "postal_code"
        ? `at the centre of ${result.destination.postalCode} (${result.destination.latitude?.toFixed(4)}, ${result.destination.longitude?.toFixed(4)})`
        : "nowhere: only services priced by postal code and pickup can be quoted";
  return (
    <>
      <Layout.Section>
        <Card>
          <BlockStack gap="200">
            <InlineStack gap="200" blockAlign="center">
              <Text as="h2" variant="headingMd">
                {result.options.length} option{result.options.length === 1 ? "" : "s"}
              </Text>
              <Badge>{`${result.durationMs} ms`}</Badge>
              {result.fallbackUsed ? <Badge tone="warning">Backup rates</Badge> : null}
            </InlineStack>
            <Text as="p" tone="subdued">
              Quoted for {result.quotedAt}; address placed {placed}. Amounts in {currency}.
            </Text>
            {result.reasons.length > 0 ? (
              <List>
                {result.reasons.map((r) => (
                  <List.Item key={r}>{r}</List.Item>
                ))}
              </List>
            ) : null}
            {result.unknownLines.length > 0 ? <Banner tone="warning" title={`Not in the catalogue: ${result.unknownLines.join(", ")}`} /> : null}
          </BlockStack>
        </Card>
      </Layout.Section>
      {result.fallbackUsed ? (
        <Layout.Section>
          <Banner tone="warning" title="Checkout would show your backup rates">
            <BlockStack gap="200">
              <p>{result.fallbackReason}</p>
              {/took longer|budget/.test(result.fallbackReason ?? "") ? (
                <p>
                  After a settings change the first quote also loads your network, which can take longer than the checkout
                  time budget. Run the quote again to see what shoppers get from then on; if it stays slow, raise the budget
                  under Pricing &amp; backup rates.
                </p>
              ) : null}
              <List>
                {result.backupRates.map((b) => (
                  <List.Item key={b.name}>
                    {b.name}: {b.price} ({b.days})
                  </List.Item>
                ))}
              </List>
            </BlockStack>
          </Banner>
        </Layout.Section>
      ) : null}
      {result.options.length > 0 ? (
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <Text as="h2" variant="headingMd">
                Options, cheapest to you first
              </Text>
              <CostLegend />
              {result.options.map((o, i) => (
                <BlockStack key={o.serviceCode} gap="200">
                  {i > 0 ? <Divider /> : null}
                  <div data-testid="quote-option" data-service-code={o.serviceCode}>
                    <BlockStack gap="200">
                      <InlineStack align="space-between" blockAlign="start" gap="200" wrap={false}>
                        <div style={{ flex: 1, minWidth: 0 }}>
                        <BlockStack gap="050">
                          <InlineStack gap="200" blockAlign="center">
                            <Text as="h3" variant="headingSm">
                              {o.description}
                            </Text>
                            <Badge tone="info">{o.service}</Badge>
                          </InlineStack>
                          <Text as="p" variant="bodySm" tone="subdued">
                            From {o.nodeName} · {o.window} · {o.transit}
                            {o.leadTime ? ` · ready after ${o.leadTime} min` : ""}
                          </Text>
                        </BlockStack>
                        </div>
                        <BlockStack gap="050" inlineAlign="end">
                          <Text as="p" variant="headingMd">
                            {o.price}
                          </Text>
                          <Text as="p" variant="bodySm" tone="subdued">
                            costs you {o.cost}
                          </Text>
                        </BlockStack>
                      </InlineStack>
                      <CostBreakdownBar
                        components={o.components}
                        scaleMinor={result.scaleMinor}
                        priceMinor={o.priceMinor}
                        price={o.price}
                        label={`${o.description}: costs ${o.cost} (${o.components.map((c) => `${c.label} ${c.amount}`).join(", ")}), shopper pays ${o.price}`}
                      />
                      {o.parcels.length > 1 ? (
                        <BlockStack gap="100">
                          {o.parcels.map((p, k) => (
                            <div key={k} data-testid="quote-parcel">
                              <Text as="p" variant="bodySm">
                                Parcel {k + 1}: {p.description} ({p.items}) · costs you {p.cost} · shopper pays {p.price}
                              </Text>
                              <CostBreakdownBar
                                components={p.components}
                                scaleMinor={result.scaleMinor}
                                priceMinor={p.priceMinor}
                                price={p.price}
                                label={`Parcel ${k + 1}, ${p.description}: costs ${p.cost} (${p.components.map((c) => `${c.label} ${c.amount}`).join(", ")}), shopper pays ${p.price}`}
                              />
                            </div>
                          ))}
                        </BlockStack>
                      ) : null}
                      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
                        <table style={{ borderCollapse: "collapse", fontSize: 13, width: "100%" }} data-testid="cost-breakdown">
                          <tbody>
                            {o.components.map((c, k) => (
                              <tr key={k}>
                                <td style={{ padding: "2px 8px 2px 0", verticalAlign: "top", width: "38%" }}>{c.label}</td>
                                <td style={{ padding: "2px 8px", textAlign: "right", whiteSpace: "nowrap", verticalAlign: "top" }}>{c.amount}</td>
                                <td style={{ padding: "2px 0", color: "#616161", verticalAlign: "top" }}>{c.detail}</td>
                              </tr>
                            ))}
                            <tr>
                              <td style={{ padding: "4px 8px 2px 0", fontWeight: 600 }}>Landed cost</td>
                              <td style={{ padding: "4px 8px 2px", textAlign: "right", fontWeight: 600, whiteSpace: "nowrap" }}>{o.cost}</td>
                              <td style={{ padding: "4px 0 2px", color: "#616161" }}>
                                forward {o.forward} + expected returns {o.reverse}
                              </td>
                            </tr>
                          </tbody>
                        </table>
                        <BlockStack gap="100">
                          <Text as="p" variant="bodySm" fontWeight="semibold">
                            Price
                          </Text>
                          {o.pricing.length === 0 ? (
                            <Text as="p" variant="bodySm">
                              No pricing rule applied: the shopper pays the delivery cost.
                            </Text>
                          ) : (
                            <List type="number">
                              {o.pricing.map((p, k) => (
                                <List.Item key={k}>
                                  <Text as="span" variant="bodySm">
                                    {p.label}: {p.before} → {p.after} ({p.detail})
                                  </Text>
                                </List.Item>
                              ))}
                            </List>
                          )}
                          {o.reasons.length > 0 ? (
                            <>
                              <Text as="p" variant="bodySm" fontWeight="semibold">
                                Why
                              </Text>
                              <List>
                                {o.reasons.map((r, k) => (
                                  <List.Item key={k}>
                                    <Text as="span" variant="bodySm">
                                      {r}
                                    </Text>
                                  </List.Item>
                                ))}
                              </List>
                            </>
                          ) : null}
                        </BlockStack>
                      </InlineGrid>
                    </BlockStack>
                  </div>
                </BlockStack>
              ))}
            </BlockStack>
          </Card>
        </Layout.Section>
      ) : null}
      <Layout.Section>
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Left out, and why
            </Text>
            {result.excluded.length === 0 ? (
              <Text as="p" tone="subdued">
                Nothing was left out.
              </Text>
            ) : (
              <table style={{ borderCollapse: "collapse", width: "100%", fontSize: 13 }} data-testid="exclusions">
                <thead>
                  <tr>
                    {["Node", "Service", "Reason"].map((h) => (
                      <th key={h} style={{ textAlign: "left", padding: "4px 8px", borderBottom: "1px solid #e3e3e3" }}>
                        {h}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {result.excluded.map((e, i) => (
                    <tr key={i} data-testid="exclusion">
                      <td style={{ padding: "4px 8px", verticalAlign: "top", borderBottom: "1px solid #f1f1f1" }}>{e.node}</td>
                      <td style={{ padding: "4px 8px", verticalAlign: "top", borderBottom: "1px solid #f1f1f1" }}>{e.service}</td>
                      <td style={{ padding: "4px 8px", borderBottom: "1px solid #f1f1f1" }}>
                        {e.reasons.map((r, k) => (
                          <div key={k}>
                            <Badge size="small">{reasonTitle(r.code).title}</Badge> {r.message}
                          </div>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </BlockStack>
        </Card>
      </Layout.Section>
    </>
  );
}

// Return rules editor with a tester. Rules are tried in order for each returned line; the first
// whose conditions all hold (and whose outcome applies) decides it, else the default outcome. The
// tester runs the rules as shown (saved or not) on a sample return against the shop's real
// network: which rules matched, which did not and why, the outcome, and the destination hub with
// the figures every hub was weighed on.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { Badge, Banner, BlockStack, Card, InlineGrid, InlineStack, Layout, Select, Text, TextField } from "@shopify/polaris";
import { AdminPage } from "~/components/admin/AdminPage";
import { z } from "zod";
import { ReturnsTabs } from "~/components/returns/ReturnsTabs";
import { CHOICE_LABELS, RULES_NAME, outcomeForm, returnRulesForm } from "~/components/returns/rule-forms";
import { readPostedNestedRules } from "~/components/rules/form-data";
import { nestedToValues } from "~/components/rules/nested";
import { NestedRuleListEditor } from "~/components/rules/RuleListEditor";
import { fieldErrors } from "~/core/validation/issues";
import { DEFAULT_TESTER_VALUES, TESTER_FIELDS, testerSampleSchema, type TesterValues } from "~/components/returns/tester-form";
import { currencyAffix, formatDistance, formatPercent, type Units } from "~/core/format/format";
import { currencyDigits, formatAmount, formatMinor } from "~/core/money/money";
import { ITEM_CONDITIONS, RETURN_REASONS } from "~/core/returns/types";
import { db } from "~/db.server";
import { requireAdmin } from "~/services/auth.server";
import { getReturnSettings, returnSettingsSchema, saveReturnSettings } from "~/services/return-settings.server";
import { testReturnRules, type TesterResult } from "~/services/returns-admin.server";

export const meta: MetaFunction = () => [{ title: "Return rules · Nearhub" }];

const DEFAULT_OUTCOMES = ["REFUND", "STORE_CREDIT", "EXCHANGE"];

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop, conventions } = await requireAdmin(request);
  const [settings, products] = await Promise.all([
    getReturnSettings(shop.id),
    db.product.findMany({ where: { shopId: shop.id }, select: { sku: true, title: true, valueMinor: true }, orderBy: { title: "asc" }, take: 300 }),
  ]);
  return {
    currency: shop.currency,
    units: { unitSystem: conventions.unitSystem, weightUnit: conventions.weightUnit },
    initial: { rules: nestedToValues(returnRulesForm, settings.rules, shop.currency), defaultOutcome: settings.defaultOutcome },
    warnings: settings.warnings,
    products: products.map((p) => ({ sku: p.sku, title: p.title, price: formatAmount(p.valueMinor, shop.currency) })),
  };
}

type ActionData =
  | { intent: "save"; saved: boolean; errors: Record<string, string>; test: null; testErrors: Record<string, string> }
  | { intent: "test"; saved: false; errors: Record<string, string>; test: TesterResult | null; testErrors: Record<string, string> };

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const form = await request.formData();
  const intent = form.get("intent") === "test" ? "test" : "save";
  const read = readPostedNestedRules(form, returnRulesForm, RULES_NAME, shop.currency);
  const current = await getReturnSettings(shop.id);
  const candidate = { ...current, rules: read.rules, defaultOutcome: String(form.get("defaultOutcome") ?? "") };
  const checked = returnSettingsSchema.safeParse(candidate);
  // Rules that do not read are left out of the candidate, so the settings schema's paths would
  // not match the fields: their errors come first, the schema's (e.g. a duplicate id) after.
  const errors = Object.keys(read.errors).length > 0 ? read.errors : checked.success ? {} : fieldErrors(checked.error);

  if (intent === "save") {
    if (Object.keys(errors).length > 0) return data<ActionData>({ intent, saved: false, errors, test: null, testErrors: {} }, { status: 400 });
    try {
      await saveReturnSettings(shop.id, candidate);
    } catch (error) {
      if (error instanceof z.ZodError) return data<ActionData>({ intent, saved: false, errors: fieldErrors(error), test: null, testErrors: {} }, { status: 400 });
      throw error;
    }
    return data<ActionData>({ intent, saved: true, errors: {}, test: null, testErrors: {} });
  }

  const sample = testerSampleSchema(currencyDigits(shop.currency)).safeParse(Object.fromEntries(TESTER_FIELDS.map((f) => [f, String(form.get(f) ?? "")])));
  const testErrors = sample.success ? {} : fieldErrors(sample.error);
  if (!sample.success || Object.keys(errors).length > 0 || !checked.success) {
    return data<ActionData>({ intent, saved: false, errors, test: null, testErrors }, { status: 400 });
  }
  const { price, ...rest } = sample.data;
  const result = await testReturnRules(shop, { rules: checked.data.rules, defaultOutcome: checked.data.defaultOutcome }, { ...rest, unitPriceMinor: price }, Date.now());
  if ("error" in result) return data<ActionData>({ intent, saved: false, errors, test: null, testErrors: { [result.field]: result.error } }, { status: 400 });
  return data<ActionData>({ intent, saved: false, errors: {}, test: result, testErrors: {} });
}

export default function ReturnRules() {
  const { currency, units, initial, warnings, products } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const [sample, setSample] = useState<TesterValues>({ ...DEFAULT_TESTER_VALUES, sku: products[0]?.sku ?? "", price: products[0]?.price ?? "" });
  const set = (k: keyof TesterValues) => (v: string) => setSample((s) => ({ ...s, [k]: v }));
  const [defaultOutcome, setDefaultOutcome] = useState(initial.defaultOutcome);
  const errors = actionData?.errors ?? {};
  const testErrors = actionData?.testErrors ?? {};
  const errorCount = Object.keys(errors).length;

  return (
    <AdminPage layout="data" title="Returns" subtitle="Rules decide what each returned item gets; the tester shows why">
      <Form method="post">
        <BlockStack gap="400">
          <ReturnsTabs />
          {warnings.length > 0 ? <Banner tone="warning" title="Some stored rules were ignored">{warnings.join("; ")}</Banner> : null}
          {actionData?.intent === "save" && actionData.saved ? <Banner tone="success" title="Rules saved: new returns follow them from now on" /> : null}
          {errorCount > 0 ? (
            <Banner tone="critical" title={`${errorCount === 1 ? "One field needs" : `${errorCount} fields need`} attention`}>
              <p>Each problem is shown next to its field below. {actionData?.intent === "test" ? "The tester runs once the rules are valid." : "Nothing was saved."}</p>
            </Banner>
          ) : null}
          <Layout>
            <Layout.Section>
              <Card>
                <BlockStack gap="400">
                  <Text as="h2" variant="headingMd">
                    Rules, in order
                  </Text>
                  <Text as="p" tone="subdued">
                    For each returned item the rules are tried from the top. The first rule whose conditions all hold decides the
                    outcome; if none does, the default applies. Items that come back go to the return hub chosen by the settings’
                    destination mode.
                  </Text>
                  <NestedRuleListEditor
                    form={returnRulesForm}
                    name={RULES_NAME}
                    initial={initial.rules}
                    errors={errors}
                    currency={currency}
                    addLabel="Add rule"
                    emptyText="No rules yet: every returned line gets the default outcome below. Add a rule to decline late returns, offer store credit, or let customers keep items not worth bringing back."
                    conditionsHeading="When all of these hold"
                    outcomeHeading="Then"
                    noConditionsText="No conditions: this rule applies to every line that reaches it."
                  />
                  <div style={{ maxWidth: 420 }}>
                    <Select
                      label="When no rule matches"
                      name="defaultOutcome"
                      id="defaultOutcome"
                      options={DEFAULT_OUTCOMES.map((code) => ({ label: outcomeForm.registry.strategies.get(code)?.label ?? code, value: code }))}
                      value={defaultOutcome}
                      onChange={setDefaultOutcome}
                      error={errors.defaultOutcome}
                    />
                  </div>
                  <InlineStack gap="300">
                    <button className="nh-touch nh-primary" type="submit" name="intent" value="save" disabled={busy}>
                      Save rules
                    </button>
                  </InlineStack>
                </BlockStack>
              </Card>
            </Layout.Section>
            <Layout.Section variant="oneThird">
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Test a sample return
                  </Text>
                  <Text as="p" tone="subdued">
                    Runs the rules as shown on the left, saved or not, with your real hubs, stock and local sales.
                  </Text>
                  <Select label="Product" name="sku" options={products.map((p) => ({ label: `${p.title} (${p.sku})`, value: p.sku }))} value={sample.sku} onChange={(sku) => {
                    const p = products.find((x) => x.sku === sku);
                    setSample((s) => ({ ...s, sku, price: p?.price ?? s.price }));
                  }} error={testErrors.sku} />
                  <Select label="Reason" name="reason" options={RETURN_REASONS.map((r) => ({ label: CHOICE_LABELS[r] ?? r, value: r }))} value={sample.reason} onChange={set("reason")} error={testErrors.reason} />
                  <Select label="Condition the customer reports" name="condition" options={[{ label: "Not reported", value: "" }, ...ITEM_CONDITIONS.map((c) => ({ label: CHOICE_LABELS[c] ?? c, value: c }))]} value={sample.condition} onChange={set("condition")} error={testErrors.condition} />
                  <InlineGrid columns={2} gap="200">
                    <TextField label="Price paid per item" name="price" value={sample.price} onChange={set("price")} {...currencyAffix(currency)} autoComplete="off" inputMode="decimal" error={testErrors.price} />
                    <TextField label="Quantity" name="quantity" value={sample.quantity} onChange={set("quantity")} autoComplete="off" inputMode="numeric" error={testErrors.quantity} />
                  </InlineGrid>
                  <TextField label="Days since delivery" name="daysSinceDelivery" value={sample.daysSinceDelivery} onChange={set("daysSinceDelivery")} autoComplete="off" inputMode="numeric" helpText="Empty: delivery date unknown" error={testErrors.daysSinceDelivery} />
                  <InlineGrid columns={3} gap="200">
                    <TextField label="Country" name="country" value={sample.country} onChange={set("country")} autoComplete="off" error={testErrors.country} />
                    <TextField label="State" name="province" value={sample.province} onChange={set("province")} autoComplete="off" error={testErrors.province} />
                    <TextField label="ZIP" name="postalCode" value={sample.postalCode} onChange={set("postalCode")} autoComplete="off" error={testErrors.postalCode} />
                  </InlineGrid>
                  <TextField label="Product tags" name="tags" value={sample.tags} onChange={set("tags")} autoComplete="off" helpText="Comma-separated, e.g. final-sale" error={testErrors.tags} />
                  <button className="nh-touch" type="submit" name="intent" value="test" disabled={busy}>
                    Run the tester
                  </button>
                </BlockStack>
              </Card>
            </Layout.Section>
          </Layout>
          {actionData?.test ? <TesterReport result={actionData.test} units={units} /> : null}
        </BlockStack>
      </Form>
      <style dangerouslySetInnerHTML={{ __html: RULES_CSS }} />
    </AdminPage>
  );
}

function TesterReport({ result, units }: { result: TesterResult; units: Units }) {
  const line = result.evaluation.lines[0];
  const currency = result.evaluation.currency;
  const fmt = (m: number) => formatMinor(m, currency);
  const d = line.destination;
  return (
    <Card>
      <div id="tester-result">
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            Tester result for {result.productTitle}
          </Text>
          <Banner tone={line.outcome.code === "DECLINE" ? "warning" : "info"} title={`${line.outcome.label}: ${line.outcome.detail}`}>
            <p>{line.rule ? `Decided by rule ${line.rule.index + 1}, “${line.rule.name}”.` : "No rule matched: the default outcome applies."}</p>
          </Banner>
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">
              Rules tried
            </Text>
            {line.trace.length === 0 ? (
              <Text as="p" tone="subdued">
                There are no rules.
              </Text>
            ) : null}
            <ol className="nh-trace">
              {line.trace.map((t) => (
                <li key={t.index} data-matched={t.matched}>
                  <InlineStack gap="200" blockAlign="center">
                    {t.matched ? <Badge tone="success">Matched</Badge> : <Badge tone={t.why === "disabled" ? undefined : "critical"}>{t.why === "disabled" ? "Off" : "Did not match"}</Badge>}
                    <Text as="span" fontWeight="semibold">
                      {t.index + 1}. {t.name}
                    </Text>
                  </InlineStack>
                  {t.conditions.length > 0 ? (
                    <ul>
                      {t.conditions.map((c, k) => (
                        <li key={k}>
                          {c.met ? "✓" : "✗"} {c.label}: {c.detail}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <Text as="p" variant="bodySm" tone="subdued">
                      {t.why}
                    </Text>
                  )}
                  {!t.matched && t.why.includes("does not apply") ? (
                    <Text as="p" variant="bodySm">
                      {t.why}
                    </Text>
                  ) : null}
                </li>
              ))}
            </ol>
            {line.rule && result.ruleCount > line.rule.index + 1 ? (
              <Text as="p" variant="bodySm" tone="subdued">
                Rules after rule {line.rule.index + 1} were not tried: the first match decides.
              </Text>
            ) : null}
          </BlockStack>
          {d ? (
            <BlockStack gap="200">
              <Text as="h3" variant="headingSm">
                Destination ({d.mode === "NEAREST" ? "nearest hub" : "best recovery"})
              </Text>
              <Text as="p" fontWeight="semibold">
                {d.hub ? `→ ${d.hub.name}` : "No hub can take it back"}
              </Text>
              {d.reasons.map((r, k) => (
                <Text as="p" key={k}>
                  {r}
                </Text>
              ))}
              {result.placedBy === "unplaced" ? (
                <Text as="p" tone="caution">
                  The ZIP code could not be placed on the map: distances are unknown.
                </Text>
              ) : null}
              <div className="nh-hubs">
                <table>
                  <thead>
                    <tr>
                      <th>Hub</th>
                      <th>Distance</th>
                      <th>Return leg</th>
                      <th>Handling</th>
                      <th>Local sales</th>
                      <th>Resale odds</th>
                      <th>Net recovery / unit</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.considered.map((h) => (
                      <tr key={h.nodeId} className={d.hub?.nodeId === h.nodeId ? "nh-win" : undefined} title={h.detail}>
                        <td>{h.name}</td>
                        <td>{h.distanceM === null ? "unknown" : formatDistance(h.distanceM, units)}</td>
                        <td>
                          {fmt(h.reverseCostMinor)} <small>({h.via})</small>
                        </td>
                        <td>{fmt(h.handlingMinor)}</td>
                        <td>
                          {h.onHand} on hand, {h.salesPerDay.toFixed(2)}/day
                        </td>
                        <td>
                          {formatPercent(h.resaleProbability, 0)}{h.expectedDaysToResale !== null ? `, ~${h.expectedDaysToResale.toFixed(1)} d` : ""}
                        </td>
                        <td>{fmt(h.netRecoveryMinor)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {d.excluded.length > 0 ? (
                <Text as="p" variant="bodySm" tone="subdued">
                  Left out: {d.excluded.map((e) => e.message).join("; ")}.
                </Text>
              ) : null}
            </BlockStack>
          ) : (
            <Text as="p" tone="subdued">
              The item does not come back, so no hub is needed.
            </Text>
          )}
          {result.notAccepting.length > 0 ? (
            <Text as="p" variant="bodySm" tone="subdued">
              Not accepting returns (node setting): {result.notAccepting.join(", ")}.
            </Text>
          ) : null}
        </BlockStack>
      </div>
    </Card>
  );
}

const RULES_CSS = `
.nh-touch{min-height:44px;padding:0 18px;border-radius:10px;border:1px solid #8a8a8a;background:#fff;font-size:15px;font-weight:600;cursor:pointer}
.nh-touch.nh-primary{background:#303030;color:#fff;border-color:#303030}
.nh-touch:disabled{opacity:.5}
.nh-trace{margin:0;padding-left:0;list-style:none;display:flex;flex-direction:column;gap:10px}
.nh-trace ul{margin:4px 0 0 18px;padding:0}
.nh-hubs{overflow-x:auto}
.nh-hubs table{border-collapse:collapse;width:100%;font-size:13px}
.nh-hubs th,.nh-hubs td{padding:8px;border-top:1px solid #e3e3e3;text-align:left}
.nh-hubs tr.nh-win{background:#eafbe7;font-weight:600}
`;

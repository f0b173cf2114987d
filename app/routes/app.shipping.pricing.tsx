// What shoppers pay: the merchant's pricing rules on top of what delivery costs (in order, with a
// worked example), and the backup rates and time budget for when live quoting cannot answer.
import { currencyAffix } from "~/core/format/format";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useCallback, useMemo, useState } from "react";
import { Banner, BlockStack, Box, Button, Card, DataTable, FormLayout, InlineGrid, InlineStack, Layout, List, Select, Text, TextField } from "@shopify/polaris";
import { AdminPage } from "~/components/admin/AdminPage";
import { readPostedRules } from "~/components/rules/form-data";
import { RuleListEditor } from "~/components/rules/RuleListEditor";
import { rulesToValues, type RuleValue } from "~/components/rules/values";
import { ShippingTabs } from "~/components/shipping/ShippingTabs";
import { SaveNotices } from "~/components/shipping/ConfigProblems";
import { NO_VERSION_MESSAGE, postedVersion, VERSION_FIELD, type FieldErrors } from "~/components/shipping/form-utils";
import {
  BACKUP_FIELDS,
  BACKUP_LABELS,
  PRICING_PREFIX,
  backupFormValues,
  backupName,
  backupToForm,
  newBackupForm,
  quoteBudgetField,
  readBackupForm,
  workExample,
  type BackupFormValues,
} from "~/components/shipping/pricing-form";
import { pricingRuleForm } from "~/components/shipping/rule-forms";
import { parseMoney } from "~/core/money/money";
import { SERVICE_KINDS, type ServiceKind } from "~/core/costing/types";
import { requireAdmin } from "~/services/auth.server";
import { getShopShipping, InvalidShippingConfigError, saveBackupRates, savePricingRules, StaleConfigError } from "~/services/shipping-settings.server";

export const meta: MetaFunction = () => [{ title: "Pricing & backup rates · Shipping · Nearhub" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const shipping = await getShopShipping(shop.id);
  return {
    currency: shop.currency,
    rules: rulesToValues(pricingRuleForm, shipping.config.pricingRules ?? [], shop.currency),
    backup: shipping.backupRates.map((r) => backupToForm(r, shop.currency)),
    quoteBudgetMs: String(shipping.quoteBudgetMs),
    version: shipping.version,
    problems: shipping.problems.filter((p) => p.part === "pricingRules" || p.part === "backupRates"),
  };
}

type BackupPosted = { rows: BackupFormValues[]; quoteBudgetMs: string };

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const version = postedVersion(form);
  const reply = (status: number, errors: FieldErrors, posted: { rules?: RuleValue[]; backup?: BackupPosted } = {}, stale: string | null = null) =>
    data({ intent, errors, rules: posted.rules ?? null, backup: posted.backup ?? null, stale, version }, { status });
  /** Runs the command; a refusal comes back with what was typed. */
  const run = async (command: (version: number) => Promise<unknown>, posted: { rules?: RuleValue[]; backup?: BackupPosted }) => {
    if (version === null) return reply(400, { form: NO_VERSION_MESSAGE }, posted);
    try {
      await command(version);
      return null;
    } catch (error) {
      if (error instanceof StaleConfigError) return reply(409, {}, posted, error.message);
      if (error instanceof InvalidShippingConfigError) return reply(400, { form: error.message }, posted);
      throw error;
    }
  };

  if (intent === "pricing") {
    const read = readPostedRules(form, pricingRuleForm, PRICING_PREFIX, shop.currency);
    const rules = read.values;
    if (Object.keys(read.errors).length > 0) return reply(400, read.errors, { rules });
    return (await run((v) => savePricingRules(shop.id, v, read.rules), { rules })) ?? redirect("/app/shipping/pricing?saved=pricing");
  }

  if (intent === "backup") {
    const rows = backupFormValues(form);
    const read = readBackupForm(rows, shop.currency);
    const budget = quoteBudgetField.safeParse(String(form.get("quoteBudgetMs") ?? ""));
    const errors: FieldErrors = { ...read.errors };
    if (!budget.success) errors.quoteBudgetMs = budget.error.issues[0].message;
    const backup = { rows, quoteBudgetMs: String(form.get("quoteBudgetMs") ?? "") };
    if (!read.rates || !budget.success) return reply(400, errors, { backup });
    const rates = read.rates;
    return (await run((v) => saveBackupRates(shop.id, v, rates, budget.data), { backup })) ?? redirect("/app/shipping/pricing?saved=backup");
  }
  return reply(400, { form: "Unknown action" });
}

export default function Pricing() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const saved = actionData ? null : params.get("saved");
  const pricingErrors = actionData?.intent === "pricing" ? actionData.errors : {};
  const backupErrors = actionData?.intent === "backup" ? actionData.errors : {};
  // After a stale refusal both forms keep the version the page was opened at until it is reloaded.
  const version = (actionData?.stale ? actionData.version : null) ?? loaded.version;
  return (
    <AdminPage layout="form" title="Pricing & backup rates" subtitle="What shoppers pay for delivery, and what they see when live quoting cannot answer">
      <BlockStack gap="400">
        <ShippingTabs />
        <Layout>
          {saved ? (
            <Layout.Section>
              <Banner tone="success" title={saved === "backup" ? "Backup rates saved" : "Pricing rules saved"} />
            </Layout.Section>
          ) : null}
          <SaveNotices stale={actionData?.stale} reloadUrl="/app/shipping/pricing" problems={loaded.problems} />
          <Layout.AnnotatedSection
            title="Pricing rules"
            description="Every option starts at what delivery costs you (handling, courier or carrier, surcharges). These rules then run from top to bottom, each on the price the one before left; a rule that does not apply is skipped. With no rules shoppers pay the cost."
          >
            <PricingRulesForm version={version} currency={loaded.currency} initial={actionData?.rules ?? loaded.rules} errors={pricingErrors} />
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection
            title="Backup rates"
            description="Shown at checkout instead of live options when Nearhub cannot answer within the time budget (or finds no option at all), so shoppers never see “no shipping available”. Their service codes tell routing the order came without a live quote."
          >
            <BackupRatesForm
              version={version}
              currency={loaded.currency}
              initialRows={actionData?.backup?.rows ?? loaded.backup}
              initialBudget={actionData?.backup?.quoteBudgetMs ?? loaded.quoteBudgetMs}
              errors={backupErrors}
            />
          </Layout.AnnotatedSection>
        </Layout>
        <Box paddingBlockEnd="800" />
      </BlockStack>
    </AdminPage>
  );
}

function PricingRulesForm({ currency, initial, errors, version }: { currency: string; initial: RuleValue[]; errors: FieldErrors; version: number }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "pricing";
  const [rules, setRules] = useState<RuleValue[]>(initial);
  const onChange = useCallback((next: RuleValue[]) => setRules(next), []);
  const [cost, setCost] = useState("6.40");
  const [returns, setReturns] = useState("0.60");
  const [subtotal, setSubtotal] = useState("45.00");
  const [service, setService] = useState<ServiceKind>("SAME_DAY");
  const example = useMemo(() => {
    const c = parseMoney(cost, currency);
    const r = returns.trim() === "" ? ({ ok: true, minor: 0 } as const) : parseMoney(returns, currency);
    const s = parseMoney(subtotal, currency);
    if (!c.ok || !r.ok || !s.ok) return null;
    return workExample(rules, { currency, costMinor: c.minor, landedMinor: c.minor + r.minor, subtotalMinor: s.minor, service });
  }, [rules, cost, returns, subtotal, service, currency]);
  const other = errors.form;
  return (
    <Card>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="pricing" />
        <input type="hidden" name={VERSION_FIELD} value={version} />
        <BlockStack gap="400">
          {other ? (
            <Banner tone="critical">
              <p>{other}</p>
            </Banner>
          ) : null}
          {Object.keys(errors).length > 0 && !other ? (
            <Banner tone="critical" title="Some rules need fixing">
              <p>The fields with a problem are marked below.</p>
            </Banner>
          ) : null}
          <RuleListEditor
            itemLabel="Pricing rule"
            form={pricingRuleForm}
            name={PRICING_PREFIX}
            initial={initial}
            errors={errors}
            currency={currency}
            ordered
            addLabel="Add pricing rule"
            emptyText="No pricing rules: shoppers pay what delivery costs you."
            onChange={onChange}
          />
          <Box padding="300" background="bg-surface-secondary" borderRadius="200">
            <BlockStack gap="300">
              <Text as="h3" variant="headingSm">
                Worked example
              </Text>
              <InlineGrid columns={{ xs: 2, md: 4 }} gap="200">
                <TextField label="Delivery costs you" value={cost} onChange={setCost} {...currencyAffix(currency)} autoComplete="off" />
                <TextField label="Expected returns cost" value={returns} onChange={setReturns} {...currencyAffix(currency)} autoComplete="off" />
                <TextField label="Cart subtotal" value={subtotal} onChange={setSubtotal} {...currencyAffix(currency)} autoComplete="off" />
                <Select
                  label="Service"
                  options={SERVICE_KINDS.map((k) => ({ label: k.replace("_", " ").toLowerCase(), value: k }))}
                  value={service}
                  onChange={(v) => setService(v as ServiceKind)}
                />
              </InlineGrid>
              {example === null ? (
                <Text as="p" tone="subdued">
                  Enter amounts such as 6.40.
                </Text>
              ) : !example.ok ? (
                <Text as="p" tone="subdued">
                  {example.message}
                </Text>
              ) : (
                <BlockStack gap="100">
                  {example.steps.length === 0 ? (
                    <Text as="p">No rule applies: the shopper pays the cost, {example.final}.</Text>
                  ) : (
                    <List type="number">
                      {example.steps.map((s, i) => (
                        <List.Item key={i}>
                          {s.label}: {s.before} → <strong>{s.after}</strong> <Text as="span" tone="subdued">({s.detail})</Text>
                        </List.Item>
                      ))}
                    </List>
                  )}
                  <Text as="p" fontWeight="semibold" id="pricing-example-final">
                    The shopper pays {example.final}.
                  </Text>
                </BlockStack>
              )}
            </BlockStack>
          </Box>
          <InlineStack align="end">
            <Button submit variant="primary" loading={busy}>
              Save pricing rules
            </Button>
          </InlineStack>
        </BlockStack>
      </Form>
    </Card>
  );
}

function BackupRatesForm({
  currency,
  initialRows,
  initialBudget,
  errors,
  version,
}: {
  version: number;
  currency: string;
  initialRows: BackupFormValues[];
  initialBudget: string;
  errors: FieldErrors;
}) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "backup";
  const [rows, setRows] = useState(initialRows);
  const [budget, setBudget] = useState(initialBudget);
  return (
    <Card>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="backup" />
        <input type="hidden" name={VERSION_FIELD} value={version} />
        <BlockStack gap="400">
          {errors.form || errors.backup ? (
            <Banner tone="critical">
              <p>{errors.form ?? errors.backup}</p>
            </Banner>
          ) : null}
          {rows.map((row, i) => (
            <Box key={i} padding="300" borderWidth="025" borderColor="border" borderRadius="200">
              <BlockStack gap="200">
                <InlineStack align="space-between">
                  <Text as="h3" variant="headingSm">
                    Backup rate {i + 1}
                  </Text>
                  <Button variant="plain" tone="critical" disabled={rows.length === 1} onClick={() => setRows((r) => r.filter((_, k) => k !== i))}>
                    Remove
                  </Button>
                </InlineStack>
                <FormLayout>
                  <FormLayout.Group>
                    {(["serviceName", "serviceCode"] as const).map((f) => (
                      <TextField
                        key={f}
                        label={BACKUP_LABELS[f]}
                        name={backupName(i, f)}
                        id={`backup-${i}-${f}`}
                        value={row[f]}
                        onChange={(v) => setRows((r) => r.map((x, k) => (k === i ? { ...x, [f]: v } : x)))}
                        error={errors[backupName(i, f)]}
                        autoComplete="off"
                        helpText={f === "serviceCode" ? "Letters, digits, _ : -; unique per rate" : undefined}
                      />
                    ))}
                  </FormLayout.Group>
                  <TextField
                    label={BACKUP_LABELS.description}
                    name={backupName(i, "description")}
                    id={`backup-${i}-description`}
                    value={row.description}
                    onChange={(v) => setRows((r) => r.map((x, k) => (k === i ? { ...x, description: v } : x)))}
                    error={errors[backupName(i, "description")]}
                    autoComplete="off"
                  />
                  <FormLayout.Group>
                    {(BACKUP_FIELDS.filter((f) => !["serviceName", "serviceCode", "description"].includes(f)) as ("price" | "freeOver" | "transitDaysMin" | "transitDaysMax")[]).map((f) => (
                      <TextField
                        key={f}
                        label={BACKUP_LABELS[f]}
                        name={backupName(i, f)}
                        id={`backup-${i}-${f}`}
                        value={row[f]}
                        onChange={(v) => setRows((r) => r.map((x, k) => (k === i ? { ...x, [f]: v } : x)))}
                        error={errors[backupName(i, f)]}
                        autoComplete="off"
                        suffix={f === "price" || f === "freeOver" ? currency : "days"}
                        placeholder={f === "freeOver" ? "never free" : undefined}
                      />
                    ))}
                  </FormLayout.Group>
                </FormLayout>
              </BlockStack>
            </Box>
          ))}
          <InlineStack>
            <Button disabled={rows.length >= 10} onClick={() => setRows((r) => [...r, newBackupForm(r.length)])}>
              Add backup rate
            </Button>
          </InlineStack>
          <TextField
            label="Checkout time budget"
            name="quoteBudgetMs"
            id="quoteBudgetMs"
            value={budget}
            onChange={setBudget}
            error={errors.quoteBudgetMs}
            autoComplete="off"
            suffix="ms"
            helpText="How long checkout waits for live options before showing backup rates. Shopify gives up on an app after 3–10 s depending on traffic and expects well under a second; 400 ms is a safe default."
          />
          <DataTable
            columnContentTypes={["text", "text"]}
            headings={["If …", "shoppers see"]}
            rows={[
              ["live quoting answers in time", "Nearhub’s options, priced by your rules"],
              ["it is slow, fails, or finds nothing", "these backup rates (free over the amount you set)"],
            ]}
          />
          <InlineStack align="end">
            <Button submit variant="primary" loading={busy}>
              Save backup rates
            </Button>
          </InlineStack>
        </BlockStack>
      </Form>
    </Card>
  );
}

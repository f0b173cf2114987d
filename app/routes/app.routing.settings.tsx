// Routing settings: whether Nearhub only suggests a node for each paid order or moves the order
// there in Shopify, and how routing weighs its choices (split penalty, most shipments, keeping the
// shopper's promise). One zod schema reads the form; each error is shown next to its field.
// Saving in a connected store also publishes the configuration the Plus location rule reads.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { Banner, BlockStack, Box, Button, Card, ChoiceList, InlineGrid, InlineStack, Layout, Select, Text, TextField } from "@shopify/polaris";
import { AdminPage } from "~/components/admin/AdminPage";
import { RoutingTabs } from "~/components/routing/RoutingTabs";
import {
  KEEP_OPTIONS,
  MODE_OPTIONS,
  ROUTING_LABELS,
  SERVICE_LABELS,
  readRoutingForm,
  routingFormValues,
  settingsToForm,
  toSettingsInput,
  type RoutingField,
  type RoutingFormValues,
} from "~/components/routing/settings-form";
import type { FieldErrors } from "~/components/shipping/form-utils";
import { SERVICE_KINDS } from "~/core/costing/types";
import { currencyAffix, formatDateTime } from "~/core/format/format";
import { requireAdmin } from "~/services/auth.server";
import { publishLocationRuleConfig } from "~/services/location-rule-config.server";
import { ZodError } from "zod";
import { routingConfigSchema } from "~/core/routing";
import { getRoutingSettings, saveRoutingSettings } from "~/services/routing-settings.server";

export const meta: MetaFunction = () => [{ title: "Routing settings · Nearhub" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop, demo, conventions } = await requireAdmin(request);
  const settings = await getRoutingSettings(shop.id);
  return {
    currency: shop.currency,
    demo,
    values: settingsToForm({ mode: settings.mode, splitPenaltyMinor: settings.splitPenaltyMinor, config: routingConfigSchema.parse(settings.config) }, shop.currency),
    updatedAt: settings.updatedAt ? formatDateTime(settings.updatedAt, conventions) : null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { shop, admin } = await requireAdmin(request);
  const form = await request.formData();
  const values = routingFormValues(form);
  const read = readRoutingForm(values, shop.currency);
  if (!read.ok) return data({ errors: read.errors, values }, { status: 400 });
  // The form edits some of the core's options: merge them over the stored ones (the rest stay).
  const current = await getRoutingSettings(shop.id);
  const input = toSettingsInput(read.data);
  const config = { ...current.config, ...input.config, promise: { ...(current.config.promise ?? {}), ...input.config.promise } };
  try {
    await saveRoutingSettings(shop.id, { mode: input.mode, splitPenaltyMinor: input.splitPenaltyMinor, config: { ...config, splitPenaltyMinor: input.splitPenaltyMinor } });
  } catch (error) {
    if (error instanceof ZodError) {
      const message = error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      return data({ errors: { form: `Routing settings are invalid: ${message}` } as FieldErrors, values }, { status: 400 });
    }
    throw error;
  }
  const published = await publishLocationRuleConfig(shop, admin);
  return redirect(`/app/routing/settings?saved=1&function=${published.status}`);
}

const FUNCTION_NOTES: Record<string, string> = {
  published: "The Plus location rule's configuration was updated in Shopify.",
  demo: "Demo mode: no store is connected, so the location rule's configuration was not sent to Shopify.",
  failed: "Saved here, but Shopify did not take the location rule's configuration; the function keeps its previous one. The app log has Shopify's answer.",
};

export default function RoutingSettingsPage() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const errors: FieldErrors = actionData?.errors ?? {};
  const [v, setV] = useState<RoutingFormValues>(() => actionData?.values ?? loaderData.values);
  const set = (f: RoutingField) => (value: string) => setV((all) => ({ ...all, [f]: value }));
  const { currency } = loaderData;
  const errorCount = Object.keys(errors).filter((k) => k !== "form").length;
  const fnNote = params.get("function");
  const money = (f: RoutingField, help: string) => (
    <TextField
      label={ROUTING_LABELS[f]}
      name={f}
      id={`routing-${f}`}
      value={v[f]}
      onChange={set(f)}
      error={errors[f]}
      autoComplete="off"
      inputMode="decimal"
      {...currencyAffix(currency)}
      helpText={help}
    />
  );

  return (
    <AdminPage layout="form" title="Routing" subtitle="Which node ships each paid order, and whether Nearhub moves it there in Shopify">
      <BlockStack gap="400">
        <RoutingTabs />
        <Form method="post" noValidate>
          <Layout>
            {params.get("saved") && !actionData ? (
              <Layout.Section>
                <Banner tone="success" title="Routing settings saved">
                  {fnNote && FUNCTION_NOTES[fnNote] ? <p>{FUNCTION_NOTES[fnNote]}</p> : null}
                </Banner>
              </Layout.Section>
            ) : null}
            {errors.form ? (
              <Layout.Section>
                <Banner tone="critical">
                  <p>{errors.form}</p>
                </Banner>
              </Layout.Section>
            ) : null}
            {errorCount > 0 ? (
              <Layout.Section>
                <Banner tone="critical" title={`Fix ${errorCount} field${errorCount === 1 ? "" : "s"} to save: each is marked below`} />
              </Layout.Section>
            ) : null}
            <Layout.AnnotatedSection
              title="Mode"
              description="Nearhub prices every node that could ship a paid order (landed cost: handling, pickup, delivery, expected returns) and picks the cheapest that keeps the promise made at checkout."
            >
              <Card>
                <ChoiceList
                  title={ROUTING_LABELS.mode}
                  choices={MODE_OPTIONS.map((o) => ({ label: o.label, value: o.value, helpText: o.help }))}
                  selected={[v.mode]}
                  onChange={(sel) => set("mode")(sel[0] ?? "")}
                  error={errors.mode}
                />
                <input type="hidden" name="mode" value={v.mode} />
              </Card>
            </Layout.AnnotatedSection>
            <Layout.AnnotatedSection
              title="Splitting an order"
              description="Sending one order in two boxes costs a second label and a shopper who waits for two parcels. The split penalty is added for every extra shipment, so Nearhub splits only when that still comes out cheaper or nothing else keeps the promise."
            >
              <Card>
                <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
                  {money("splitPenalty", "Added per shipment beyond the first, e.g. 3.00")}
                  <TextField
                    label={ROUTING_LABELS.maxShipments}
                    name="maxShipments"
                    id="routing-maxShipments"
                    type="number"
                    min={1}
                    max={3}
                    value={v.maxShipments}
                    onChange={set("maxShipments")}
                    error={errors.maxShipments}
                    autoComplete="off"
                    helpText="1 never splits; at most 3"
                  />
                </InlineGrid>
              </Card>
            </Layout.AnnotatedSection>
            <Layout.AnnotatedSection
              title="The checkout promise"
              description="At checkout the shopper chose a delivery option such as “Today by 8 pm from the Brooklyn hub”. These weights say how hard routing tries to keep it. They are costs added only while choosing, never charged to anyone."
            >
              <Card>
                <BlockStack gap="300">
                  <Select
                    label={ROUTING_LABELS.promiseKeep}
                    name="promiseKeep"
                    id="routing-promiseKeep"
                    options={KEEP_OPTIONS.map((o) => ({ label: o.label, value: o.value }))}
                    value={v.promiseKeep}
                    onChange={set("promiseKeep")}
                    error={errors.promiseKeep}
                  />
                  <Select
                    label={ROUTING_LABELS.defaultService}
                    name="defaultService"
                    id="routing-defaultService"
                    options={SERVICE_KINDS.filter((s) => s !== "PICKUP").map((s) => ({ label: SERVICE_LABELS[s], value: s }))}
                    value={v.defaultService}
                    onChange={set("defaultService")}
                    error={errors.defaultService}
                    helpText="Orders paid with another app's rate or a flat rate must ship at least this fast"
                  />
                  <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
                    {money("nodeChangePenalty", "Only with “ship from the node the shopper chose”: leave it only when keeping it is impossible or costs more than this")}
                    {money("breakPenalty", "A slower service than promised is chosen only when nothing else can ship the order")}
                  </InlineGrid>
                </BlockStack>
              </Card>
            </Layout.AnnotatedSection>
            <Layout.AnnotatedSection
              title="Shopify Plus location rule"
              description="On Shopify Plus, Nearhub's location rule ranks your locations at checkout with the same costs. It reads these settings from the shop; saving here updates it."
            >
              <Card>
                <Text as="p" tone="subdued">
                  {loaderData.demo
                    ? "Demo mode: no store is connected, so nothing is sent to Shopify."
                    : "Add “Nearhub landed-cost ranking” under Settings → Shipping and delivery → Order routing once the app's function is deployed."}
                  {loaderData.updatedAt ? ` Last saved ${loaderData.updatedAt}.` : " Defaults in use: nothing saved yet."}
                </Text>
              </Card>
            </Layout.AnnotatedSection>
            <Layout.Section>
              <InlineStack align="space-between" blockAlign="center">
                <Text as="span" tone="subdued">
                  Changes apply to orders routed from now on; the log keeps each decision as it was made.
                </Text>
                <Button submit variant="primary" loading={navigation.state === "submitting"}>
                  Save routing settings
                </Button>
              </InlineStack>
            </Layout.Section>
          </Layout>
        </Form>
        <Box paddingBlockEnd="800" />
      </BlockStack>
    </AdminPage>
  );
}

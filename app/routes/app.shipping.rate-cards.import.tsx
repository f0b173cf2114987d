// Import (or replace) a carrier rate card from CSV: paste or upload the zone × weight table, the
// zoning and the transit days, preview what was read with every problem by row and column, then
// save. Saving goes through saveRateCard with the settings' version the page read: a card saved
// from an older version is refused ("changed since you opened it") and the page keeps what was typed.
import { currencyAffix } from "~/core/format/format";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { useRef, useState, type ChangeEvent } from "react";
import { Banner, BlockStack, Box, Button, Card, Checkbox, FormLayout, InlineGrid, InlineStack, Layout, List, Select, Text, TextField } from "@shopify/polaris";
import { AdminPage } from "~/components/admin/AdminPage";
import { RuleListEditor } from "~/components/rules/RuleListEditor";
import { RateTablePreview } from "~/components/shipping/RateTablePreview";
import { ShippingTabs } from "~/components/shipping/ShippingTabs";
import { StaleSaveBanner } from "~/components/shipping/ConfigProblems";
import { NO_VERSION_MESSAGE, postedVersion, uniqueId, VERSION_FIELD } from "~/components/shipping/form-utils";
import {
  EXAMPLE_TABLES,
  RATE_CARD_FIELD_LABELS,
  SURCHARGE_PREFIX,
  emptyRateCardForm,
  rateCardFormValues,
  rateCardToForm,
  readRateCardForm,
  type RateCardFormValues,
} from "~/components/shipping/rate-card-form";
import { surchargeRuleForm } from "~/components/shipping/rule-forms";
import { NODE_KIND_LABELS, WEEKDAYS, type NodeKind } from "~/core/network/types";
import { requireAdmin } from "~/services/auth.server";
import { listNodes } from "~/services/network.server";
import { getShopShipping, InvalidShippingConfigError, saveRateCard, StaleConfigError } from "~/services/shipping-settings.server";
import { notFound } from "~/components/admin/not-found";

export const meta: MetaFunction = () => [{ title: "Import rate card · Shipping · Nearhub" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const [shipping, nodes] = await Promise.all([getShopShipping(shop.id), listNodes(shop.id)]);
  const replaceId = new URL(request.url).searchParams.get("replace");
  let initial: RateCardFormValues = emptyRateCardForm();
  let replacing: string | null = null;
  if (replaceId) {
    const card = shipping.config.rateCards.find((c) => c.id === replaceId);
    // A stored card that no longer reads is replaced from an empty form (its problem says why).
    const broken = shipping.problems.find((p) => p.part === "rateCards" && p.key === replaceId && !p.key.startsWith("#"));
    if (!card && !broken) notFound("rate card");
    initial = card ? rateCardToForm(card, shop.currency) : { ...initial, replaceId };
    replacing = card ? `${initial.carrier} · ${initial.service}` : broken!.label;
  }
  return {
    currency: shop.currency,
    initial,
    version: shipping.version,
    replacing,
    nodes: nodes.map((n) => ({ id: n.id, name: n.name, kind: NODE_KIND_LABELS[n.kind as NodeKind] ?? n.kind })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const form = await request.formData();
  const intent = form.get("intent") === "save" ? "save" : "preview";
  const values = rateCardFormValues(form);
  // An uploaded file (when the page posts without JavaScript) stands in for the pasted text.
  const file = form.get("pricesFile");
  if (file && typeof file !== "string" && file.size > 0) values.pricesText = await file.text();

  const [shipping, nodes] = await Promise.all([getShopShipping(shop.id), listNodes(shop.id)]);
  const cards = shipping.config.rateCards;
  const replacing =
    values.replaceId !== "" &&
    (cards.some((c) => c.id === values.replaceId) || shipping.problems.some((p) => p.part === "rateCards" && p.key === values.replaceId));
  if (values.replaceId && !replacing) notFound("rate card");
  const id = replacing ? values.replaceId : uniqueId(`${values.carrier} ${values.service}`, cards.map((c) => c.id));
  const read = readRateCardForm(values, { currency: shop.currency, id, nodeIds: nodes.map((n) => n.id) });
  const version = postedVersion(form);
  const payload = { intent, values, errors: read.errors, issues: read.issues, preview: read.preview, formError: null as string | null, stale: null as string | null, version };
  if (!read.card) return data(payload, { status: 400 });
  if (intent === "preview") return data(payload);
  if (version === null) return data({ ...payload, formError: NO_VERSION_MESSAGE }, { status: 400 });

  try {
    await saveRateCard(shop.id, version, read.card);
  } catch (error) {
    if (error instanceof StaleConfigError) return data({ ...payload, stale: error.message }, { status: 409 });
    if (error instanceof InvalidShippingConfigError) {
      return data({ ...payload, formError: `${error.message}: ${error.issues.map((i) => `${i.path} ${i.message}`).join("; ")}` }, { status: 400 });
    }
    throw error;
  }
  return redirect(`/app/shipping/rate-cards?saved=${encodeURIComponent(id)}`);
}

const DAY_LABELS = { mon: "Mon", tue: "Tue", wed: "Wed", thu: "Thu", fri: "Fri", sat: "Sat", sun: "Sun" } as const;

export default function ImportRateCard() {
  const loaded = useLoaderData<typeof loader>();
  const { currency, initial, replacing, nodes } = loaded;
  const actionData = useActionData<typeof action>();
  // The version the page was opened at, kept after a stale refusal (saving again stays refused until reloaded).
  const version = actionData?.version ?? loaded.version;
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const [values, setValues] = useState<RateCardFormValues>(actionData?.values ?? initial);
  const formRef = useRef<HTMLFormElement>(null);
  const submit = useSubmit();
  // Both buttons post the whole form; Enter in a field previews (the hidden intent's default).
  const submitWith = (intent: "preview" | "save") => {
    if (!formRef.current) return;
    const body = new FormData(formRef.current);
    body.set("intent", intent);
    submit(body, { method: "post", encType: "multipart/form-data" });
  };
  const errors = actionData?.errors ?? {};
  const set = <K extends keyof RateCardFormValues>(key: K) => (value: RateCardFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const toggle = (key: "originNodeIds" | "deliversOn", item: string) => (checked: boolean) =>
    setValues((v) => {
      const list = v[key] as string[];
      return { ...v, [key]: checked ? [...list, item] : list.filter((x) => x !== item) };
    });
  const fieldErrors = Object.entries(errors).filter(([k]) => k in RATE_CARD_FIELD_LABELS && !k.endsWith("Text"));

  const onFile = (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.target;
    const file = input.files?.[0];
    if (!file) return;
    // The file's text goes into the editable field; the input is cleared so that what is posted
    // is the field (with the merchant's fixes), not the file again.
    void file.text().then((content) => {
      setValues((v) => ({ ...v, pricesText: content }));
      input.value = "";
    });
  };

  const textArea = (key: "pricesText" | "zoningText" | "transitText", rows: number, help: React.ReactNode, placeholder: string) => (
    <TextField
      label={RATE_CARD_FIELD_LABELS[key]}
      name={key}
      id={`rate-${key}`}
      value={values[key]}
      onChange={set(key)}
      multiline={rows}
      monospaced
      autoComplete="off"
      error={errors[key]}
      helpText={help}
      placeholder={placeholder}
    />
  );

  return (
    <AdminPage layout="form"
      title={replacing ? `Replace ${replacing}` : "Import a rate card"}
      backAction={{ content: "Rate cards", url: "/app/shipping/rate-cards" }}
    >
      <BlockStack gap="400">
        <ShippingTabs />
        <Form method="post" encType="multipart/form-data" noValidate ref={formRef}>
          <input type="hidden" name="intent" value="preview" />
          <input type="hidden" name="replaceId" value={values.replaceId} />
          <input type="hidden" name={VERSION_FIELD} value={version} />
          <Layout>
            {actionData?.stale ? (
              <Layout.Section>
                <StaleSaveBanner message={actionData.stale} reloadUrl={values.replaceId ? `/app/shipping/rate-cards/import?replace=${encodeURIComponent(values.replaceId)}` : "/app/shipping/rate-cards/import"} />
              </Layout.Section>
            ) : null}
            {fieldErrors.length > 0 || actionData?.formError ? (
              <Layout.Section>
                <Banner tone="critical" title="Fix these fields">
                  <List>
                    {fieldErrors.map(([k, m]) => (
                      <List.Item key={k}>
                        {RATE_CARD_FIELD_LABELS[k]}: {m}
                      </List.Item>
                    ))}
                    {actionData?.formError ? <List.Item>{actionData.formError}</List.Item> : null}
                  </List>
                </Banner>
              </Layout.Section>
            ) : null}
            <Layout.AnnotatedSection
              title="Carrier and service"
              description="The names shoppers and your team see, where the carrier delivers, and which of your nodes ship with it. Leave every node unticked to ship from your central warehouses."
            >
              <Card>
                <FormLayout>
                  <FormLayout.Group>
                    <TextField label="Carrier" name="carrier" id="rate-carrier" value={values.carrier} onChange={set("carrier")} error={errors.carrier} autoComplete="off" placeholder="e.g. UPS" />
                    <TextField label="Service" name="service" id="rate-service" value={values.service} onChange={set("service")} error={errors.service} autoComplete="off" placeholder="e.g. Ground" />
                  </FormLayout.Group>
                  <TextField
                    label="Destination countries"
                    name="destinationCountries"
                    id="rate-destinationCountries"
                    value={values.destinationCountries}
                    onChange={set("destinationCountries")}
                    error={errors.destinationCountries}
                    autoComplete="off"
                    helpText="Two-letter codes, separated by commas: US, CA"
                  />
                  <fieldset style={{ border: 0, margin: 0, padding: 0 }}>
                    <legend>
                      <Text as="span">Ships from</Text>
                    </legend>
                    <InlineGrid columns={{ xs: 1, sm: 2 }} gap="100">
                      {nodes.map((n) => (
                        <Checkbox
                          key={n.id}
                          label={`${n.name} (${n.kind})`}
                          name="originNodeIds"
                          value={n.id}
                          checked={values.originNodeIds.includes(n.id)}
                          onChange={toggle("originNodeIds", n.id)}
                        />
                      ))}
                    </InlineGrid>
                    {errors.originNodeIds ? (
                      <Text as="p" tone="critical">
                        {errors.originNodeIds}
                      </Text>
                    ) : null}
                  </fieldset>
                </FormLayout>
              </Card>
            </Layout.AnnotatedSection>

            <Layout.AnnotatedSection
              title="Price table"
              description="One row per weight limit, one column per zone, prices in your shop currency. Copy it from the carrier’s spreadsheet (tabs are fine) or a CSV file."
            >
              <Card>
                <BlockStack gap="300">
                  {textArea(
                    "pricesText",
                    10,
                    <>
                      First column: the weight limit of each row, as <code>up_to_grams</code>, <code>max_kg</code>, <code>max_lb</code> or{" "}
                      <code>max_oz</code> (pounds and ounces are converted to grams). Then one column per zone: <code>zone1,zone2,…</code>.
                      Prices like <code>8.95</code> in {currency}; <code>-</code> for a zone not offered at that weight.
                    </>,
                    EXAMPLE_TABLES.prices,
                  )}
                  <InlineStack gap="300" blockAlign="center">
                    <label>
                      <Text as="span" variant="bodySm">
                        Or load a CSV file:{" "}
                      </Text>
                      <input type="file" name="pricesFile" accept=".csv,.tsv,.txt,text/csv,text/plain" onChange={onFile} />
                    </label>
                    <Button variant="plain" onClick={() => set("pricesText")(EXAMPLE_TABLES.prices)}>
                      Fill in an example
                    </Button>
                  </InlineStack>
                </BlockStack>
              </Card>
            </Layout.AnnotatedSection>

            <Layout.AnnotatedSection
              title="Zones"
              description="How the carrier decides the zone of an address: by distance from the node that ships, or by the destination’s postal code (works even when an address has no coordinates)."
            >
              <Card>
                <BlockStack gap="300">
                  <Select
                    label="Zones by"
                    name="zoningBy"
                    id="rate-zoningBy"
                    options={[
                      { label: "Distance from the shipping node", value: "distance" },
                      { label: "Postal-code prefix of the address", value: "postalPrefix" },
                    ]}
                    value={values.zoningBy}
                    onChange={(v) => set("zoningBy")(v === "postalPrefix" ? "postalPrefix" : "distance")}
                    error={errors.zoningBy}
                  />
                  {textArea(
                    "zoningText",
                    6,
                    values.zoningBy === "distance" ? (
                      <>
                        <code>up_to_km,zone</code> (or <code>up_to_miles</code>), one row per band, distances going up. Farther than the
                        last row: not served.
                      </>
                    ) : (
                      <>
                        <code>prefix,zone</code>; the longest matching prefix wins; <code>*</code> gives the zone for every other code.
                        Keep leading zeros (07, not 7): spreadsheets drop them unless the column is text.
                      </>
                    ),
                    values.zoningBy === "distance" ? EXAMPLE_TABLES.distance : EXAMPLE_TABLES.postalPrefix,
                  )}
                  {textArea(
                    "transitText",
                    5,
                    <>
                      <code>zone,min_days,max_days</code>: business days in transit after the ship day, for every zone used above.
                    </>,
                    EXAMPLE_TABLES.transit,
                  )}
                  <InlineStack>
                    <Button
                      variant="plain"
                      onClick={() =>
                        setValues((v) => ({
                          ...v,
                          zoningText: v.zoningBy === "distance" ? EXAMPLE_TABLES.distance : EXAMPLE_TABLES.postalPrefix,
                          transitText: EXAMPLE_TABLES.transit,
                        }))
                      }
                    >
                      Fill in examples
                    </Button>
                  </InlineStack>
                </BlockStack>
              </Card>
            </Layout.AnnotatedSection>

            <Layout.AnnotatedSection
              title="Carrier rules"
              description="Dimensional weight, parcels heavier than the last row, delivery days and hours promised, and surcharges the carrier adds to the table’s freight."
            >
              <Card>
                <FormLayout>
                  <FormLayout.Group>
                    <TextField
                      label="Dimensional divisor"
                      name="dimDivisor"
                      id="rate-dimDivisor"
                      value={values.dimDivisor}
                      onChange={set("dimDivisor")}
                      error={errors.dimDivisor}
                      autoComplete="off"
                      suffix="cm³/kg"
                      helpText="The carrier bills the larger of actual and volume ÷ divisor. 5000 is common; US carriers’ 139 in³/lb is about 5022. Blank: actual weight only."
                    />
                    <TextField
                      label="Each extra kg"
                      name="extraPerKg"
                      id="rate-extraPerKg"
                      value={values.extraPerKg}
                      onChange={set("extraPerKg")}
                      error={errors.extraPerKg}
                      autoComplete="off"
                      {...currencyAffix(currency)}
                      helpText="Added per started kg above the last row. Blank: heavier parcels are not offered."
                    />
                  </FormLayout.Group>
                  <fieldset style={{ border: 0, margin: 0, padding: 0 }}>
                    <legend>
                      <Text as="span">Delivery days</Text>
                    </legend>
                    <InlineStack gap="300">
                      {WEEKDAYS.map((d) => (
                        <Checkbox key={d} label={DAY_LABELS[d]} name="deliversOn" value={d} checked={values.deliversOn.includes(d)} onChange={toggle("deliversOn", d)} />
                      ))}
                    </InlineStack>
                    {errors.deliversOn ? (
                      <Text as="p" tone="critical">
                        {errors.deliversOn}
                      </Text>
                    ) : null}
                  </fieldset>
                  <FormLayout.Group>
                    <TextField label="Delivers from" name="deliveryFrom" id="rate-deliveryFrom" value={values.deliveryFrom} onChange={set("deliveryFrom")} error={errors.deliveryFrom} autoComplete="off" helpText="HH:MM, in the shipping node’s time zone" />
                    <TextField label="Delivers until" name="deliveryTo" id="rate-deliveryTo" value={values.deliveryTo} onChange={set("deliveryTo")} error={errors.deliveryTo} autoComplete="off" />
                  </FormLayout.Group>
                  <BlockStack gap="200">
                    <Text as="h3" variant="headingSm">
                      Surcharges
                    </Text>
                    <RuleListEditor
                      itemLabel="Surcharge"
                      form={surchargeRuleForm}
                      name={SURCHARGE_PREFIX}
                      initial={values.surcharges}
                      errors={errors}
                      currency={currency}
                      addLabel="Add surcharge"
                      emptyText="No surcharges: the table’s prices are what the carrier charges."
                    />
                  </BlockStack>
                </FormLayout>
              </Card>
            </Layout.AnnotatedSection>

            <Layout.Section>
              <InlineStack align="end" gap="200">
                <Button onClick={() => submitWith("preview")} loading={submitting === "preview"}>
                  Preview
                </Button>
                <Button onClick={() => submitWith("save")} variant="primary" loading={submitting === "save"}>
                  {replacing ? "Save and replace" : "Save rate card"}
                </Button>
              </InlineStack>
            </Layout.Section>

            {actionData?.preview ? (
              <Layout.Section>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingLg" id="rate-preview">
                    Preview
                  </Text>
                  <RateTablePreview preview={actionData.preview} issues={actionData.issues} currency={currency} />
                </BlockStack>
              </Layout.Section>
            ) : null}
          </Layout>
        </Form>
        <Box paddingBlockEnd="800" />
      </BlockStack>
    </AdminPage>
  );
}

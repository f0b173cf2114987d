// Local couriers (base + per km, limits, surge rules) and autonomous-delivery corridors (area,
// hours, payload limits, prices, and the open/closed switch with its reason).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { Badge, Banner, BlockStack, Box, Button, Card, Checkbox, FormLayout, InlineGrid, InlineStack, Layout, List, Select, Text, TextField } from "@shopify/polaris";
import { AdminPage } from "~/components/admin/AdminPage";
import { RuleListEditor } from "~/components/rules/RuleListEditor";
import { describeRule } from "~/components/rules/describe";
import { useFormFields } from "~/components/shipping/useFormFields";
import { ShippingTabs } from "~/components/shipping/ShippingTabs";
import {
  CORRIDOR_FIELD_LABELS,
  COURIER_FIELD_LABELS,
  SURGE_PREFIX,
  corridorFormValues,
  corridorStatusSchema,
  corridorToForm,
  courierFormValues,
  courierToForm,
  emptyCorridorForm,
  emptyCourierForm,
  hoursField,
  readCorridorForm,
  readCourierForm,
  type CorridorFormValues,
  type CourierFormValues,
} from "~/components/shipping/courier-forms";
import { SaveNotices } from "~/components/shipping/ConfigProblems";
import { NO_VERSION_MESSAGE, postedVersion, uniqueId, VERSION_FIELD, type FieldErrors } from "~/components/shipping/form-utils";
import { fieldErrors } from "~/core/validation/issues";
import { surgeRuleForm } from "~/components/shipping/rule-forms";
import { corridorSchema } from "~/core/costing/corridor";
import { courierSchema } from "~/core/costing/courier";
import { formatDayHours } from "~/core/network/node-input";
import { NODE_KIND_LABELS, WEEKDAYS, type NodeKind } from "~/core/network/types";
import { formatMinor } from "~/core/money/money";
import { currencyAffix, formatDistance, formatDuration, formatLength, formatRatePerDistance, formatSpeed, formatVolume, formatWeight } from "~/core/format/format";
import { requireAdmin } from "~/services/auth.server";
import { listNodes } from "~/services/network.server";
import {
  deleteCorridor,
  deleteCourier,
  getShopShipping,
  InvalidShippingConfigError,
  saveCorridor,
  saveCourier,
  StaleConfigError,
  type ShopShipping,
} from "~/services/shipping-settings.server";
import { notFound } from "~/components/admin/not-found";

export const meta: MetaFunction = () => [{ title: "Couriers & corridors · Shipping · Nearhub" }];

type Edit = { kind: "courier" | "corridor"; id: string | null } | null;

function parseEdit(value: string | null): Edit {
  const m = /^(courier|corridor):(.+)$/.exec(value ?? "");
  if (!m) return null;
  return { kind: m[1] as "courier" | "corridor", id: m[2] === "new" ? null : m[2] };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop, conventions: u } = await requireAdmin(request);
  const [shipping, rows] = await Promise.all([getShopShipping(shop.id), listNodes(shop.id)]);
  const nodes = rows.map((n) => ({ id: n.id, name: n.name, kind: NODE_KIND_LABELS[n.kind as NodeKind] ?? n.kind }));
  const nodeName = new Map(nodes.map((n) => [n.id, n.name]));
  const currency = shop.currency;
  const couriers = (shipping.config.couriers ?? []).map((input) => {
    const c = courierSchema.parse(input);
    return {
      id: c.id,
      name: c.name,
      from: c.nodeIds ? c.nodeIds.map((id) => nodeName.get(id) ?? `unknown node ${id}`).join(", ") : "Every node",
      price: `${formatMinor(c.baseMinor, currency)} + ${formatRatePerDistance(c.perKmMinor, u)} by road (road ≈ ${c.circuityFactor} × straight line)`,
      limits: [
        c.maxRoadDistanceM != null ? `up to ${formatDistance(c.maxRoadDistanceM, u)}` : "any distance",
        c.maxWeightGrams != null ? `up to ${formatWeight(c.maxWeightGrams, u)}` : "any weight",
        `${formatSpeed(c.speedKmh, u)}, arrives in ${formatDuration(c.pickupMinutes)}`,
      ].join(" · "),
      surge: c.surge.map((r) => describeRule(surgeRuleForm, r, currency)),
      quotedBy: c.quoteProvider?.code ?? null,
    };
  });
  const corridors = (shipping.config.corridors ?? []).map((input) => {
    const k = corridorSchema.parse(input);
    return {
      id: k.id,
      name: k.name,
      node: nodeName.get(k.nodeId) ?? `unknown node ${k.nodeId}`,
      status: k.status,
      closedReason: k.closedReason,
      hours: WEEKDAYS.map((d) => `${d} ${formatDayHours(k.operatingHours[d])}`).join(", "),
      limits: `up to ${formatWeight(k.maxPayloadGrams, u)}, items up to ${formatLength(k.maxItemSideMm, u)}${k.maxVolumeMm3 ? `, ${formatVolume(k.maxVolumeMm3, u)}` : ""}`,
      price: `${formatMinor(k.baseMinor, currency)} + ${formatRatePerDistance(k.perKmMinor, u)} at ${formatSpeed(k.speedKmh, u)}`,
    };
  });
  const edit = parseEdit(new URL(request.url).searchParams.get("edit"));
  let courierForm: CourierFormValues | null = null;
  let corridorForm: CorridorFormValues | null = null;
  if (edit?.kind === "courier") {
    const found = edit.id ? (shipping.config.couriers ?? []).find((c) => c.id === edit.id) : undefined;
    if (edit.id && !found) notFound("courier");
    courierForm = found ? courierToForm(found, currency) : emptyCourierForm();
  } else if (edit?.kind === "corridor") {
    const found = edit.id ? (shipping.config.corridors ?? []).find((c) => c.id === edit.id) : undefined;
    if (edit.id && !found) notFound("corridor");
    corridorForm = found ? corridorToForm(found, currency) : emptyCorridorForm();
  }
  return { currency, nodes, couriers, corridors, courierForm, corridorForm, version: shipping.version, problems: problemsHere(shipping) };
}

const problemsHere = (shipping: ShopShipping) => shipping.problems.filter((p) => p.part === "couriers" || p.part === "corridors");

type Intent = "save-courier" | "delete-courier" | "save-corridor" | "delete-corridor" | "corridor-status";

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "") as Intent;
  const [shipping, rows] = await Promise.all([getShopShipping(shop.id), listNodes(shop.id)]);
  const { couriers, corridors } = shipping.config;
  const nodeIds = rows.map((n) => n.id);
  const version = postedVersion(form);
  const fail = (errors: FieldErrors, extra: object = {}, status = 400) => data({ intent, errors, stale: null as string | null, version, ...extra }, { status });
  /** Runs the command; a refusal comes back on the page with what was typed (`extra`). */
  const run = async (command: (version: number) => Promise<unknown>, extra: object = {}) => {
    if (version === null) return fail({ form: NO_VERSION_MESSAGE }, extra);
    try {
      await command(version);
      return null;
    } catch (error) {
      if (error instanceof StaleConfigError) return fail({}, { ...extra, stale: error.message }, 409);
      if (error instanceof InvalidShippingConfigError) return fail({ form: `${error.message}: ${error.issues.map((i) => `${i.path} ${i.message}`).join("; ")}` }, extra);
      throw error;
    }
  };

  switch (intent) {
    case "save-courier": {
      const values = courierFormValues(form);
      const existing = values.id ? couriers.find((c) => c.id === values.id) : undefined;
      if (values.id && !existing) notFound("courier");
      const id = existing?.id ?? uniqueId(values.name || "courier", couriers.map((c) => c.id));
      const read = readCourierForm(values, { currency: shop.currency, id, existing, nodeIds });
      if (!read.courier) return fail(read.errors, { courierValues: values });
      const refused = await run((v) => saveCourier(shop.id, v, read.courier), { courierValues: values });
      return refused ?? redirect(`/app/shipping/couriers?saved=${encodeURIComponent(read.courier.name)}`);
    }
    case "save-corridor": {
      const values = corridorFormValues(form);
      const existing = values.id ? corridors.find((c) => c.id === values.id) : undefined;
      if (values.id && !existing) notFound("corridor");
      const id = existing?.id ?? uniqueId(values.name || "corridor", corridors.map((c) => c.id));
      const read = readCorridorForm(values, { currency: shop.currency, id, nodeIds });
      if (!read.corridor) return fail(read.errors, { corridorValues: values });
      const refused = await run((v) => saveCorridor(shop.id, v, read.corridor), { corridorValues: values });
      return refused ?? redirect(`/app/shipping/couriers?saved=${encodeURIComponent(read.corridor.name)}`);
    }
    case "corridor-status": {
      const parsed = corridorStatusSchema.safeParse({
        id: form.get("id"),
        status: form.get("status"),
        closedReason: form.get("closedReason") ?? "",
      });
      if (!parsed.success) return fail(fieldErrors(parsed.error), { statusFor: String(form.get("id") ?? "") });
      const target = corridors.find((c) => c.id === parsed.data.id);
      if (!target) notFound("corridor");
      const next = { ...target, status: parsed.data.status, closedReason: parsed.data.status === "CLOSED" ? parsed.data.closedReason : null };
      const refused = await run((v) => saveCorridor(shop.id, v, next), { statusFor: target.id });
      return refused ?? redirect(`/app/shipping/couriers?saved=${encodeURIComponent(target.name)}`);
    }
    case "delete-courier":
    case "delete-corridor": {
      const key = String(form.get("id") ?? "");
      const part = intent === "delete-courier" ? "couriers" : "corridors";
      // A stored item that no longer reads can be deleted too (by the key its problem names).
      const name = (part === "couriers" ? couriers : corridors).find((c) => c.id === key)?.name ?? shipping.problems.find((p) => p.part === part && p.key === key)?.label;
      if (!name) notFound("courier or corridor");
      const refused = await run((v) => (part === "couriers" ? deleteCourier(shop.id, v, key) : deleteCorridor(shop.id, v, key)));
      return refused ?? redirect(`/app/shipping/couriers?deleted=${encodeURIComponent(name)}`);
    }
    default:
      return fail({ form: "Unknown action" });
  }
}

export default function Couriers() {
  const loaded = useLoaderData<typeof loader>();
  const { currency, nodes, couriers, corridors, courierForm, corridorForm, problems } = loaded;
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errors: FieldErrors = actionData?.errors ?? {};
  const saved = params.get("saved");
  const deleted = params.get("deleted");
  const postedCourier = actionData && "courierValues" in actionData ? (actionData.courierValues as CourierFormValues) : null;
  const postedCorridor = actionData && "corridorValues" in actionData ? (actionData.corridorValues as CorridorFormValues) : null;
  const courierValues = postedCourier ?? courierForm;
  const corridorValues = postedCorridor ?? corridorForm;
  // After a stale refusal the forms keep the version they were opened at: saving again stays
  // refused until the page is reloaded and shows the other change.
  const version = (actionData?.stale ? actionData.version : null) ?? loaded.version;

  return (
    <AdminPage layout="data"
      title="Couriers & corridors"
      subtitle="Who carries same-day and next-day orders from your hubs, and where robots or drones deliver"
      secondaryActions={[
        { content: "Add courier", url: "/app/shipping/couriers?edit=courier:new" },
        { content: "Add corridor", url: "/app/shipping/couriers?edit=corridor:new" },
      ]}
    >
      <BlockStack gap="400">
        <ShippingTabs />
        <Layout>
          {saved ? (
            <Layout.Section>
              <Banner tone="success" title={`Saved ${saved}`} />
            </Layout.Section>
          ) : null}
          {deleted ? (
            <Layout.Section>
              <Banner tone="info" title={`Deleted ${deleted}`} />
            </Layout.Section>
          ) : null}
          <SaveNotices
            stale={actionData?.stale}
            reloadUrl={`/app/shipping/couriers${params.toString() ? `?${params}` : ""}`}
            problems={problems}
            action={(p) =>
              p.key ? (
                <InlineStack gap="200" blockAlign="center">
                  <Text as="span">{p.label}</Text>
                  <DeleteButton intent={p.part === "couriers" ? "delete-courier" : "delete-corridor"} id={p.key} name={p.label} version={version} />
                </InlineStack>
              ) : null
            }
          />
          {errors.form ? (
            <Layout.Section>
              <Banner tone="critical">
                <p>{errors.form}</p>
              </Banner>
            </Layout.Section>
          ) : null}
          {courierValues ? (
            <Layout.Section>
              <CourierForm key={courierValues.id || "new"} version={version} initial={courierValues} errors={postedCourier ? errors : {}} nodes={nodes} currency={currency} />
            </Layout.Section>
          ) : null}
          {corridorValues ? (
            <Layout.Section>
              <CorridorForm key={corridorValues.id || "new"} version={version} initial={corridorValues} errors={postedCorridor ? errors : {}} nodes={nodes} currency={currency} />
            </Layout.Section>
          ) : null}
          <Layout.AnnotatedSection
            title="Local couriers"
            description="Bike, cargo-bike or van couriers priced as a base fare plus a rate per road kilometre, with their limits and surge rules. Same-day and next-day delivery from a node need a courier that collects there."
          >
            <BlockStack gap="300">
              {couriers.length === 0 ? (
                <Card>
                  <Text as="p" tone="subdued">
                    No couriers yet: same-day and next-day delivery cannot be priced.
                  </Text>
                </Card>
              ) : null}
              {couriers.map((c) => (
                <Card key={c.id}>
                  <BlockStack gap="200">
                    <InlineStack align="space-between" blockAlign="center">
                      <InlineStack gap="200" blockAlign="center">
                        <Text as="h3" variant="headingSm">
                          {c.name}
                        </Text>
                        {c.quotedBy ? <Badge tone="info">{`Live quotes: ${c.quotedBy}`}</Badge> : null}
                      </InlineStack>
                      <InlineStack gap="200">
                        <Button url={`/app/shipping/couriers?edit=courier:${encodeURIComponent(c.id)}`} accessibilityLabel={`Edit ${c.name}`}>
                          Edit
                        </Button>
                        <DeleteButton intent="delete-courier" id={c.id} name={c.name} version={version} />
                      </InlineStack>
                    </InlineStack>
                    <Text as="p">{c.price}</Text>
                    <Text as="p" tone="subdued">
                      Collects from: {c.from}. {c.limits}.
                    </Text>
                    <Text as="p" tone="subdued">
                      Surge: {c.surge.length ? null : "none"}
                    </Text>
                    {c.surge.length ? (
                      <List>
                        {c.surge.map((s, i) => (
                          <List.Item key={i}>{s}</List.Item>
                        ))}
                      </List>
                    ) : null}
                  </BlockStack>
                </Card>
              ))}
              <InlineStack>
                <Button url="/app/shipping/couriers?edit=courier:new">Add courier</Button>
              </InlineStack>
            </BlockStack>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection
            title="Autonomous corridors"
            description="An area around one node served by sidewalk robots or drones, within operating hours and payload limits. Close a corridor for weather or an incident: quotes stop offering it at once and say why."
          >
            <BlockStack gap="300">
              {corridors.length === 0 ? (
                <Card>
                  <Text as="p" tone="subdued">
                    No corridors. Autonomous delivery is offered only inside one.
                  </Text>
                </Card>
              ) : null}
              {corridors.map((k) => (
                <Card key={k.id}>
                  <BlockStack gap="200">
                    <InlineStack align="space-between" blockAlign="center">
                      <InlineStack gap="200" blockAlign="center">
                        <Text as="h3" variant="headingSm">
                          {k.name}
                        </Text>
                        {k.status === "OPEN" ? <Badge tone="success">Open</Badge> : <Badge tone="critical">{`Closed: ${k.closedReason ?? "no reason given"}`}</Badge>}
                      </InlineStack>
                      <InlineStack gap="200">
                        <Button url={`/app/shipping/couriers?edit=corridor:${encodeURIComponent(k.id)}`} accessibilityLabel={`Edit ${k.name}`}>
                          Edit
                        </Button>
                        <DeleteButton intent="delete-corridor" id={k.id} name={k.name} version={version} />
                      </InlineStack>
                    </InlineStack>
                    <Text as="p">
                      From {k.node}: {k.price}; {k.limits}.
                    </Text>
                    <Text as="p" tone="subdued" variant="bodySm">
                      Hours: {k.hours}
                    </Text>
                    <CorridorSwitch
                      version={version}
                      id={k.id}
                      name={k.name}
                      status={k.status}
                      error={actionData && "statusFor" in actionData && actionData.statusFor === k.id ? errors.closedReason : undefined}
                    />
                  </BlockStack>
                </Card>
              ))}
              <InlineStack>
                <Button url="/app/shipping/couriers?edit=corridor:new">Add corridor</Button>
              </InlineStack>
            </BlockStack>
          </Layout.AnnotatedSection>
        </Layout>
        <Box paddingBlockEnd="800" />
      </BlockStack>
    </AdminPage>
  );
}

function DeleteButton({ intent, id, name, version }: { intent: string; id: string; name: string; version: number }) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <Button tone="critical" variant="plain" onClick={() => setConfirming(true)} accessibilityLabel={`Delete ${name}`}>
        Delete
      </Button>
    );
  }
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name={VERSION_FIELD} value={version} />
      <InlineStack gap="100">
        <Button submit tone="critical" variant="primary" size="slim">
          {`Delete ${name}`}
        </Button>
        <Button size="slim" onClick={() => setConfirming(false)}>
          Cancel
        </Button>
      </InlineStack>
    </Form>
  );
}

function CorridorSwitch({ id, name, status, error, version }: { id: string; name: string; status: "OPEN" | "CLOSED"; error?: string; version: number }) {
  const [reason, setReason] = useState("");
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "corridor-status" && navigation.formData.get("id") === id;
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="corridor-status" />
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name={VERSION_FIELD} value={version} />
      <input type="hidden" name="status" value={status === "OPEN" ? "CLOSED" : "OPEN"} />
      {status === "OPEN" ? (
        <InlineStack gap="200" blockAlign="end">
          <div style={{ minWidth: 280 }}>
            <TextField
              label={`Close ${name} because`}
              name="closedReason"
              id={`close-${id}`}
              value={reason}
              onChange={setReason}
              error={error}
              autoComplete="off"
              placeholder="e.g. snow, robot maintenance"
            />
          </div>
          <Button submit tone="critical" loading={busy}>
            Close corridor
          </Button>
        </InlineStack>
      ) : (
        <Button submit loading={busy}>
          Reopen corridor
        </Button>
      )}
    </Form>
  );
}

function NodeChecks({ nodes, selected, onChange, error, name }: { nodes: { id: string; name: string; kind: string }[]; selected: string[]; onChange: (ids: string[]) => void; error?: string; name: string }) {
  return (
    <fieldset style={{ border: 0, margin: 0, padding: 0 }}>
      <legend>
        <Text as="span">Collects from</Text>
      </legend>
      <InlineGrid columns={{ xs: 1, sm: 2 }} gap="100">
        {nodes.map((n) => (
          <Checkbox
            key={n.id}
            label={`${n.name} (${n.kind})`}
            name={name}
            value={n.id}
            checked={selected.includes(n.id)}
            onChange={(checked) => onChange(checked ? [...selected, n.id] : selected.filter((x) => x !== n.id))}
          />
        ))}
      </InlineGrid>
      <Text as="p" variant="bodySm" tone="subdued">
        Leave all unticked for every node.
      </Text>
      {error ? (
        <Text as="p" tone="critical">
          {error}
        </Text>
      ) : null}
    </fieldset>
  );
}

function ErrorSummary({ errors, labels, what }: { errors: FieldErrors; labels: Record<string, string>; what: string }) {
  const entries = Object.entries(errors).filter(([k]) => k !== "form");
  if (entries.length === 0) return null;
  return (
    <Banner tone="critical" title={`Fix ${entries.length} field${entries.length === 1 ? "" : "s"} to save this ${what}`}>
      <List>
        {entries.map(([k, m]) => (
          <List.Item key={k}>{labels[k] && !m.startsWith(labels[k]) ? `${labels[k]}: ${m}` : m}</List.Item>
        ))}
      </List>
    </Banner>
  );
}

function CourierForm({ initial, errors, nodes, currency, version }: { initial: CourierFormValues; errors: FieldErrors; nodes: { id: string; name: string; kind: string }[]; currency: string; version: number }) {
  const { v, setV, busy, field } = useFormFields({ initial, labels: COURIER_FIELD_LABELS, errors, idPrefix: "courier", intent: "save-courier" });
  return (
    <Card>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="save-courier" />
        <input type="hidden" name="id" value={v.id} />
        <input type="hidden" name={VERSION_FIELD} value={version} />
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            {initial.id ? `Edit ${initial.name}` : "New courier"}
          </Text>
          <ErrorSummary errors={errors} labels={COURIER_FIELD_LABELS} what="courier" />
          <FormLayout>
            {field("name", { help: "Shown in cost breakdowns, e.g. “Bike courier (NYC)”" })}
            <NodeChecks nodes={nodes} selected={v.nodeIds} onChange={(ids) => setV((x) => ({ ...x, nodeIds: ids }))} error={errors.nodeIds} name="nodeIds" />
            <FormLayout.Group>
              {field("base", { ...currencyAffix(currency), help: "Per delivery" })}
              {field("perKm", { ...currencyAffix(currency), help: "Per kilometre by road" })}
              {field("circuityFactor", { help: "Roads are longer than a straight line: 1.3 in most cities" })}
            </FormLayout.Group>
            <FormLayout.Group>
              {field("maxRoadDistanceKm", { suffix: "km", help: "Blank: no limit" })}
              {field("maxWeightKg", { suffix: "kg", help: "Blank: no limit" })}
            </FormLayout.Group>
            <FormLayout.Group>
              {field("speedKmh", { suffix: "km/h", help: "Door to door, including traffic" })}
              {field("pickupMinutes", { suffix: "min", help: "From booking to collection at the node" })}
            </FormLayout.Group>
          </FormLayout>
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">
              Surge rules
            </Text>
            <Text as="p" tone="subdued">
              Each rule that applies when the order leaves the node multiplies the courier price; several multiply together.
            </Text>
            <RuleListEditor
              itemLabel="Surge rule"
              form={surgeRuleForm}
              name={SURGE_PREFIX}
              initial={v.surge}
              errors={errors}
              currency={currency}
              addLabel="Add surge rule"
              emptyText="No surge: the courier costs the same at every hour."
            />
          </BlockStack>
          <InlineStack align="end" gap="200">
            <Button url="/app/shipping/couriers">Cancel</Button>
            <Button submit variant="primary" loading={busy}>
              Save courier
            </Button>
          </InlineStack>
        </BlockStack>
      </Form>
    </Card>
  );
}

function CorridorForm({ initial, errors, nodes, currency, version }: { initial: CorridorFormValues; errors: FieldErrors; nodes: { id: string; name: string; kind: string }[]; currency: string; version: number }) {
  const { v, setV, set, busy, field } = useFormFields({ initial, labels: CORRIDOR_FIELD_LABELS, errors, idPrefix: "corridor", intent: "save-corridor" });
  return (
    <Card>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="save-corridor" />
        <input type="hidden" name="id" value={v.id} />
        <input type="hidden" name={VERSION_FIELD} value={version} />
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            {initial.id ? `Edit ${initial.name}` : "New autonomous corridor"}
          </Text>
          <ErrorSummary errors={errors} labels={CORRIDOR_FIELD_LABELS} what="corridor" />
          <FormLayout>
            <FormLayout.Group>
              {field("name", { help: "e.g. “Williamsburg robots”" })}
              <Select
                label={CORRIDOR_FIELD_LABELS.nodeId}
                name="nodeId"
                id="corridor-nodeId"
                options={[{ label: "Choose a node", value: "" }, ...nodes.map((n) => ({ label: `${n.name} (${n.kind})`, value: n.id }))]}
                value={v.nodeId}
                onChange={set("nodeId")}
                error={errors.nodeId}
              />
            </FormLayout.Group>
            <TextField
              label={CORRIDOR_FIELD_LABELS.polygon}
              name="polygon"
              id="corridor-polygon"
              value={v.polygon}
              onChange={set("polygon")}
              error={errors.polygon}
              autoComplete="off"
              multiline={4}
              monospaced
              helpText="Draw the area on geojson.io (or any map tool) and paste the export: a Polygon, Feature or FeatureCollection, positions as [longitude, latitude]."
            />
            <FormLayout.Group>
              <Select
                label={CORRIDOR_FIELD_LABELS.status}
                name="status"
                id="corridor-status"
                options={[
                  { label: "Open: offered in quotes", value: "OPEN" },
                  { label: "Closed: not offered", value: "CLOSED" },
                ]}
                value={v.status}
                onChange={(s) => setV((x) => ({ ...x, status: s === "CLOSED" ? "CLOSED" : "OPEN" }))}
              />
              {field("closedReason", { help: "Required when closed; shown in quotes’ reasons" })}
            </FormLayout.Group>
            <BlockStack gap="200">
              <Text as="p">Operating hours (the node’s local time; “closed” or blank for a day off)</Text>
              <InlineGrid columns={{ xs: 2, md: 4 }} gap="200">
                {WEEKDAYS.map((d) => (
                  <TextField
                    key={d}
                    label={CORRIDOR_FIELD_LABELS[hoursField(d)]}
                    name={hoursField(d)}
                    id={`corridor-hours-${d}`}
                    value={v.hours[d]}
                    onChange={(value) => setV((x) => ({ ...x, hours: { ...x.hours, [d]: value } }))}
                    error={errors[hoursField(d)]}
                    autoComplete="off"
                    placeholder="10:00-19:00"
                  />
                ))}
              </InlineGrid>
            </BlockStack>
            <FormLayout.Group>
              {field("maxPayloadKg", { suffix: "kg" })}
              {field("maxItemSideCm", { suffix: "cm" })}
              {field("maxVolumeL", { suffix: "L", help: "Blank: no limit" })}
            </FormLayout.Group>
            <FormLayout.Group>
              {field("base", { ...currencyAffix(currency), help: "Per delivery" })}
              {field("perKm", { ...currencyAffix(currency) })}
              {field("circuityFactor", { help: "Path ÷ straight line, 1.2 on sidewalks" })}
              {field("speedKmh", { suffix: "km/h" })}
            </FormLayout.Group>
          </FormLayout>
          <InlineStack align="end" gap="200">
            <Button url="/app/shipping/couriers">Cancel</Button>
            <Button submit variant="primary" loading={busy}>
              Save corridor
            </Button>
          </InlineStack>
        </BlockStack>
      </Form>
    </Card>
  );
}

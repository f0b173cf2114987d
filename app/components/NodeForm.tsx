// The create/edit form for a node: every field of nodeInputSchema, errors shown on the field
// they are about. A plain Remix <Form> posting named inputs, so it also works before
// hydration; Polaris fields are controlled to keep what the merchant typed after an error.
import { Form } from "@remix-run/react";
import { useState, type ComponentProps } from "react";
import {
  Banner,
  Box,
  Button,
  Card,
  FormLayout,
  InlineGrid,
  InlineStack,
  Layout,
  Checkbox,
  List,
  Select,
  TextField,
} from "@shopify/polaris";
import { currencyAffix, distanceUnit, formatNumber, formatRadius, metresToShopDistance, METRIC, type Units } from "~/core/format/format";
import { MAX_SERVICE_RADIUS_M } from "~/core/network/node-input";
import { NODE_KIND_LABELS, NODE_KINDS, WEEKDAYS, type Weekday } from "~/core/network/types";
import { openingHoursField, type NodeFormField, type NodeFormValues } from "./node-form-values";

const DAY_LABELS: Record<Weekday, string> = {
  mon: "Monday",
  tue: "Tuesday",
  wed: "Wednesday",
  thu: "Thursday",
  fri: "Friday",
  sat: "Saturday",
  sun: "Sunday",
};

/** Human names of the fields, for the error summary at the top of the form. */
export const FIELD_LABELS: Record<NodeFormField, string> = {
  name: "Name",
  handle: "Handle",
  kind: "Kind",
  address1: "Address",
  city: "City",
  province: "State / province",
  postalCode: "Postal code",
  country: "Country",
  latitude: "Latitude",
  longitude: "Longitude",
  timezone: "Time zone",
  shopifyLocationId: "Shopify location",
  serviceRadiusKm: "Service radius",
  serviceAreaGeoJson: "Service area polygon",
  sameDayCutoff: "Same-day cut-off",
  dailyCapacity: "Daily capacity",
  handlingCost: "Handling cost",
  pickupCost: "Pickup cost",
  acceptsReturns: "Accepts returns",
  inspectionHours: "Inspection window (hours)",
  ...(Object.fromEntries(WEEKDAYS.map((d) => [openingHoursField(d), `${DAY_LABELS[d]} hours`])) as Record<
    `openingHours.${Weekday}`,
    string
  >),
};

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
}

export interface NodeFormProps {
  initialValues: NodeFormValues;
  errors?: Record<string, string>;
  currency: string;
  /** The shop's units: the service radius is typed in miles or km. */
  units?: Units;
  submitLabel: string;
  submitting: boolean;
  /** New nodes suggest a handle from the name until the handle is edited. */
  suggestHandle?: boolean;
  /** Node.version the page read (an edit): posted back so a save over a newer one is refused. */
  version?: number;
}

export function NodeForm({ initialValues, errors = {}, currency, units = METRIC, submitLabel, submitting, suggestHandle = false, version }: NodeFormProps) {
  const [values, setValues] = useState<NodeFormValues>(initialValues);
  const [handleEdited, setHandleEdited] = useState(!suggestHandle || initialValues.handle !== "");

  const set = (field: NodeFormField) => (value: string) => {
    if (field === "handle") setHandleEdited(true);
    const suggest = field === "name" && !handleEdited;
    setValues((v) => ({ ...v, [field]: value, ...(suggest ? { handle: slugify(value) } : {}) }));
  };

  const text = (field: NodeFormField, extra: Partial<ComponentProps<typeof TextField>> = {}) => (
    <TextField
      label={FIELD_LABELS[field]}
      name={field}
      id={`node-${field.replace(".", "-")}`}
      value={values[field]}
      onChange={set(field)}
      error={errors[field]}
      autoComplete="off"
      {...extra}
    />
  );

  const errorEntries = Object.entries(errors);
  return (
    <Form method="post" noValidate>
      {version !== undefined ? <input type="hidden" name="version" value={version} /> : null}
      <Layout>
        {errorEntries.length > 0 ? (
          <Layout.Section>
            <Banner tone="critical" title={`Fix ${errorEntries.length} field${errorEntries.length === 1 ? "" : "s"} to save this node`}>
              <List>
                {errorEntries.map(([field, message]) => (
                  <List.Item key={field}>
                    {field in FIELD_LABELS ? `${FIELD_LABELS[field as NodeFormField]}: ` : ""}
                    {message}
                  </List.Item>
                ))}
              </List>
            </Banner>
          </Layout.Section>
        ) : null}

        <Layout.AnnotatedSection
          title="Node"
          description="What the node is. The handle is a short stable name used in delivery service codes and the API."
        >
          <Card>
            <FormLayout>
              {text("name", { requiredIndicator: true })}
              <FormLayout.Group>
                {text("handle", { requiredIndicator: true, helpText: "3–40 lowercase letters, digits or dashes, e.g. brooklyn-hub" })}
                <Select
                  label={FIELD_LABELS.kind}
                  name="kind"
                  id="node-kind"
                  options={NODE_KINDS.map((k) => ({ value: k, label: NODE_KIND_LABELS[k] }))}
                  value={values.kind}
                  onChange={set("kind")}
                  error={errors.kind}
                />
              </FormLayout.Group>
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection
          title="Address and location"
          description="Where parcels leave from. Latitude and longitude place the node on the map and measure distances to shoppers; the time zone applies to opening hours and the cut-off."
        >
          <Card>
            <FormLayout>
              {text("address1", { requiredIndicator: true, autoComplete: "address-line1" })}
              <FormLayout.Group condensed>
                {text("city", { requiredIndicator: true })}
                {text("province")}
                {text("postalCode", { requiredIndicator: true })}
                {text("country", { requiredIndicator: true, helpText: "Two-letter code, e.g. US", maxLength: 2 })}
              </FormLayout.Group>
              <FormLayout.Group>
                {text("latitude", { requiredIndicator: true, inputMode: "decimal", helpText: "Decimal degrees, −90 to 90, e.g. 40.7145" })}
                {text("longitude", { requiredIndicator: true, inputMode: "decimal", helpText: "Decimal degrees, −180 to 180, e.g. -73.9566" })}
              </FormLayout.Group>
              <FormLayout.Group>
                {text("timezone", { requiredIndicator: true, helpText: "IANA name, e.g. America/New_York" })}
                {text("shopifyLocationId", {
                  placeholder: "gid://shopify/Location/123",
                  helpText: "The Shopify location whose inventory this node ships; orders are moved there.",
                })}
              </FormLayout.Group>
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection
          title="Service area"
          description="Which shoppers this node delivers to locally. An address inside the radius or inside the polygon is served; with neither, the node only ships by carrier."
        >
          <Card>
            <FormLayout>
              {text("serviceRadiusKm", {
                inputMode: "decimal",
                suffix: distanceUnit(units),
                helpText: `Distance around the node, as the crow flies (up to ${formatNumber(Math.floor(metresToShopDistance(MAX_SERVICE_RADIUS_M, units)))} ${distanceUnit(units)}). Leave empty for none.`,
              })}
              {text("serviceAreaGeoJson", {
                multiline: 4,
                monospaced: true,
                helpText:
                  'Optional: a GeoJSON Polygon with [longitude, latitude] positions, first position repeated last, e.g. {"type":"Polygon","coordinates":[[[-74.0,40.7],[-73.9,40.7],[-73.9,40.8],[-74.0,40.7]]]}',
              })}
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection
          title="Opening hours and same-day"
          description="Local time at the node. Write 09:00-18:00, several ranges separated by commas, or closed."
        >
          <Card>
            <FormLayout>
              <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
                {WEEKDAYS.map((day) => (
                  <Box key={day}>{text(openingHoursField(day), { placeholder: "09:00-18:00 or closed" })}</Box>
                ))}
              </InlineGrid>
              {text("sameDayCutoff", {
                placeholder: "14:00",
                helpText:
                  "Orders paid before this local time leave the same day; later orders leave the next opening day. Leave empty if the node offers no same-day delivery.",
              })}
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection
          title="Capacity and costs"
          description={`Used by routing and quotes. Amounts are in the shop currency (${currency}).`}
        >
          <Card>
            <FormLayout>
              {text("dailyCapacity", {
                requiredIndicator: true,
                inputMode: "numeric",
                suffix: "orders/day",
                helpText: "How many orders the node can prepare in a day; routing sends no more than this.",
              })}
              <FormLayout.Group>
                {text("handlingCost", {
                  requiredIndicator: true,
                  inputMode: "decimal",
                  ...currencyAffix(currency),
                  helpText: "Picking and packing, per order, e.g. 1.50",
                })}
                {text("pickupCost", {
                  requiredIndicator: true,
                  inputMode: "decimal",
                  ...currencyAffix(currency),
                  helpText: "Carrier or courier collection, per order",
                })}
              </FormLayout.Group>
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection
          title="Returns"
          description="Whether returned items may be sent here, and how long hub staff have to inspect one after it arrives."
        >
          <Card>
            <FormLayout>
              <Checkbox
                label={FIELD_LABELS.acceptsReturns}
                name="acceptsReturns"
                // React writes value="" on a checkbox given value={undefined} (Polaris passes it on), and
                // the form then posts "" for a ticked box: name the value the action reads.
                value="on"
                id="node-acceptsReturns"
                checked={values.acceptsReturns === "on"}
                onChange={(checked) => set("acceptsReturns")(checked ? "on" : "")}
                error={errors.acceptsReturns}
                helpText="Only micro-hubs and central warehouses that accept returns are considered as return destinations."
              />
              {text("inspectionHours", {
                inputMode: "numeric",
                suffix: "hours",
                placeholder: "shop default",
                helpText: "Leave empty to use the shop's default from Returns › Settings (48 hours unless changed).",
              })}
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.Section>
          <InlineStack align="end">
            <Button submit variant="primary" loading={submitting}>
              {submitLabel}
            </Button>
          </InlineStack>
          <Box paddingBlockEnd="800" />
        </Layout.Section>
      </Layout>
    </Form>
  );
}

/** A short human summary of a stored node's service area, for lists. */
export function serviceAreaSummary(radiusM: number | null, hasPolygon: boolean, units: Units = METRIC): string {
  const parts: string[] = [];
  if (radiusM) parts.push(`${formatRadius(radiusM, units)} radius`);
  if (hasPolygon) parts.push("polygon");
  return parts.length ? parts.join(" + ") : "none";
}


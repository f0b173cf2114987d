// Settings: the shop's own details, the keys other platforms use for the open API, and the secret
// link of the shop's permit calendar (created and revoked here; shown once, only its hash is kept).
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { Badge, Banner, BlockStack, Box, Button, Card, FormLayout, IndexTable, InlineStack, Layout, Text, TextField } from "@shopify/polaris";
import { AdminPage } from "~/components/admin/AdminPage";
import { z } from "zod";
import { createApiKey, listApiKeys, NotFoundError, revokeApiKey } from "~/services/api-keys.server";
import { requireAdmin } from "~/services/auth.server";
import { env } from "~/env.server";
import { calendarPath, calendarSubscription, createCalendarToken, revokeCalendarToken } from "~/services/permits/calendar.server";
import { shopSettingsSchema, updateShopSettings } from "~/services/shops.server";
import { notFound } from "~/components/admin/not-found";

export const meta: MetaFunction = () => [{ title: "Settings · Nearhub" }];

function formatWhen(date: Date | null, timeZone: string): string | null {
  if (!date) return null;
  return new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone }).format(date);
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const [keys, calendar] = await Promise.all([listApiKeys(shop.id), calendarSubscription(shop.id)]);
  return {
    calendar: calendar ? { hint: calendar.hint, created: formatWhen(calendar.createdAt, shop.timezone) } : null,
    settings: {
      name: shop.name,
      currency: shop.currency,
      timezone: shop.timezone,
      contactEmail: shop.contactEmail ?? "",
    },
    keys: keys.map((k) => ({
      id: k.id,
      name: k.name,
      prefix: k.prefix,
      created: formatWhen(k.createdAt, shop.timezone),
      lastUsed: formatWhen(k.lastUsedAt, shop.timezone),
      revoked: formatWhen(k.revokedAt, shop.timezone),
    })),
  };
}

const keyNameSchema = z.object({
  name: z
    .string({ error: "Key name is required" })
    .trim()
    .min(1, "Key name is required")
    .max(80, "Key name is at most 80 characters"),
});

type ActionResult =
  | { intent: "settings"; errors: Record<string, string>; saved?: boolean }
  | { intent: "create-key"; errors: Record<string, string>; created?: { key: string; name: string; prefix: string } }
  | { intent: "revoke-key"; errors: Record<string, string>; revoked?: string }
  | { intent: "create-calendar-link"; errors: Record<string, string>; url?: string }
  | { intent: "revoke-calendar-link"; errors: Record<string, string>; revoked?: boolean };

const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : undefined;
};

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const form = await request.formData();
  const intent = form.get("intent");
  // The one response that carries a new key must never be cached anywhere.
  const noStore = { "Cache-Control": "no-store" };

  if (intent === "settings") {
    const parsed = shopSettingsSchema.safeParse({
      name: text(form, "name"),
      currency: text(form, "currency"),
      timezone: text(form, "timezone"),
      contactEmail: text(form, "contactEmail") ?? "",
    });
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const issue of parsed.error.issues) errors[issue.path.join(".") || "form"] ??= issue.message;
      return data<ActionResult>({ intent, errors }, { status: 400 });
    }
    await updateShopSettings(shop.id, parsed.data);
    return data<ActionResult>({ intent, errors: {}, saved: true });
  }

  if (intent === "create-key") {
    const parsed = keyNameSchema.safeParse({ name: text(form, "keyName") });
    if (!parsed.success) {
      return data<ActionResult>({ intent, errors: { keyName: parsed.error.issues[0].message } }, { status: 400 });
    }
    const { key, record } = await createApiKey(shop.id, parsed.data.name);
    return data<ActionResult>(
      { intent, errors: {}, created: { key, name: record.name, prefix: record.prefix } },
      { headers: noStore },
    );
  }

  if (intent === "revoke-key") {
    try {
      const revoked = await revokeApiKey(shop.id, text(form, "id") ?? "");
      return data<ActionResult>({ intent, errors: {}, revoked: revoked.name });
    } catch (error) {
      if (error instanceof NotFoundError) notFound("API key");
      throw error;
    }
  }

  if (intent === "create-calendar-link") {
    const { token } = await createCalendarToken(shop.id);
    const url = new URL(calendarPath(token), env().appUrl).toString();
    return data<ActionResult>({ intent, errors: {}, url }, { headers: noStore });
  }

  if (intent === "revoke-calendar-link") {
    return data<ActionResult>({ intent, errors: {}, revoked: await revokeCalendarToken(shop.id) });
  }

  return data<ActionResult>({ intent: "settings", errors: { form: "Unknown action" } }, { status: 400 });
}

export default function Settings() {
  const { settings, keys, calendar } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submittingIntent = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;

  return (
    <AdminPage layout="form" title="Settings">
      <Layout>
        <Layout.AnnotatedSection
          title="Shop"
          description="How Nearhub names your shop, which currency amounts are in, and the time zone used for reports. The contact email receives permit and capacity alerts."
        >
          <ShopSettingsForm
            initial={settings}
            errors={actionData?.intent === "settings" ? actionData.errors : {}}
            saved={actionData?.intent === "settings" && actionData.saved === true}
            submitting={submittingIntent === "settings"}
          />
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection
          title="Open API keys"
          description="Scripts and other platforms call the Nearhub API (/api/v1) with one of these keys as Authorization: Bearer <key>. Each key sees this shop only. Nearhub stores a hash, so a lost key cannot be shown again: revoke it and create another."
        >
          <BlockStack gap="400">
            {actionData?.intent === "create-key" && actionData.created ? <NewKeyBanner created={actionData.created} /> : null}
            {actionData?.intent === "revoke-key" && actionData.revoked ? (
              <Banner tone="info" title={`Revoked “${actionData.revoked}”`}>
                <p>Requests with that key are refused from now on.</p>
              </Banner>
            ) : null}
            <CreateKeyForm
              key={actionData?.intent === "create-key" ? actionData.created?.prefix : undefined}
              error={actionData?.intent === "create-key" ? actionData.errors.keyName : undefined}
              submitting={submittingIntent === "create-key"}
            />
            <ApiKeyTable keys={keys} />
          </BlockStack>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection
          title="Ad platforms"
          description="Meta and Google Ads accounts Nearhub runs hyperlocal campaigns on, and the sandbox that spends nothing."
        >
          <Card>
            <InlineStack align="space-between" blockAlign="center">
              <Text as="p">Connect, reconnect or disconnect ad accounts.</Text>
              <Button url="/app/settings/ads">Manage ad platforms</Button>
            </InlineStack>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection
          title="Permit calendar"
          description="A private link your calendar app can subscribe to: every permit's expiry and reminder dates. Calendar apps refresh subscribed calendars slowly (often once a day) and may drop alarms, so the calendar only informs; Nearhub's own reminders and gating act on time."
        >
          <CalendarCard
            calendar={calendar}
            createdUrl={actionData?.intent === "create-calendar-link" ? actionData.url : undefined}
            revoked={actionData?.intent === "revoke-calendar-link" && actionData.revoked === true}
            submitting={submittingIntent === "create-calendar-link" || submittingIntent === "revoke-calendar-link"}
          />
        </Layout.AnnotatedSection>
      </Layout>
      <Box paddingBlockEnd="800" />
    </AdminPage>
  );
}

type SettingsValues = { name: string; currency: string; timezone: string; contactEmail: string };

function ShopSettingsForm({
  initial,
  errors,
  saved,
  submitting,
}: {
  initial: SettingsValues;
  errors: Record<string, string>;
  saved: boolean;
  submitting: boolean;
}) {
  const [values, setValues] = useState(initial);
  const set = (field: keyof SettingsValues) => (value: string) => setValues((v) => ({ ...v, [field]: value }));
  return (
    <Card>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="settings" />
        <FormLayout>
          {saved ? <Banner tone="success" title="Settings saved" /> : null}
          <TextField label="Shop name" name="name" value={values.name} onChange={set("name")} error={errors.name} autoComplete="organization" />
          <FormLayout.Group>
            <TextField
              label="Currency"
              name="currency"
              value={values.currency}
              onChange={set("currency")}
              error={errors.currency}
              autoComplete="off"
              helpText="Three-letter code, e.g. USD"
              maxLength={3}
            />
            <TextField
              label="Time zone"
              name="timezone"
              value={values.timezone}
              onChange={set("timezone")}
              error={errors.timezone}
              autoComplete="off"
              helpText="IANA name, e.g. America/New_York"
            />
          </FormLayout.Group>
          <TextField
            label="Contact email"
            name="contactEmail"
            type="email"
            value={values.contactEmail}
            onChange={set("contactEmail")}
            error={errors.contactEmail}
            autoComplete="email"
            helpText="Optional"
          />
          <InlineStack align="end">
            <Button submit variant="primary" loading={submitting}>
              Save settings
            </Button>
          </InlineStack>
        </FormLayout>
      </Form>
    </Card>
  );
}

function NewKeyBanner({ created }: { created: { key: string; name: string; prefix: string } }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <Banner tone="success" title={`API key “${created.name}” created`}>
      <BlockStack gap="200">
        <p>Copy this key now and keep it somewhere safe. It is shown only once: Nearhub keeps just a hash of it.</p>
        <InlineStack gap="200" blockAlign="end" wrap={false}>
          <div style={{ flex: 1 }}>
            <TextField
              label="New API key"
              labelHidden
              value={created.key}
              readOnly
              monospaced
              selectTextOnFocus
              autoComplete="off"
              id="new-api-key"
            />
          </div>
          <Button onClick={copy}>{copied ? "Copied" : "Copy"}</Button>
        </InlineStack>
      </BlockStack>
    </Banner>
  );
}

function CreateKeyForm({ error, submitting }: { error?: string; submitting: boolean }) {
  const [name, setName] = useState("");
  return (
    <Card>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="create-key" />
        <TextField
          label="New key name"
          name="keyName"
          value={name}
          onChange={setName}
          error={error}
          autoComplete="off"
          placeholder="e.g. Warehouse script"
          helpText="A name that tells you later where the key is used."
          connectedRight={
            <Button submit loading={submitting}>
              Create key
            </Button>
          }
        />
      </Form>
    </Card>
  );
}

type KeyRow = { id: string; name: string; prefix: string; created: string | null; lastUsed: string | null; revoked: string | null };

function ApiKeyTable({ keys }: { keys: KeyRow[] }) {
  return (
    <Card padding="0">
      <IndexTable
        resourceName={{ singular: "API key", plural: "API keys" }}
        itemCount={keys.length}
        selectable={false}
        emptyState={
          <Box padding="400">
            <Text as="p" tone="subdued">
              No API keys yet.
            </Text>
          </Box>
        }
        headings={[{ title: "Name" }, { title: "Key" }, { title: "Created" }, { title: "Last used" }, { title: "Status" }, { title: "" }]}
      >
        {keys.map((k, i) => (
          <IndexTable.Row id={k.id} key={k.id} position={i}>
            <IndexTable.Cell>
              <Text as="span" fontWeight="semibold">
                {k.name}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" variant="bodySm">
                <code>{k.prefix}…</code>
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>{k.created}</IndexTable.Cell>
            <IndexTable.Cell>{k.lastUsed ?? <Text as="span" tone="subdued">Never</Text>}</IndexTable.Cell>
            <IndexTable.Cell>
              {k.revoked ? (
                <BlockStack gap="050" inlineAlign="start">
                  <Badge tone="critical">Revoked</Badge>
                  <Text as="span" variant="bodySm" tone="subdued">
                    {k.revoked}
                  </Text>
                </BlockStack>
              ) : (
                <Badge tone="success">Active</Badge>
              )}
            </IndexTable.Cell>
            <IndexTable.Cell>{k.revoked ? null : <RevokeButton id={k.id} name={k.name} />}</IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </IndexTable>
    </Card>
  );
}

function RevokeButton({ id, name }: { id: string; name: string }) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <Button tone="critical" variant="plain" onClick={() => setConfirming(true)} accessibilityLabel={`Revoke ${name}`}>
        Revoke
      </Button>
    );
  }
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="revoke-key" />
      <input type="hidden" name="id" value={id} />
      <InlineStack gap="200" wrap={false}>
        <Button submit tone="critical" variant="primary" size="slim" accessibilityLabel={`Confirm revoking ${name}`}>
          Confirm revoke
        </Button>
        <Button size="slim" onClick={() => setConfirming(false)}>
          Cancel
        </Button>
      </InlineStack>
    </Form>
  );
}

function CalendarCard({
  calendar,
  createdUrl,
  revoked,
  submitting,
}: {
  calendar: { hint: string; created: string | null } | null;
  createdUrl?: string;
  revoked: boolean;
  submitting: boolean;
}) {
  return (
    <Card>
      <BlockStack gap="300">
        {createdUrl ? (
          <Banner tone="success" title="Subscription link created">
            <BlockStack gap="200">
              <p>Copy this link into your calendar app (subscribe by URL). It is shown only once: anyone with it can read your permit dates, so keep it private.</p>
              <TextField label="Subscription link" labelHidden value={createdUrl} readOnly monospaced selectTextOnFocus autoComplete="off" id="permit-calendar-url" />
            </BlockStack>
          </Banner>
        ) : null}
        {revoked ? <Banner tone="info" title="Subscription link revoked">Calendars subscribed with it no longer receive your permit dates.</Banner> : null}
        <Text as="p">
          {calendar
            ? `A subscription link is active (it ends in …${calendar.hint}${calendar.created ? `, created ${calendar.created}` : ""}). Creating a new one stops the old one working.`
            : "No subscription link yet."}
        </Text>
        <InlineStack gap="200">
          <Form method="post">
            <input type="hidden" name="intent" value="create-calendar-link" />
            <Button submit loading={submitting}>
              {calendar ? "Create a new subscription link" : "Create subscription link"}
            </Button>
          </Form>
          {calendar ? (
            <Form method="post">
              <input type="hidden" name="intent" value="revoke-calendar-link" />
              <Button submit tone="critical">
                Revoke
              </Button>
            </Form>
          ) : null}
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

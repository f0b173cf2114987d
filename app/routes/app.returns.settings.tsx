// Return settings: the default inspection window (a hub can set its own on its node page), whom
// to alert when an inspection runs late (email and/or a webhook), how a destination hub is chosen
// (nearest, or where the item recovers the most), whether an item that would lose money at every
// hub still comes back, and whether returns the rules approve are approved without a person
// looking at them. Validated by the settings' own schema
// (returnSettingsSchema), whose messages appear next to the field.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { Banner, BlockStack, Card, Checkbox, ChoiceList, Layout, Text, TextField } from "@shopify/polaris";
import { AdminPage } from "~/components/admin/AdminPage";
import { fieldErrors } from "~/core/validation/issues";
import { ReturnsTabs } from "~/components/returns/ReturnsTabs";
import { db } from "~/db.server";
import { requireAdmin } from "~/services/auth.server";
import { getReturnSettings, returnSettingsSchema, saveReturnSettings } from "~/services/return-settings.server";

export const meta: MetaFunction = () => [{ title: "Return settings · Nearhub" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const [s, hubs] = await Promise.all([
    getReturnSettings(shop.id),
    db.node.findMany({ where: { shopId: shop.id }, select: { id: true, name: true, acceptsReturns: true, inspectionHours: true }, orderBy: { name: "asc" } }),
  ]);
  return {
    values: {
      inspectionHours: String(s.inspectionHours),
      escalationEmail: s.escalationEmail ?? "",
      escalationWebhookUrl: s.escalationWebhookUrl ?? "",
      destinationMode: s.destinationMode,
      autoApprove: s.autoApprove,
      shipBackAtALoss: s.shipBackAtALoss,
    },
    hubs,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const form = await request.formData();
  const current = await getReturnSettings(shop.id);
  const candidate = {
    rules: current.rules,
    defaultOutcome: current.defaultOutcome,
    inspectionHours: String(form.get("inspectionHours") ?? "").trim() || undefined,
    escalationEmail: String(form.get("escalationEmail") ?? "").trim(),
    escalationWebhookUrl: String(form.get("escalationWebhookUrl") ?? "").trim(),
    destinationMode: form.get("destinationMode") ?? undefined,
    autoApprove: form.get("autoApprove") === "on",
    shipBackAtALoss: form.get("shipBackAtALoss") === "on",
  };
  const parsed = returnSettingsSchema.safeParse(candidate);
  if (!parsed.success) return data({ saved: false, errors: fieldErrors(parsed.error) }, { status: 400 });
  await saveReturnSettings(shop.id, candidate);
  return data({ saved: true, errors: {} as Record<string, string> });
}

export default function ReturnSettingsPage() {
  const { values, hubs } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = actionData?.errors ?? {};
  const [v, setV] = useState(values);
  const own = hubs.filter((h) => h.acceptsReturns && h.inspectionHours !== null);
  const closed = hubs.filter((h) => !h.acceptsReturns);
  return (
    <AdminPage layout="form" title="Returns" subtitle="Inspection window, escalation and how return hubs are chosen">
      <BlockStack gap="400">
        <ReturnsTabs />
        {actionData?.saved ? <Banner tone="success" title="Return settings saved" /> : null}
        {Object.keys(errors).length > 0 ? <Banner tone="critical" title="Some settings need attention: see the fields below. Nothing was saved." /> : null}
        <Form method="post" noValidate>
          <Layout>
            <Layout.AnnotatedSection title="Inspection" description="A received return must be inspected within this many hours. Hubs can set their own window on their node page.">
              <Card>
                <BlockStack gap="300">
                  <TextField
                    label="Default inspection window (hours)"
                    name="inspectionHours"
                    value={v.inspectionHours}
                    onChange={(inspectionHours) => setV((s) => ({ ...s, inspectionHours }))}
                    inputMode="numeric"
                    autoComplete="off"
                    error={errors.inspectionHours}
                    helpText="48 hours is the playbook's target."
                  />
                  {own.length > 0 ? (
                    <Text as="p" variant="bodySm" tone="subdued">
                      Own windows: {own.map((h) => `${h.name} ${h.inspectionHours} h`).join(", ")}.
                    </Text>
                  ) : null}
                  {closed.length > 0 ? (
                    <Text as="p" variant="bodySm" tone="subdued">
                      Not accepting returns: {closed.map((h) => h.name).join(", ")}.
                    </Text>
                  ) : null}
                </BlockStack>
              </Card>
            </Layout.AnnotatedSection>
            <Layout.AnnotatedSection title="Escalation" description="When an inspection is due soon or overdue, Nearhub alerts hub staff, then the hub lead, then you. Leave both empty to only show it in the queue.">
              <Card>
                <BlockStack gap="300">
                  <TextField
                    label="Escalation email"
                    name="escalationEmail"
                    type="email"
                    value={v.escalationEmail}
                    onChange={(escalationEmail) => setV((s) => ({ ...s, escalationEmail }))}
                    autoComplete="email"
                    error={errors.escalationEmail}
                  />
                  <TextField
                    label="Escalation webhook URL"
                    name="escalationWebhookUrl"
                    value={v.escalationWebhookUrl}
                    onChange={(escalationWebhookUrl) => setV((s) => ({ ...s, escalationWebhookUrl }))}
                    autoComplete="off"
                    placeholder="https://hooks.example.com/returns"
                    helpText="Receives a JSON POST for each escalation (Slack, Teams, your own system)."
                    error={errors.escalationWebhookUrl}
                  />
                </BlockStack>
              </Card>
            </Layout.AnnotatedSection>
            <Layout.AnnotatedSection title="Destination and approval" description="Where items come back to, and whether a person approves each return.">
              <Card>
                <BlockStack gap="300">
                  <ChoiceList
                    title="Send returned items to"
                    name="destinationMode"
                    choices={[
                      { label: "The nearest return hub", value: "NEAREST", helpText: "Shortest, cheapest trip back." },
                      {
                        label: "The hub where the item recovers the most",
                        value: "BEST_RECOVERY",
                        helpText: "Weighs local sales, stock, refurbishment, holding and the trip back: an item goes where it resells fastest.",
                      },
                    ]}
                    selected={[v.destinationMode]}
                    onChange={([destinationMode]) => setV((s) => ({ ...s, destinationMode: destinationMode === "NEAREST" ? "NEAREST" : "BEST_RECOVERY" }))}
                    error={errors.destinationMode}
                  />
                  <Checkbox
                    label="Approve returns automatically when the rules approve them"
                    name="autoApprove"
                    value="on"
                    checked={v.autoApprove}
                    onChange={(autoApprove) => setV((s) => ({ ...s, autoApprove }))}
                    helpText="Off: every request waits in the queue for someone to approve it."
                    error={errors.autoApprove}
                  />
                  <Checkbox
                    label="Bring items back even when every hub would lose money on them"
                    name="shipBackAtALoss"
                    value="on"
                    checked={v.shipBackAtALoss}
                    onChange={(shipBackAtALoss) => setV((s) => ({ ...s, shipBackAtALoss }))}
                    helpText="Off: when the trip back, handling and holding cost more than the item recovers anywhere, the customer keeps it and is refunded (or credited) as the rule says; the plan says why."
                    error={errors.shipBackAtALoss}
                  />
                </BlockStack>
              </Card>
            </Layout.AnnotatedSection>
            <Layout.Section>
              <button className="nh-touch nh-primary" type="submit" disabled={navigation.state === "submitting"}>
                Save settings
              </button>
            </Layout.Section>
          </Layout>
        </Form>
      </BlockStack>
      <style
        dangerouslySetInnerHTML={{
          __html: `.nh-touch{min-height:44px;padding:0 18px;border-radius:10px;border:1px solid #303030;background:#303030;color:#fff;font-size:15px;font-weight:600;cursor:pointer}.nh-touch:disabled{opacity:.5}`,
        }}
      />
    </AdminPage>
  );
}

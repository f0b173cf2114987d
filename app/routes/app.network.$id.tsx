// Edit a node, or take it out of service (and back) after a confirmation.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { Badge, Banner, BlockStack, Button, Card, InlineStack, Layout, Text } from "@shopify/polaris";
import { AdminPage } from "~/components/admin/AdminPage";
import { z } from "zod";
import { NodeForm } from "~/components/NodeForm";
import { StaleSaveBanner } from "~/components/shipping/ConfigProblems";
import { postedVersion } from "~/components/shipping/form-utils";
import { nodeRowToFormValues, parseNodeForm } from "~/components/node-form-values";
import { NODE_KIND_LABELS, NODE_STATUSES, type NodeKind } from "~/core/network/types";
import { requireAdmin } from "~/services/auth.server";
import { ConflictError, NotFoundError, getNode, setNodeStatus, updateNode } from "~/services/network.server";
import { StaleConfigError } from "~/services/config-version.server";
import { notFound } from "~/components/admin/not-found";
import { nodePermits } from "~/services/permits/admin.server";

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [
  { title: `${loaded?.node.name ?? "Node"} · Nearhub` },
];

/** getNode scoped to the shop; a node of another shop (or none) is a 404, never a 500. */
async function loadNode(shopId: string, id: string | undefined) {
  try {
    return await getNode(shopId, id ?? "");
  } catch (error) {
    if (error instanceof NotFoundError) notFound("node");
    throw error;
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop, conventions } = await requireAdmin(request);
  const units = { unitSystem: conventions.unitSystem, weightUnit: conventions.weightUnit };
  const row = await loadNode(shop.id, params.id);
  const permits = (await nodePermits(shop.id, row.id, Date.now())).map((p) => ({ id: p.id, name: p.name, statusTitle: p.statusTitle, statusTone: p.statusTone, expiresWords: p.expiresWords, when: p.when, gatingNow: p.gatingNow }));
  return {
    permits,
    node: { id: row.id, name: row.name, kind: row.kind as NodeKind, status: row.status, updatedAt: row.updatedAt.toISOString() },
    initialValues: nodeRowToFormValues(row, shop.currency, units),
    currency: shop.currency,
    units,
    version: row.version,
  };
}

const statusFormSchema = z.object({ status: z.enum(NODE_STATUSES, { error: "Status must be ACTIVE or DISABLED" }) });

export async function action({ request, params }: ActionFunctionArgs) {
  const { shop, conventions } = await requireAdmin(request);
  const row = await loadNode(shop.id, params.id);
  const form = await request.formData();

  if (form.get("intent") === "status") {
    const parsed = statusFormSchema.safeParse({ status: form.get("status") });
    if (!parsed.success) return data({ errors: { status: parsed.error.issues[0].message } }, { status: 400 });
    await setNodeStatus(shop.id, row.id, parsed.data.status);
    return data({ errors: {} as Record<string, string>, statusChanged: parsed.data.status });
  }

  const result = parseNodeForm(form, shop.currency, conventions);
  if (!result.ok) return data({ errors: result.errors }, { status: 400 });
  const version = postedVersion(form);
  try {
    // A page opened before another save of this node is refused (nothing written); the form keeps what was typed.
    await updateNode(shop.id, row.id, result.input, version ?? undefined);
  } catch (error) {
    if (error instanceof StaleConfigError) return data({ errors: {} as Record<string, string>, stale: error.message, version }, { status: 409 });
    if (error instanceof ConflictError) return data({ errors: { [error.field]: error.message } }, { status: 409 });
    if (error instanceof NotFoundError) notFound("node");
    throw error;
  }
  return redirect(`/app/network?saved=${encodeURIComponent(row.id)}`);
}

export default function EditNode() {
  const { node, permits, initialValues, currency, units, version } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const stale = actionData && "stale" in actionData && typeof actionData.stale === "string" ? { stale: actionData.stale, version: "version" in actionData && typeof actionData.version === "number" ? actionData.version : null } : null;
  const navigation = useNavigation();
  const savingForm = navigation.state === "submitting" && navigation.formData?.get("intent") !== "status";
  return (
    <AdminPage layout="form"
      title={node.name}
      titleMetadata={node.status === "ACTIVE" ? <Badge tone="success">Active</Badge> : <Badge>Disabled</Badge>}
      subtitle={NODE_KIND_LABELS[node.kind]}
      backAction={{ content: "Network", url: "/app/network" }}
    >
      <BlockStack gap="500">
        <StatusCard key={node.status} name={node.name} status={node.status} />
        <PermitsCard permits={permits} />
        <StaleSaveBanner message={stale?.stale} reloadUrl={`/app/network/${node.id}`} />
        <NodeForm
          version={stale?.version ?? version}
          key={node.id}
          initialValues={initialValues}
          errors={actionData?.errors}
          currency={currency}
          units={units}
          submitLabel="Save changes"
          submitting={savingForm}
        />
      </BlockStack>
    </AdminPage>
  );
}

/** The node's licences and permits, with what a lapsed one takes away now; renewed on the Compliance page. */
function PermitsCard({ permits }: { permits: ReturnType<typeof useLoaderData<typeof loader>>["permits"] }) {
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Permits
          </Text>
          <Link to="/app/compliance">Open Compliance</Link>
        </InlineStack>
        {permits.length === 0 ? (
          <Text as="p" tone="subdued">
            No permit is tracked for this node. The Compliance page proposes what its city and state usually ask for.
          </Text>
        ) : (
          permits.map((p) => (
            <BlockStack key={p.id} gap="050">
              <InlineStack gap="200" blockAlign="center">
                <Text as="span" variant="bodyMd" fontWeight="semibold">
                  {p.name}
                </Text>
                <Badge tone={p.statusTone}>{p.statusTitle}</Badge>
                <Text as="span" tone="subdued">
                  expires {p.expiresWords} ({p.when})
                </Text>
              </InlineStack>
              {p.gatingNow ? (
                <Text as="p" tone="critical">
                  {p.gatingNow}.
                </Text>
              ) : null}
            </BlockStack>
          ))
        )}
      </BlockStack>
    </Card>
  );
}

/** Disable/Enable with an inline confirmation (works embedded and in demo mode alike). */
function StatusCard({ name, status }: { name: string; status: string }) {
  const [confirming, setConfirming] = useState(false);
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "status";
  const active = status === "ACTIVE";
  return (
    <Layout>
      <Layout.Section>
        <Card>
          <BlockStack gap="300">
            <InlineStack align="space-between" blockAlign="center" gap="300">
              <BlockStack gap="100">
                <Text as="h2" variant="headingMd">
                  {active ? "In service" : "Out of service"}
                </Text>
                <Text as="p" tone="subdued">
                  {active
                    ? "This node is offered in checkout quotes and can receive routed orders."
                    : "This node is not quoted and receives no orders until it is enabled again."}
                </Text>
              </BlockStack>
              {!confirming ? (
                <Button tone={active ? "critical" : undefined} onClick={() => setConfirming(true)}>
                  {active ? "Disable node" : "Enable node"}
                </Button>
              ) : null}
            </InlineStack>
            {confirming ? (
              <Banner tone={active ? "warning" : "info"} title={active ? `Disable ${name}?` : `Enable ${name}?`}>
                <BlockStack gap="200">
                  <p>
                    {active
                      ? "Shoppers will no longer see delivery options from this node and new orders will be routed elsewhere. Orders already assigned to it stay where they are."
                      : "The node will be offered in quotes and routing again from now on."}
                  </p>
                  <Form method="post">
                    <input type="hidden" name="intent" value="status" />
                    <input type="hidden" name="status" value={active ? "DISABLED" : "ACTIVE"} />
                    <InlineStack gap="200">
                      <Button submit variant="primary" tone={active ? "critical" : undefined} loading={busy}>
                        {active ? "Yes, disable" : "Yes, enable"}
                      </Button>
                      <Button onClick={() => setConfirming(false)}>Cancel</Button>
                    </InlineStack>
                  </Form>
                </BlockStack>
              </Banner>
            ) : null}
          </BlockStack>
        </Card>
      </Layout.Section>
    </Layout>
  );
}

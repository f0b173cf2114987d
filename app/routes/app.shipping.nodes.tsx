// Node operations used by quotes: the days each node is closed, how long picking and packing
// takes, and (micro-factories) how long making to order takes.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineGrid, InlineStack, Layout, List, Text, TextField } from "@shopify/polaris";
import { AdminPage } from "~/components/admin/AdminPage";
import { ShippingTabs } from "~/components/shipping/ShippingTabs";
import {
  NODE_OPS_FIELDS,
  NODE_OPS_LABELS,
  brokenNodeOpsToForm,
  nodeOpsFormValues,
  nodeOpsName,
  nodeOpsToForm,
  nodeVersionName,
  readNodeOpsForm,
  type NodeOpsField,
  type NodeOpsFormValues,
} from "~/components/shipping/node-ops-form";
import { SaveNotices } from "~/components/shipping/ConfigProblems";
import { NO_VERSION_MESSAGE, type FieldErrors } from "~/components/shipping/form-utils";
import { NODE_KIND_LABELS, type NodeKind } from "~/core/network/types";
import { requireAdmin } from "~/services/auth.server";
import { listNodes, nodeOpsOf, NodeOpsError, saveNodeOperations } from "~/services/network.server";
import { nodeDay } from "~/services/node-day.server";
import { nodeOpsProblems, StaleConfigError } from "~/services/shipping-settings.server";

export const meta: MetaFunction = () => [{ title: "Node operations · Shipping · Nearhub" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const rows = await listNodes(shop.id);
  // Orders taken today, counted as checkout and routing count them; the page still works if they cannot be read.
  const today = await nodeDay(shop.id, rows, Date.now()).catch(() => null);
  const formOf = (row: (typeof rows)[number]) => {
    try {
      return nodeOpsToForm(nodeOpsOf(row));
    } catch (error) {
      if (error instanceof NodeOpsError) return brokenNodeOpsToForm(row);
      throw error;
    }
  };
  return {
    problems: nodeOpsProblems(rows),
    nodes: rows.map((n) => ({
      id: n.id,
      name: n.name,
      kind: n.kind as NodeKind,
      kindLabel: NODE_KIND_LABELS[n.kind as NodeKind] ?? n.kind,
      status: n.status,
      timezone: n.timezone,
      dailyCapacity: n.dailyCapacity,
      ordersToday: today?.byNode[n.id] ? { total: today.byNode[n.id].orders, ...today.byNode[n.id].bySource } : null,
      version: n.version,
      values: formOf(n),
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const form = await request.formData();
  const rows = await listNodes(shop.id);
  // After a stale refusal the page keeps posting the versions it was opened at, so saving again
  // stays refused until it is reloaded and shows the other change.
  const versions = Object.fromEntries(rows.map((n) => [n.id, String(form.get(nodeVersionName(n.id)) ?? "")]));
  const fail = (status: number, errors: FieldErrors, values: Record<string, NodeOpsFormValues> | null, stale: string | null = null) =>
    data({ errors, values, stale, versions: stale ? versions : null }, { status });
  if (form.get("intent") !== "save-node-ops") return fail(400, { form: "Unknown action" }, null);
  const values = nodeOpsFormValues(form, rows.map((n) => n.id));
  const read = readNodeOpsForm(values, {});
  if (!read.nodes) return fail(400, read.errors, values);
  const changes = [];
  for (const [nodeId, ops] of Object.entries(read.nodes)) {
    const version = Number(form.get(nodeVersionName(nodeId)));
    if (!Number.isInteger(version) || version < 1) return fail(400, { form: NO_VERSION_MESSAGE }, values);
    changes.push({ nodeId, version, ops });
  }
  try {
    await saveNodeOperations(shop.id, changes);
  } catch (error) {
    if (error instanceof StaleConfigError) return fail(409, {}, values, error.message);
    throw error;
  }
  return redirect("/app/shipping/nodes?saved=1");
}

/** "12 of 150 orders taken today (9 sent by Shopify, 3 routed here by Nearhub)": what checkout and routing count against the capacity. */
function ordersTodayText(t: { total: number; SHOPIFY: number; NEARHUB: number } | null, capacity: number): string {
  if (!t) return `${capacity} orders a day (today's orders could not be counted)`;
  const parts = [t.SHOPIFY > 0 ? `${t.SHOPIFY} sent by Shopify` : null, t.NEARHUB > 0 ? `${t.NEARHUB} routed here by Nearhub` : null].filter(Boolean);
  return `${t.total} of ${capacity} orders taken today${parts.length > 0 ? ` (${parts.join(", ")})` : ""}`;
}

export default function NodeOperations() {
  const { nodes, problems } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const errors: FieldErrors = actionData?.errors ?? {};
  const [values, setValues] = useState<Record<string, NodeOpsFormValues>>(() => ({
    ...Object.fromEntries(nodes.map((n) => [n.id, n.values])),
    ...(actionData?.values ?? {}),
  }));
  const nodeName = new Map(nodes.map((n) => [n.id, n.name]));
  const errorList = Object.entries(errors).filter(([k]) => k !== "form");
  return (
    <AdminPage layout="form" title="Node operations" subtitle="Closed days and preparation times that decide when an order can leave each node">
      <BlockStack gap="400">
        <ShippingTabs />
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="save-node-ops" />
          <Layout>
            {params.get("saved") && !actionData ? (
              <Layout.Section>
                <Banner tone="success" title="Node operations saved" />
              </Layout.Section>
            ) : null}
            <SaveNotices stale={actionData?.stale} reloadUrl="/app/shipping/nodes" problems={problems} />
            {errors.form ? (
              <Layout.Section>
                <Banner tone="critical">
                  <p>{errors.form}</p>
                </Banner>
              </Layout.Section>
            ) : null}
            {errorList.length > 0 ? (
              <Layout.Section>
                <Banner tone="critical" title={`Fix ${errorList.length} field${errorList.length === 1 ? "" : "s"} to save`}>
                  <List>
                    {errorList.map(([k, m]) => {
                      const [, id, field] = k.split(".");
                      return <List.Item key={k}>{`${nodeName.get(id) ?? id}, ${NODE_OPS_LABELS[field as NodeOpsField] ?? field}: ${m}`}</List.Item>;
                    })}
                  </List>
                </Banner>
              </Layout.Section>
            ) : null}
            <Layout.Section>
              <Card>
                <Text as="p" tone="subdued">
                  A node is not quoted on the days it is closed, and an order can leave only after it is picked and packed (and,
                  at a micro-factory, made). Same-day cut-offs, opening hours and capacity are on each node’s page under
                  Network. Dates are in the node’s own time zone.
                </Text>
              </Card>
            </Layout.Section>
            {nodes.length === 0 ? (
              <Layout.Section>
                <Card>
                  <Text as="p" tone="subdued">
                    No nodes yet. Add them on the Network page.
                  </Text>
                </Card>
              </Layout.Section>
            ) : null}
            {nodes.map((n) => {
              const v = values[n.id] ?? n.values;
              const set = (f: NodeOpsField) => (value: string) => setValues((all) => ({ ...all, [n.id]: { ...v, [f]: value } }));
              const fields: NodeOpsField[] = n.kind === "MICRO_FACTORY" ? [...NODE_OPS_FIELDS] : ["holidays", "prepMinutes"];
              const field = (f: NodeOpsField) => (
                <TextField
                  key={f}
                  label={NODE_OPS_LABELS[f]}
                  name={nodeOpsName(n.id, f)}
                  id={`ops-${n.id}-${f}`}
                  value={v[f]}
                  onChange={set(f)}
                  error={errors[nodeOpsName(n.id, f)]}
                  autoComplete="off"
                  multiline={f === "holidays" ? 2 : undefined}
                  placeholder={f === "holidays" ? "2026-12-25, 2027-01-01" : undefined}
                  helpText={
                    f === "holidays"
                      ? "Dates as YYYY-MM-DD, separated by commas or lines"
                      : f === "prepMinutes"
                        ? "Before a courier or carrier can take the order"
                        : undefined
                  }
                  suffix={f === "holidays" ? undefined : "min"}
                />
              );
              return (
                <Layout.Section key={n.id}>
                  <Card>
                    <BlockStack gap="300">
                      <InlineStack gap="200" blockAlign="center">
                        <Text as="h2" variant="headingSm">
                          {n.name}
                        </Text>
                        <Badge>{n.kindLabel}</Badge>
                        {n.status !== "ACTIVE" ? <Badge tone="critical">Disabled</Badge> : null}
                        <Text as="span" variant="bodySm" tone="subdued">
                          {n.timezone} · {ordersTodayText(n.ordersToday, n.dailyCapacity)}
                        </Text>
                      </InlineStack>
                      <input type="hidden" name={nodeVersionName(n.id)} value={actionData?.versions?.[n.id] ?? n.version} />
                      {fields.includes("holidays") ? field("holidays") : null}
                      <InlineGrid columns={{ xs: 1, md: 3 }} gap="300">
                        {fields.filter((f) => f !== "holidays").map(field)}
                      </InlineGrid>
                      {n.kind !== "MICRO_FACTORY" ? (
                        <>
                          <input type="hidden" name={nodeOpsName(n.id, "makeSetupMinutes")} value={v.makeSetupMinutes} />
                          <input type="hidden" name={nodeOpsName(n.id, "makeMinutesPerUnit")} value={v.makeMinutesPerUnit} />
                        </>
                      ) : null}
                    </BlockStack>
                  </Card>
                </Layout.Section>
              );
            })}
            {nodes.length > 0 ? (
              <Layout.Section>
                <InlineStack align="end">
                  <Button submit variant="primary" loading={navigation.state === "submitting"}>
                    Save node operations
                  </Button>
                </InlineStack>
              </Layout.Section>
            ) : null}
          </Layout>
        </Form>
        <Box paddingBlockEnd="800" />
      </BlockStack>
    </AdminPage>
  );
}

// Returns queue: every return with its state, destination hub and inspection countdown, filtered
// by hub and state, most urgent first; tick several and approve or mark them received in one go.
// Each change goes through the returns use cases and reports per row: a change the life cycle
// refuses shows its reason on that row while the others go through.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { randomUUID } from "node:crypto";
import { useState } from "react";
import { Banner, BlockStack, Box, Button, Card, InlineStack, Select, Text } from "@shopify/polaris";
import { AdminPage } from "~/components/admin/AdminPage";
import { z } from "zod";
import { ReturnsTabs } from "~/components/returns/ReturnsTabs";
import { CountdownText, StatusBadge } from "~/components/returns/StatusBadge";
import { formatMinor } from "~/core/money/money";
import { MAX_RETURN_ID_LENGTH, MAX_RETURNS_PER_BULK_ACTION, RETURN_STATUS_LABELS, RETURN_STATUSES } from "~/core/returns";
import { formatDate } from "~/core/format/format";
import { requireAdmin } from "~/services/auth.server";
import { yieldToEventLoop } from "~/services/event-loop.server";
import { approveFromAdmin, listReturnQueue, receiveFromAdmin, returnHubs, type ChangeResult } from "~/services/returns-admin.server";

export const meta: MetaFunction = () => [{ title: "Returns · Nearhub" }];

const filterSchema = z.object({
  hub: z.string().trim().min(1).nullable().catch(null),
  state: z.enum(RETURN_STATUSES).nullable().catch(null),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop, conventions } = await requireAdmin(request);
  const url = new URL(request.url);
  const filters = filterSchema.parse({ hub: url.searchParams.get("hub"), state: url.searchParams.get("state") });
  const now = Date.now();
  const [rows, hubs] = await Promise.all([listReturnQueue(shop.id, { hubId: filters.hub, status: filters.state }, now), returnHubs(shop.id)]);
  return { rows: rows.map((r) => ({ ...r, requestedOn: formatDate(r.requestedAt, conventions) })), hubs: hubs.map((h) => ({ id: h.id, name: h.name })), filters, requestId: randomUUID(), now };
}

export const bulkSchema = z.object({
  intent: z.enum(["approve", "receive"], { error: "Choose an action" }),
  ids: z
    .array(z.string().min(1).max(MAX_RETURN_ID_LENGTH, "Not a return id"))
    .min(1, "Tick at least one return")
    .max(MAX_RETURNS_PER_BULK_ACTION, `At most ${MAX_RETURNS_PER_BULK_ACTION} returns at a time`),
  requestId: z.string().min(8).max(100),
});

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const form = await request.formData();
  const parsed = bulkSchema.safeParse({ intent: form.get("intent"), ids: form.getAll("ids"), requestId: form.get("requestId") });
  if (!parsed.success) {
    return data({ error: parsed.error.issues[0].message, results: [] as ChangeResult[] }, { status: 400 });
  }
  const { intent, ids, requestId } = parsed.data;
  const now = Date.now();
  const results: ChangeResult[] = [];
  for (const id of ids) {
    const key = `admin:${requestId}:${intent}:${id}`;
    results.push(intent === "approve" ? await approveFromAdmin(shop.id, id, key, now) : await receiveFromAdmin(shop.id, id, key, now));
    await yieldToEventLoop(); // one return at a time: requests arriving meanwhile are answered between them
  }
  return data({ error: null as string | null, results });
}

const STATE_OPTIONS = [{ label: "Any state", value: "" }, ...RETURN_STATUSES.map((s) => ({ label: RETURN_STATUS_LABELS[s].replace(/^./, (c) => c.toUpperCase()), value: s }))];

export default function ReturnsQueue() {
  const { rows, hubs, filters, requestId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const [hub, setHub] = useState(filters.hub ?? "");
  const [state, setState] = useState(filters.state ?? "");
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const results = new Map((actionData?.results ?? []).map((r) => [r.returnId, r]));
  const ok = actionData?.results.filter((r) => r.ok).length ?? 0;
  const refused = actionData?.results.filter((r) => !r.ok).length ?? 0;
  const busy = navigation.state === "submitting";
  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const overdue = rows.filter((r) => r.countdown.status === "overdue").length;
  const dueSoon = rows.filter((r) => r.countdown.status === "due_soon").length;

  return (
    <AdminPage layout="data" title="Returns" subtitle="Every return, where it is going and how long its hub has left to inspect it">
      <BlockStack gap="400">
        <ReturnsTabs />
        <Card>
          <BlockStack gap="300">
            <Text as="p">
              Received returns must be inspected before their deadline (48 hours after receipt unless the hub or the settings say
              otherwise). The most urgent come first. {overdue > 0 ? <strong>{overdue} overdue</strong> : "None overdue"}
              {dueSoon > 0 ? `, ${dueSoon} due within 12 hours` : ""}.
            </Text>
            <Form method="get">
              <InlineStack gap="300" blockAlign="end">
                <div style={{ minWidth: 220 }}>
                  <Select label="Hub" name="hub" options={[{ label: "All hubs", value: "" }, ...hubs.map((h) => ({ label: h.name, value: h.id }))]} value={hub} onChange={setHub} />
                </div>
                <div style={{ minWidth: 200 }}>
                  <Select label="State" name="state" options={STATE_OPTIONS} value={state} onChange={setState} />
                </div>
                <Button submit>Filter</Button>
                {params.toString() ? <Link to="/app/returns">Clear filters</Link> : null}
              </InlineStack>
            </Form>
          </BlockStack>
        </Card>

        {actionData?.error ? <Banner tone="critical" title={actionData.error} /> : null}
        {actionData && actionData.results.length > 0 ? (
          <Banner tone={refused > 0 ? "warning" : "success"} title={`${ok} changed, ${refused} refused`}>
            {refused > 0 ? <p>Each refused return says why in its row below.</p> : null}
          </Banner>
        ) : null}

        <Card padding="0">
          <Form method="post">
            <input type="hidden" name="requestId" value={requestId} />
            <Box padding="300">
              <InlineStack gap="300" blockAlign="center">
                <Text as="span">{selected.size} selected</Text>
                <button type="submit" className="nh-btn" name="intent" value="approve" disabled={selected.size === 0 || busy}>
                  Approve
                </button>
                <button type="submit" className="nh-btn" name="intent" value="receive" disabled={selected.size === 0 || busy}>
                  Mark received at its hub
                </button>
              </InlineStack>
            </Box>
            <div className="nh-returns-table">
              <table>
                <thead>
                  <tr>
                    <th scope="col">
                      <span className="nh-sr">Select</span>
                    </th>
                    <th scope="col">Return</th>
                    <th scope="col">State</th>
                    <th scope="col">Destination hub</th>
                    <th scope="col">Inspection</th>
                    <th scope="col">Items</th>
                    <th scope="col">Value</th>
                    <th scope="col">Requested</th>
                    <th scope="col">Result</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.length === 0 ? (
                    <tr>
                      <td colSpan={9}>
                        <Text as="p" tone="subdued">
                          No returns match these filters.
                        </Text>
                      </td>
                    </tr>
                  ) : null}
                  {rows.map((r) => {
                    const result = results.get(r.id);
                    return (
                      <tr key={r.id} data-return-id={r.id} className={r.countdown.status === "overdue" ? "nh-overdue" : undefined}>
                        <td>
                          <input
                            type="checkbox"
                            name="ids"
                            value={r.id}
                            aria-label={`Select return ${r.orderName ?? r.id}`}
                            checked={selected.has(r.id)}
                            onChange={(e) => toggle(r.id, e.currentTarget.checked)}
                          />
                        </td>
                        <td>
                          <Link to={`/app/returns/${r.id}`}>{r.orderName ? `Return for ${r.orderName}` : `Return ${r.id.slice(-6)}`}</Link>
                        </td>
                        <td>
                          <StatusBadge status={r.status} />
                        </td>
                        <td>{r.hubName ?? <Text as="span" tone="subdued">not chosen</Text>}</td>
                        <td>
                          <CountdownText countdown={r.countdown} />
                        </td>
                        <td>
                          {r.units} {r.units === 1 ? "item" : "items"}
                        </td>
                        <td>{formatMinor(r.valueMinor, r.currency)}</td>
                        <td>{r.requestedOn}</td>
                        <td>
                          {result ? (
                            <Text as="span" tone={result.ok ? "success" : "critical"}>
                              {result.message}
                            </Text>
                          ) : null}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </Form>
        </Card>
      </BlockStack>
      <style dangerouslySetInnerHTML={{ __html: TABLE_CSS }} />
    </AdminPage>
  );
}

const TABLE_CSS = `
.nh-returns-table{overflow-x:auto}
.nh-returns-table table{width:100%;border-collapse:collapse;font-size:14px}
.nh-returns-table th,.nh-returns-table td{padding:12px;text-align:left;border-top:1px solid #e3e3e3;vertical-align:middle}
.nh-returns-table th{font-weight:600;background:#f7f7f7}
.nh-returns-table input[type=checkbox]{width:24px;height:24px}
.nh-returns-table tr.nh-overdue{background:#fff1f0}
.nh-returns-table tr.nh-overdue td:first-child{box-shadow:inset 4px 0 0 #c70a24}
.nh-btn{min-height:44px;padding:0 16px;border-radius:8px;border:1px solid #8a8a8a;background:#fff;font-weight:600;font-size:14px;cursor:pointer}
.nh-btn:disabled{opacity:.5;cursor:default}
.nh-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
`;

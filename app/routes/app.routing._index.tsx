// Routing log: every routing decision, newest first, with its order, status, chosen node(s), total
// landed cost and time; filter by status; each row opens the decision's explanation.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { BlockStack, Button, Card, InlineStack, Select, Text } from "@shopify/polaris";
import { AdminPage } from "~/components/admin/AdminPage";
import { z } from "zod";
import { DECISION_STATUS_LABELS, DecisionStatusBadge } from "~/components/routing/DecisionStatusBadge";
import { RoutingTabs } from "~/components/routing/RoutingTabs";
import { formatMinor } from "~/core/money/money";
import { formatDateTime } from "~/core/format/format";
import { requireAdmin } from "~/services/auth.server";
import { DECISION_STATUSES } from "~/core/routing/decision-statuses";
import { listDecisions } from "~/services/routing-admin.server";
import { getRoutingSettings } from "~/services/routing-settings.server";

export const meta: MetaFunction = () => [{ title: "Routing log · Nearhub" }];

const filterSchema = z.object({
  status: z.enum(DECISION_STATUSES).nullable().catch(null),
  before: z.string().trim().min(1).max(64).nullable().catch(null),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop, conventions } = await requireAdmin(request);
  const url = new URL(request.url);
  const filters = filterSchema.parse({ status: url.searchParams.get("status"), before: url.searchParams.get("before") });
  const [log, settings] = await Promise.all([listDecisions(shop.id, { status: filters.status, before: filters.before, limit: 50 }), getRoutingSettings(shop.id)]);
  // When each was decided, in the shop's zone, labelled ("Dec 4, 2026, 1:30 PM EST").
  const rows = log.rows.map((r) => ({ ...r, decidedAt: formatDateTime(r.createdAt, conventions) }));
  return { ...log, rows, filters, mode: settings.mode };
}

const STATUS_OPTIONS = [{ label: "Any status", value: "" }, ...DECISION_STATUSES.map((s) => ({ label: DECISION_STATUS_LABELS[s].label, value: s }))];

export default function RoutingLog() {
  const { rows, nextBefore, counts, filters, mode } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const [status, setStatus] = useState(filters.status ?? "");
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const nextParams = new URLSearchParams(params);
  if (nextBefore) nextParams.set("before", nextBefore);

  return (
    <AdminPage layout="data" title="Routing" subtitle="Which node ships each paid order, and whether Nearhub moves it there in Shopify">
      <BlockStack gap="400">
        <RoutingTabs />
        <Card>
          <BlockStack gap="300">
            <Text as="p">
              For every paid order Nearhub prices each node that could ship it and picks the lowest landed cost that keeps the
              delivery promise made at checkout. Mode: <strong>{mode === "AUTO" ? "move automatically" : "suggest only"}</strong>
              {mode === "AUTO"
                ? " — orders are moved in Shopify to the chosen node."
                : " — decisions are logged here; Shopify's own routing stays in charge."}{" "}
              <Link to="/app/routing/settings">Change</Link>
            </Text>
            <InlineStack gap="200">
              {DECISION_STATUSES.filter((s) => counts[s]).map((s) => (
                <Text as="span" key={s} tone="subdued">
                  {DECISION_STATUS_LABELS[s].label}: {counts[s]}
                </Text>
              ))}
              {total === 0 ? (
                <Text as="span" tone="subdued">
                  No decisions yet: they appear when paid orders arrive.
                </Text>
              ) : null}
            </InlineStack>
            <Form method="get">
              <InlineStack gap="300" blockAlign="end">
                <div style={{ minWidth: 220 }}>
                  <Select label="Status" name="status" options={STATUS_OPTIONS} value={status} onChange={setStatus} />
                </div>
                <Button submit>Filter</Button>
                {params.toString() ? <Link to="/app/routing">Clear filters</Link> : null}
              </InlineStack>
            </Form>
          </BlockStack>
        </Card>

        <Card padding="0">
          <div className="nh-routing-table">
            <table>
              <thead>
                <tr>
                  <th scope="col">Order</th>
                  <th scope="col">Status</th>
                  <th scope="col">Ships from</th>
                  <th scope="col" className="nh-num">
                    Total cost
                  </th>
                  <th scope="col">Decided</th>
                </tr>
              </thead>
              <tbody>
                {rows.length === 0 ? (
                  <tr>
                    <td colSpan={5}>
                      <Text as="p" tone="subdued">
                        No decisions match this filter.
                      </Text>
                    </td>
                  </tr>
                ) : null}
                {rows.map((r) => (
                  <tr key={r.id} data-decision-id={r.id}>
                    <td>
                      <Link to={`/app/routing/${r.id}`}>{r.orderName ?? r.orderGid.replace(/^gid:\/\/shopify\//, "")}</Link>
                    </td>
                    <td>
                      <DecisionStatusBadge status={r.status} />
                    </td>
                    <td>{r.nodes.length ? r.nodes.join(" + ") : <Text as="span" tone="subdued">no node</Text>}</td>
                    <td className="nh-num">{r.totalCostMinor == null ? "—" : formatMinor(r.totalCostMinor, r.currency)}</td>
                    <td>{r.decidedAt}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
        {nextBefore ? (
          <InlineStack align="center">
            <Link to={`/app/routing?${nextParams.toString()}`}>Older decisions</Link>
          </InlineStack>
        ) : null}
      </BlockStack>
      <style dangerouslySetInnerHTML={{ __html: TABLE_CSS }} />
    </AdminPage>
  );
}

const TABLE_CSS = `
.nh-routing-table{overflow-x:auto}
.nh-routing-table table{width:100%;border-collapse:collapse;font-size:14px}
.nh-routing-table th,.nh-routing-table td{padding:12px;text-align:left;border-top:1px solid #e3e3e3;vertical-align:middle}
.nh-routing-table th{font-weight:600;background:#f7f7f7}
.nh-routing-table .nh-num{text-align:right;font-variant-numeric:tabular-nums}
`;

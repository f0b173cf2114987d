// One routing decision, explained to the merchant: where the order ships from and what each
// shipment costs (component by component), what was promised at checkout and whether it was kept,
// the alternatives and why each lost (cost difference, no stock, over capacity, disabled, broke the
// promise), nodes that could not ship at all, and the moves in Shopify with Shopify's own errors.
// Another shop's decision id is simply not found (404).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Card, InlineStack, Layout, List, Text } from "@shopify/polaris";
import { AdminPage } from "~/components/admin/AdminPage";
import { CostComparison } from "~/components/routing/CostComparison";
import { DECISION_STATUS_LABELS, DecisionStatusBadge } from "~/components/routing/DecisionStatusBadge";
import { LossList } from "~/components/routing/LossList";
import { PROMISE_WORDS, SERVICE_WORDS, lossLabel } from "~/components/routing/explain";
import { formatMinor } from "~/core/money/money";
import { formatDateTime, formatTimeWindow } from "~/core/format/format";
import { requireAdmin } from "~/services/auth.server";
import { getDecision } from "~/services/routing-admin.server";
import { notFound } from "~/components/admin/not-found";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.decision.orderName ?? "Decision"} · Routing · Nearhub` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop, conventions } = await requireAdmin(request);
  const id = params.id ?? "";
  const decision = id.length > 0 && id.length <= 64 ? await getDecision(shop.id, id) : null;
  if (!decision) notFound("routing decision");
  // When each shipment was promised to arrive, in the shop's time zone.
  const promised = decision.shipments.map((s) => promisedWords(s.promisedFrom, s.promisedBy, shop.timezone));
  // When Shopify is asked again about a waiting move, in the shop's zone.
  const nextAttempts = Object.fromEntries(decision.moves.filter((m) => m.nextAttemptAt).map((m) => [m.id, formatDateTime(m.nextAttemptAt!, conventions)]));
  return { decision, promised, decidedAt: formatDateTime(decision.createdAt, conventions), nextAttempts };
}

function promisedWords(from: string | null, by: string | null, timeZone: string): string | null {
  if (!from || !by) return null;
  return `Promised to arrive ${formatTimeWindow(Date.parse(from), Date.parse(by), { timeZone })}`;
}

const svc = (s: string) => SERVICE_WORDS[s] ?? s.toLowerCase();

export default function RoutingDecisionPage() {
  const { decision: d, promised, decidedAt, nextAttempts } = useLoaderData<typeof loader>();
  const money = (minor: number) => formatMinor(minor, d.currency);
  // A split rate names its nodes joined by "+" (core/quoting/serviceCode.ts): each is named.
  const nameOf = (handle: string) => handle.split("+").map((h) => d.nodeNames[h] ?? h).join(" and ");
  const chosenCost = d.totalCostMinor ?? d.shipments.reduce((a, s) => a + (s.cost?.totalMinor ?? 0), 0);
  const chosenLabel = d.shipments.map((s) => s.nodeName ?? s.nodeHandle).join(" + ");
  const status = DECISION_STATUS_LABELS[d.status];
  const comparison =
    d.shipments.length > 0
      ? [
          { label: `${chosenLabel} (chosen)`, costMinor: chosenCost, cost: money(chosenCost), note: "", chosen: true },
          ...d.alternatives.map((a) => ({
            label: a.nodes.map(nameOf).join(" + "),
            costMinor: a.costMinor,
            cost: money(a.costMinor),
            note: a.deltaMinor > 0 ? `(+${money(a.deltaMinor)})` : a.deltaMinor < 0 ? `(${money(-a.deltaMinor)} less, but ${a.lost.map((l) => lossLabel(l.code).label.toLowerCase()).join(", ") || "not chosen"})` : "(same cost)",
            chosen: false,
          })),
        ]
      : [];
  const orderLabel = d.orderName ?? d.orderGid.replace(/^gid:\/\/shopify\//, "");

  return (
    <AdminPage layout="data"
      title={`Routing of ${orderLabel}`}
      titleMetadata={<DecisionStatusBadge status={d.status} />}
      subtitle={`Decided ${decidedAt} · ${d.mode === "AUTO" ? "move automatically" : "suggest only"} · from ${d.source.toLowerCase()}`}
      backAction={{ content: "Routing log", url: "/app/routing" }}
    >
      <Layout>
        {d.problems.length > 0 ? (
          <Layout.Section>
            <Banner tone="warning" title="Part of this decision could not be read">
              <List>
                {d.problems.map((p) => (
                  <List.Item key={p}>{p}</List.Item>
                ))}
              </List>
            </Banner>
          </Layout.Section>
        ) : null}
        {d.lastError ? (
          <Layout.Section>
            <Banner tone="critical" title="Last error">
              <p>{d.lastError}</p>
            </Banner>
          </Layout.Section>
        ) : null}

        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Why {d.shipments.length ? `${chosenLabel}` : "no node"}
              </Text>
              {status ? (
                <Text as="p" tone="subdued">
                  {status.help}
                </Text>
              ) : null}
              {d.shipments.length > 0 ? (
                <Text as="p">
                  Total cost to you: <strong data-testid="decision-total">{money(chosenCost)}</strong>
                  {d.splitPenaltyMinor ? ` (of which ${money(d.splitPenaltyMinor)} split penalty)` : ""}. This is the landed cost: handling and
                  collection at the node, delivery, and the returns this order is expected to bring back.
                </Text>
              ) : null}
              {d.reasons.length > 0 ? (
                <List>
                  {d.reasons.map((r, i) => (
                    <List.Item key={i}>{r}</List.Item>
                  ))}
                </List>
              ) : (
                <Text as="p" tone="subdued">
                  No reasons were recorded for this decision.
                </Text>
              )}
              {d.method ? (
                <Text as="p" variant="bodySm" tone="subdued">
                  How it was decided: {d.method}
                </Text>
              ) : null}
            </BlockStack>
          </Card>
        </Layout.Section>

        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                The checkout promise
              </Text>
              {d.promise ? (
                <>
                  <Text as="p">
                    {d.promise.requested
                      ? `The shopper chose ${svc(d.promise.requested.service)} from ${nameOf(d.promise.requested.nodeHandle)}.`
                      : `The shopper did not choose a Nearhub rate: the order must ship ${svc(d.promise.service ?? "STANDARD")} or faster.`}{" "}
                    {d.promise.status ? (
                      <Badge tone={d.promise.status === "BROKEN" ? "critical" : d.promise.status === "KEPT" ? "success" : "attention"}>
                        {`Promise ${PROMISE_WORDS[d.promise.status] ?? d.promise.status.toLowerCase()}`}
                      </Badge>
                    ) : null}
                  </Text>
                  {d.promise.reasons.length ? (
                    <List>
                      {d.promise.reasons.map((r, i) => (
                        <List.Item key={i}>{r}</List.Item>
                      ))}
                    </List>
                  ) : null}
                </>
              ) : (
                <Text as="p" tone="subdued">
                  {d.serviceCode ? `Shipping code at checkout: ${d.serviceCode}.` : "No promise was recorded."}
                </Text>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>

        {d.shipments.map((s, i) => (
          <Layout.Section key={i}>
            <Card>
              <BlockStack gap="300">
                <InlineStack gap="200" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    {d.shipments.length > 1 ? `Shipment ${i + 1}: ` : "Ships from "}
                    {s.nodeName ?? s.nodeHandle}
                  </Text>
                  <Badge>{svc(s.service)}</Badge>
                  {s.keepsPromise === false ? <Badge tone="critical">slower than promised</Badge> : null}
                  {s.cost ? (
                    <Text as="span" fontWeight="bold">
                      {money(s.cost.totalMinor)}
                    </Text>
                  ) : null}
                </InlineStack>
                {promised[i] ? (
                  <Text as="p" tone="subdued">
                    {promised[i]}
                  </Text>
                ) : null}
                <div className="nh-explain-table">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">Item</th>
                        <th scope="col" className="nh-num">
                          Quantity
                        </th>
                        <th scope="col">From</th>
                      </tr>
                    </thead>
                    <tbody>
                      {s.lines.map((l, k) => (
                        <tr key={k}>
                          <td>{l.sku ?? l.productId ?? "item"}</td>
                          <td className="nh-num">{l.quantity}</td>
                          <td>{l.madeUnits ? `${l.madeUnits} made to order, ${l.quantity - l.madeUnits} from the shelf` : "shelf stock"}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                {s.cost?.components?.length ? (
                  <div className="nh-explain-table">
                    <table aria-label={`Cost of the shipment from ${s.nodeName ?? s.nodeHandle}`}>
                      <thead>
                        <tr>
                          <th scope="col">Cost</th>
                          <th scope="col">How it is worked out</th>
                          <th scope="col" className="nh-num">
                            Amount
                          </th>
                        </tr>
                      </thead>
                      <tbody>
                        {s.cost.components.map((c, k) => (
                          <tr key={k}>
                            <td>{c.label}</td>
                            <td>
                              <Text as="span" variant="bodySm" tone="subdued">
                                {c.detail ?? ""}
                              </Text>
                            </td>
                            <td className="nh-num">{money(c.amountMinor)}</td>
                          </tr>
                        ))}
                        <tr>
                          <td>
                            <strong>Landed cost</strong>
                          </td>
                          <td>
                            {s.cost.forwardMinor != null && s.cost.expectedReverseMinor != null ? (
                              <Text as="span" variant="bodySm" tone="subdued">
                                {`delivery ${money(s.cost.forwardMinor)} + expected returns ${money(s.cost.expectedReverseMinor)}`}
                              </Text>
                            ) : null}
                          </td>
                          <td className="nh-num">
                            <strong>{money(s.cost.totalMinor)}</strong>
                          </td>
                        </tr>
                      </tbody>
                    </table>
                  </div>
                ) : null}
              </BlockStack>
            </Card>
          </Layout.Section>
        ))}

        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Alternatives and why they lost
              </Text>
              {comparison.length > 1 ? <CostComparison title="Cost of the chosen node against the alternatives" options={comparison} /> : null}
              {d.alternatives.length === 0 ? (
                <Text as="p" tone="subdued">
                  {d.shipments.length ? "No other node could ship this order." : "No alternative could ship it either."}
                </Text>
              ) : (
                <div className="nh-explain-table">
                  <table data-testid="alternatives">
                    <thead>
                      <tr>
                        <th scope="col">Alternative</th>
                        <th scope="col" className="nh-num">
                          Cost
                        </th>
                        <th scope="col" className="nh-num">
                          Difference
                        </th>
                        <th scope="col">Why it lost</th>
                      </tr>
                    </thead>
                    <tbody>
                      {d.alternatives.map((a, i) => (
                        <tr key={i}>
                          <td>
                            {a.nodes.map((n, k) => `${nameOf(n)} (${svc(a.services[k] ?? "")})`).join(" + ")}
                          </td>
                          <td className="nh-num">{money(a.costMinor)}</td>
                          <td className="nh-num">{a.deltaMinor > 0 ? `+${money(a.deltaMinor)}` : a.deltaMinor < 0 ? `−${money(-a.deltaMinor)}` : "same"}</td>
                          <td>
                            <LossList reasons={a.lost} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              {d.excluded.length > 0 ? (
                <BlockStack gap="200">
                  <Text as="h3" variant="headingSm">
                    Nodes that could not ship it
                  </Text>
                  <div className="nh-explain-table">
                    <table data-testid="excluded">
                      <tbody>
                        {d.excluded.map((e) => (
                          <tr key={e.nodeHandle}>
                            <td>{nameOf(e.nodeHandle)}</td>
                            <td>
                              <LossList reasons={e.reasons} />
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </BlockStack>
              ) : null}
            </BlockStack>
          </Card>
        </Layout.Section>

        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Moves in Shopify
              </Text>
              {d.moves.length === 0 ? (
                <Text as="p" tone="subdued">
                  {d.mode === "AUTO" ? "Nothing needed moving, or the move has not started yet." : "Suggest only: Nearhub did not move anything. Switch to “Move automatically” in Settings to let it."}
                </Text>
              ) : (
                <div className="nh-explain-table">
                  <table data-testid="moves">
                    <thead>
                      <tr>
                        <th scope="col">Fulfillment order</th>
                        <th scope="col">From → to</th>
                        <th scope="col">Status</th>
                        <th scope="col">Shopify said</th>
                      </tr>
                    </thead>
                    <tbody>
                      {d.moves.map((m, i) => (
                        <tr key={m.id}>
                          {/* Shopify's ids are not words: the fulfillment order by its place in the order, locations by node name. */}
                          <td>{`${orderLabel}, fulfillment order ${i + 1}`}</td>
                          <td>
                            {(m.fromLocation && d.locationNames[m.fromLocation]) || "a Shopify location with no node"} →{" "}
                            {d.locationNames[m.toLocation] ?? "a Shopify location with no node"}
                          </td>
                          <td>
                            <Badge tone={m.status === "DONE" ? "success" : m.status === "FAILED" ? "critical" : m.status === "PROPOSED" ? "info" : "attention"}>
                              {m.status === "DONE" ? "Moved" : m.status === "FAILED" ? "Refused" : m.status === "PROPOSED" ? "Proposed (suggest only)" : "Pending"}
                            </Badge>
                            <Text as="span" variant="bodySm" tone="subdued">
                              {` ${m.attempts} attempt${m.attempts === 1 ? "" : "s"}`}
                              {m.nextAttemptAt && m.status !== "DONE" ? `, next ${nextAttempts[m.id]}` : ""}
                            </Text>
                          </td>
                          <td>
                            {m.userErrors.length === 0 ? (
                              <Text as="span" tone="subdued">
                                {m.status === "DONE" ? "moved" : "—"}
                              </Text>
                            ) : (
                              <BlockStack gap="100">
                                {m.userErrors.map((e, k) => (
                                  <Text as="span" key={k} tone="critical">
                                    {e.message}
                                    {e.field ? ` (${e.field})` : ""}
                                  </Text>
                                ))}
                              </BlockStack>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Box paddingBlockEnd="800">
            <Link to="/app/routing">Back to the routing log</Link>
          </Box>
        </Layout.Section>
      </Layout>
      <style dangerouslySetInnerHTML={{ __html: TABLE_CSS }} />
    </AdminPage>
  );
}

const TABLE_CSS = `
.nh-explain-table{overflow-x:auto}
.nh-explain-table table{width:100%;border-collapse:collapse;font-size:14px}
.nh-explain-table th,.nh-explain-table td{padding:8px 12px;text-align:left;border-top:1px solid #e3e3e3;vertical-align:top}
.nh-explain-table th{font-weight:600;background:#f7f7f7}
.nh-explain-table .nh-num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
`;

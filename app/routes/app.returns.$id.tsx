// One return, and its inspection screen for hub staff on a tablet: the returned lines, a grade
// from A to D, what happens to the item (restock at this hub, refurbish, dispose), a note, and the
// history of every change. Submitting inspects the line and carries out the disposition through
// the returns use cases. Photos: the app stores no files (stateless servers, no blob store), so
// the inspector describes what they see in the note instead.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { randomUUID } from "node:crypto";
import { useState } from "react";
import { Banner, BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import { AdminPage } from "~/components/admin/AdminPage";
import { z } from "zod";
import { CountdownText, StatusBadge } from "~/components/returns/StatusBadge";
import { formatMinor } from "~/core/money/money";
import { DISPOSITIONS, GRADE_LABELS, GRADES, inspectionProblem, RETURN_STATUS_LABELS, type Disposition, type Grade } from "~/core/returns";
import { ITEM_CONDITION_LABELS, RETURN_REASON_LABELS, type ItemCondition, type ReturnReason } from "~/core/returns/types";
import { formatDateTime } from "~/core/format/format";
import { requireAdmin } from "~/services/auth.server";
import {
  approveFromAdmin,
  getReturnDetail,
  inspectFromAdmin,
  receiveFromAdmin,
  ReturnNotFoundError,
  type ChangeResult,
} from "~/services/returns-admin.server";
import { notFound } from "~/components/admin/not-found";

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [
  { title: `${loaded?.detail.orderName ? `Return for ${loaded.detail.orderName}` : "Return"} · Nearhub` },
];

async function load(shopId: string, id: string | undefined) {
  try {
    return await getReturnDetail(shopId, id ?? "", Date.now());
  } catch (error) {
    if (error instanceof ReturnNotFoundError) notFound("return");
    throw error;
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop, conventions } = await requireAdmin(request);
  const detail = await load(shop.id, params.id);
  // Times in the shop's zone, labelled: the page and its history read alike.
  const times = { requestedAt: formatDateTime(detail.requestedAt, conventions), events: detail.events.map((e) => formatDateTime(e.at, conventions)) };
  return { detail, requestedAt: times.requestedAt, eventTimes: times.events, requestId: randomUUID() };
}

/** The inspection form: the same rules as the core's INSPECT event (grade D cannot be restocked). */
export const inspectFormSchema = z
  .object({
    lineId: z.string().min(1, "Choose the line you inspected"),
    grade: z.enum(GRADES, { error: "Choose a grade from A to D" }),
    disposition: z.enum(DISPOSITIONS, { error: "Choose what happens to the item" }),
    note: z
      .string()
      .trim()
      .max(1000, "At most 1000 characters")
      .transform((v) => v || null),
    requestId: z.string().min(8).max(100),
  })
  .superRefine((v, ctx) => {
    const problem = inspectionProblem(v.grade, v.disposition);
    if (problem) ctx.addIssue({ code: "custom", path: ["disposition"], message: problem.charAt(0).toUpperCase() + problem.slice(1) });
  });

const simpleSchema = z.object({ intent: z.enum(["approve", "receive"]), requestId: z.string().min(8).max(100) });

type ActionResult = { errors: Record<string, string>; result: ChangeResult | null; lineId: string | null };

export async function action({ request, params }: ActionFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const detail = await load(shop.id, params.id);
  const form = await request.formData();
  const intent = form.get("intent");
  const now = Date.now();
  if (intent === "inspect") {
    const parsed = inspectFormSchema.safeParse({
      lineId: form.get("lineId") ?? "",
      grade: form.get("grade") ?? undefined,
      disposition: form.get("disposition") ?? undefined,
      note: form.get("note") ?? "",
      requestId: form.get("requestId") ?? "",
    });
    const lineId = typeof form.get("lineId") === "string" ? String(form.get("lineId")) : null;
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
      return data<ActionResult>({ errors, result: null, lineId }, { status: 400 });
    }
    const v = parsed.data;
    if (!detail.lines.some((l) => l.id === v.lineId)) {
      return data<ActionResult>({ errors: { lineId: "That line is not part of this return" }, result: null, lineId }, { status: 400 });
    }
    const result = await inspectFromAdmin(shop.id, detail.id, v, `admin:${v.requestId}:inspect:${v.lineId}`, now);
    return data<ActionResult>({ errors: result.ok ? {} : { form: result.message }, result, lineId }, { status: result.ok ? 200 : 409 });
  }
  const parsed = simpleSchema.safeParse({ intent, requestId: form.get("requestId") });
  if (!parsed.success) return data<ActionResult>({ errors: { form: "Unknown action" }, result: null, lineId: null }, { status: 400 });
  const key = `admin:${parsed.data.requestId}:${parsed.data.intent}:${detail.id}`;
  const result = parsed.data.intent === "approve" ? await approveFromAdmin(shop.id, detail.id, key, now) : await receiveFromAdmin(shop.id, detail.id, key, now);
  return data<ActionResult>({ errors: result.ok ? {} : { form: result.message }, result, lineId: null }, { status: result.ok ? 200 : 409 });
}

const DISPOSITION_LABELS: Record<Disposition, string> = {
  RESTOCK: "Restock at this hub",
  REFURBISH: "Send to refurbishment",
  DISPOSE: "Dispose of it",
};
const DISPOSITION_HELP: Record<Disposition, string> = {
  RESTOCK: "Back on the shelf here and on sale again",
  REFURBISH: "Needs cleaning or repair before resale",
  DISPOSE: "Recycle or discard; not resellable",
};

const label = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export default function ReturnDetailPage() {
  const { detail, requestedAt, eventTimes, requestId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const received = detail.lines.filter((l) => l.status === "received");
  const title = detail.orderName ? `Return for ${detail.orderName}` : `Return ${detail.id.slice(-6)}`;
  const reasons = decisionReasons(detail.decision);

  return (
    <AdminPage layout="data" title={title} titleMetadata={<StatusBadge status={detail.status} />} backAction={{ content: "Returns", url: "/app/returns" }}>
      <BlockStack gap="400">
        {actionData?.result?.ok ? <Banner tone="success" title={actionData.result.message} /> : null}
        {actionData?.errors.form ? (
          <Banner tone="critical" title="That change was refused">
            <p>{actionData.errors.form}</p>
          </Banner>
        ) : null}

        <Card>
          <div className="nh-facts">
            <Fact label="Destination hub" value={detail.hubName ?? "not chosen yet"} />
            <Fact label="Inspection" value={<CountdownText countdown={detail.countdown} />} />
            <Fact label="Requested" value={requestedAt} />
            <Fact label="Refunded" value={formatMinor(detail.refundedMinor, detail.currency)} />
            <Fact label="Return leg cost" value={formatMinor(detail.reverseCostMinor, detail.currency)} />
            <Fact label="Recovered by resale" value={formatMinor(detail.recoveredMinor, detail.currency)} />
          </div>
          {detail.status === "requested" || detail.status === "approved" || detail.status === "in_transit" ? (
            <Form method="post">
              <input type="hidden" name="requestId" value={requestId} />
              <InlineStack gap="300">
                {detail.status === "requested" ? (
                  <button className="nh-touch" type="submit" name="intent" value="approve" disabled={busy}>
                    Approve
                  </button>
                ) : (
                  <button className="nh-touch" type="submit" name="intent" value="receive" disabled={busy}>
                    Mark received at {detail.hubName ?? "its hub"}
                  </button>
                )}
              </InlineStack>
            </Form>
          ) : null}
        </Card>

        <div className="nh-inspect-grid">
          <BlockStack gap="400">
            {detail.lines.map((line) => (
              <Card key={line.id}>
                <BlockStack gap="300">
                  <InlineStack align="space-between" blockAlign="center">
                    <Text as="h2" variant="headingMd">
                      {line.title ?? line.sku ?? "Item"} {line.quantity > 1 ? `× ${line.quantity}` : ""}
                    </Text>
                    <StatusBadge status={line.status} />
                  </InlineStack>
                  <Text as="p" tone="subdued">
                    SKU {line.sku ?? "unknown"} · paid {formatMinor(line.valueMinor, detail.currency)} each · reason:{" "}
                    {line.reason ? (RETURN_REASON_LABELS[line.reason as ReturnReason] ?? line.reason) : "not given"} · customer says:{" "}
                    {line.condition ? (ITEM_CONDITION_LABELS[line.condition as ItemCondition] ?? line.condition) : "nothing"}
                  </Text>
                  {line.grade ? (
                    <Text as="p">
                      Inspected: grade {GRADE_LABELS[line.grade as Grade] ?? line.grade}; {line.disposition ? DISPOSITION_LABELS[line.disposition as Disposition]?.toLowerCase() : ""}
                      {line.hubName ? ` (${line.hubName})` : ""}
                    </Text>
                  ) : null}
                  {line.stockAtHub !== null ? (
                    <Text as="p" tone="subdued">
                      <span data-testid="stock-at-hub">
                        {line.hubName ?? "Its hub"} now holds {line.stockAtHub} of {line.sku ?? "this item"}
                      </span>
                    </Text>
                  ) : null}
                  {line.status === "received" ? (
                    <InspectionForm
                      lineId={line.id}
                      hubName={line.hubName ?? detail.hubName}
                      requestId={requestId}
                      errors={actionData?.lineId === line.id ? actionData.errors : {}}
                      busy={busy}
                    />
                  ) : null}
                </BlockStack>
              </Card>
            ))}
            {received.length === 0 && detail.lines.some((l) => l.status === "requested" || l.status === "approved" || l.status === "in_transit") ? (
              <Text as="p" tone="subdued">
                Inspection opens once the item is received at its hub.
              </Text>
            ) : null}
          </BlockStack>

          <BlockStack gap="400">
            {reasons.length > 0 ? (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    Why this hub
                  </Text>
                  {reasons.map((r, i) => (
                    <Text as="p" key={i}>
                      {r}
                    </Text>
                  ))}
                </BlockStack>
              </Card>
            ) : null}
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  History
                </Text>
                {detail.events.length === 0 ? (
                  <Text as="p" tone="subdued">
                    No changes recorded yet.
                  </Text>
                ) : (
                  <ol className="nh-history">
                    {detail.events.map((e, i) => (
                      <li key={e.id}>
                        <time dateTime={e.at}>{eventTimes[i]}</time>
                        <span>
                          {label(e.type.toLowerCase())}
                          {e.fromStatus && e.toStatus ? `: ${RETURN_STATUS_LABELS[statusOf(e.fromStatus)]} → ${RETURN_STATUS_LABELS[statusOf(e.toStatus)]}` : ""}
                          {e.lineId && detail.lines.length > 1 ? ` (${detail.lines.find((l) => l.id === e.lineId)?.sku ?? "line"})` : ""}
                        </span>
                        {e.note ? <em>“{e.note}”</em> : null}
                      </li>
                    ))}
                  </ol>
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </div>
      </BlockStack>
      <style dangerouslySetInnerHTML={{ __html: DETAIL_CSS }} />
    </AdminPage>
  );
}

function statusOf(s: string) {
  const lower = s.toLowerCase() as keyof typeof RETURN_STATUS_LABELS;
  return lower in RETURN_STATUS_LABELS ? lower : "requested";
}

function Fact({ label: l, value }: { label: string; value: React.ReactNode }) {
  return (
    <div>
      <Text as="p" variant="bodySm" tone="subdued">
        {l}
      </Text>
      <Text as="p" fontWeight="semibold">
        {value}
      </Text>
    </div>
  );
}

/** Reasons stored with the decision, wherever the planner put them (return or line level). */
function decisionReasons(decision: unknown): string[] {
  const out: string[] = [];
  const visit = (v: unknown, depth: number) => {
    if (depth > 4 || v === null || typeof v !== "object") return;
    if (Array.isArray(v)) {
      v.forEach((x) => visit(x, depth + 1));
      return;
    }
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.reasons)) for (const r of o.reasons) if (typeof r === "string" && !out.includes(r)) out.push(r);
    for (const [k, x] of Object.entries(o)) if (k !== "reasons" && k !== "considered" && k !== "trace") visit(x, depth + 1);
  };
  visit(decision, 0);
  return out.slice(0, 8);
}

function InspectionForm({
  lineId,
  hubName,
  requestId,
  errors,
  busy,
}: {
  lineId: string;
  hubName: string | null;
  requestId: string;
  errors: Record<string, string>;
  busy: boolean;
}) {
  const [grade, setGrade] = useState<Grade | "">("");
  const [disposition, setDisposition] = useState<Disposition | "">("");
  const problem = grade && disposition ? inspectionProblem(grade, disposition) : null;
  return (
    <Form method="post" className="nh-inspect" aria-label="Inspection">
      <input type="hidden" name="intent" value="inspect" />
      <input type="hidden" name="lineId" value={lineId} />
      <input type="hidden" name="requestId" value={requestId} />
      <fieldset aria-describedby={errors.grade ? `${lineId}-grade-error` : undefined}>
        <legend>Grade</legend>
        <div className="nh-tiles nh-tiles-4">
          {GRADES.map((g) => (
            <label key={g} className={grade === g ? "nh-tile nh-on" : "nh-tile"}>
              <input type="radio" name="grade" value={g} checked={grade === g} onChange={() => setGrade(g)} />
              <strong>{g}</strong>
              <span>{GRADE_LABELS[g].replace(/^[A-D]: /, "")}</span>
            </label>
          ))}
        </div>
        {errors.grade ? (
          <p className="nh-error" id={`${lineId}-grade-error`}>
            {errors.grade}
          </p>
        ) : null}
      </fieldset>
      <fieldset aria-describedby={errors.disposition || problem ? `${lineId}-disposition-error` : undefined}>
        <legend>What happens to it</legend>
        <div className="nh-tiles nh-tiles-3">
          {DISPOSITIONS.map((d) => (
            <label key={d} className={disposition === d ? "nh-tile nh-on" : "nh-tile"}>
              <input type="radio" name="disposition" value={d} checked={disposition === d} onChange={() => setDisposition(d)} />
              <strong>{d === "RESTOCK" && hubName ? `Restock at ${hubName}` : DISPOSITION_LABELS[d]}</strong>
              <span>{DISPOSITION_HELP[d]}</span>
            </label>
          ))}
        </div>
        {errors.disposition || problem ? (
          <p className="nh-error" id={`${lineId}-disposition-error`}>
            {errors.disposition ?? label(problem ?? "")}
          </p>
        ) : null}
      </fieldset>
      <label className="nh-note">
        <span>Note (what you saw: damage, missing parts, photos taken elsewhere)</span>
        <textarea name="note" rows={3} maxLength={1000} aria-invalid={errors.note ? true : undefined} />
        {errors.note ? <span className="nh-error">{errors.note}</span> : null}
      </label>
      <button className="nh-touch nh-primary" type="submit" disabled={busy}>
        Save inspection
      </button>
    </Form>
  );
}

const DETAIL_CSS = `
.nh-facts{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:16px;margin-bottom:12px}
.nh-inspect-grid{display:grid;grid-template-columns:minmax(0,2fr) minmax(0,1fr);gap:16px;align-items:start}
@media (max-width:1024px){.nh-inspect-grid{grid-template-columns:1fr}.nh-facts{grid-template-columns:repeat(2,minmax(0,1fr))}}
.nh-inspect{display:flex;flex-direction:column;gap:16px}
.nh-inspect fieldset{border:0;margin:0;padding:0}
.nh-inspect legend{font-weight:600;font-size:16px;margin-bottom:8px}
.nh-tiles{display:grid;gap:12px}
.nh-tiles-4{grid-template-columns:repeat(4,minmax(0,1fr))}
.nh-tiles-3{grid-template-columns:repeat(3,minmax(0,1fr))}
@media (max-width:600px){.nh-tiles-4,.nh-tiles-3{grid-template-columns:1fr 1fr}}
.nh-tile{display:flex;flex-direction:column;gap:4px;min-height:72px;padding:12px 14px;border:2px solid #c9c9c9;border-radius:12px;cursor:pointer;background:#fff;font-size:14px}
.nh-tile strong{font-size:18px}
.nh-tile input{position:absolute;opacity:0;width:1px;height:1px}
.nh-tile.nh-on{border-color:#005bd3;background:#eaf4ff}
.nh-tile:focus-within{outline:3px solid #005bd3;outline-offset:2px}
.nh-note{display:flex;flex-direction:column;gap:6px;font-weight:600}
.nh-note textarea{font:inherit;font-weight:400;padding:10px;border:1px solid #8a8a8a;border-radius:8px;min-height:88px}
.nh-touch{min-height:48px;padding:0 20px;border-radius:10px;border:1px solid #8a8a8a;background:#fff;font-size:16px;font-weight:600;cursor:pointer}
.nh-touch.nh-primary{background:#303030;color:#fff;border-color:#303030}
.nh-touch:disabled{opacity:.5}
.nh-error{color:#c70a24;font-weight:600;margin:6px 0 0}
.nh-history{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:10px}
.nh-history li{display:flex;flex-direction:column;gap:2px;border-left:3px solid #e3e3e3;padding-left:10px}
.nh-history time{font-size:12px;color:#616161}
`;

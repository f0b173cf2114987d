// Compliance: the shop's licences and permits in one place (issue 14 item 7). What is due and
// overdue, what is out of service right now and why (the gate's own sentence), a timeline of
// expiries per node, the renewal flow ("Renewed": new dates, a document, the task done), the renewal
// tasks' checklists, and the permits the node's jurisdiction usually asks for, to accept or dismiss.
// Statuses are derived from the dates (core/permits), never typed.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineGrid, InlineStack, Layout, Select, Text } from "@shopify/polaris";
import { AdminPage } from "~/components/admin/AdminPage";
import { FormTextField } from "~/components/admin/FormTextField";
import { StatCards } from "~/components/admin/StatCards";
import { StaleConfigError } from "~/services/config-version.server";
import { formatMoney } from "~/core/format/format";
import { requireAdmin } from "~/services/auth.server";
import {
  acceptProposal,
  complianceView,
  dismissProposal,
  reminderSettings,
  reminderSettingsSchema,
  renewPermit,
  saveReminderSettings,
  tickTaskStep,
  type ComplianceView,
  type PermitRow,
} from "~/services/permits/admin.server";
import { fieldErrors } from "~/core/validation/issues";
import { createPermit, PermitInputError, PermitNotFoundError, updatePermit } from "~/services/permits/repository.server";

export const meta: MetaFunction = () => [{ title: "Compliance · Nearhub" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const uploaded = new URL(request.url).searchParams.get("uploaded") === "1";
  const [view, reminders] = await Promise.all([complianceView(shop.id, Date.now()), reminderSettings(shop.id)]);
  return { view, reminders, uploaded };
}

type ActionResult = { ok: true; message: string; target: string } | { ok: false; target: string; field: string; message: string };

const text = (form: FormData, key: string) => String(form.get(key) ?? "").trim();
const optional = (form: FormData, key: string) => text(form, key) || null;
const count = (form: FormData, key: string, fallback: number) => (text(form, key) === "" ? fallback : Number(text(form, key)));

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const form = await request.formData();
  const intent = text(form, "intent");
  const id = text(form, "id");
  const target = id || intent;
  const version = Number(text(form, "version"));
  const done = (message: string) => data<ActionResult>({ ok: true, message, target });
  try {
    switch (intent) {
      case "create": {
        const [subjectType, ...rest] = text(form, "subject").split(":");
        const p = await createPermit(shop.id, {
          subjectType: subjectType || undefined,
          subjectId: rest.join(":"),
          kind: text(form, "kind"),
          title: optional(form, "title"),
          jurisdiction: text(form, "jurisdiction"),
          number: optional(form, "number"),
          issuer: optional(form, "issuer"),
          issuedOn: text(form, "issuedOn"),
          expiresOn: optional(form, "expiresOn"),
          recurrence: text(form, "recurrence"),
          graceDays: count(form, "graceDays", 0),
          leadDays: count(form, "leadDays", 60),
          owner: optional(form, "owner"),
          ownerEmail: optional(form, "ownerEmail"),
          gates: form.getAll("gates").map(String),
        });
        return done(`Added: ${p.title ?? p.kind.toLowerCase()} is now tracked.`);
      }
      case "renew":
        await renewPermit(shop.id, id, { issuedOn: text(form, "issuedOn"), expiresOn: optional(form, "expiresOn") }, version);
        return done("Renewed: the new dates are saved, its renewal task is done and whatever it gated is back in service.");
      case "suspend":
        await updatePermit(shop.id, id, { suspended: true, suspendedReason: optional(form, "suspendedReason") }, version);
        return done("Suspended: what it gates is out of service until you lift the suspension.");
      case "unsuspend":
        await updatePermit(shop.id, id, { suspended: false, suspendedReason: null }, version);
        return done("The suspension is lifted.");
      case "edit":
        await updatePermit(
          shop.id,
          id,
          { number: optional(form, "number"), issuer: optional(form, "issuer"), owner: optional(form, "owner"), ownerEmail: optional(form, "ownerEmail"), graceDays: count(form, "graceDays", 0), leadDays: count(form, "leadDays", 60) },
          version,
        );
        return done("Saved.");
      case "reminders": {
        const parsed = reminderSettingsSchema.safeParse({ reminderEmail: text(form, "reminderEmail"), reminderWebhookUrl: text(form, "reminderWebhookUrl") });
        if (!parsed.success) {
          const [field, message] = Object.entries(fieldErrors(parsed.error))[0];
          return data<ActionResult>({ ok: false, target: "reminders", field, message }, { status: 400 });
        }
        await saveReminderSettings(shop.id, parsed.data);
        return data<ActionResult>({ ok: true, message: "Saved: reminders go there from the next one on.", target: "reminders" });
      }
      case "tick":
        await tickTaskStep(shop.id, text(form, "taskId"), Number(text(form, "step")), text(form, "done") === "1");
        return done("Checklist updated.");
      case "accept": {
        const [type, subjectId] = text(form, "subject").split(":");
        await acceptProposal(shop.id, { type: type === "CORRIDOR" ? "CORRIDOR" : "NODE", id: subjectId }, text(form, "templateId"), text(form, "issuedOn"), {
          number: optional(form, "number"),
          ...(text(form, "expiresOn") ? { expiresOn: text(form, "expiresOn") } : {}),
        });
        return data<ActionResult>({ ok: true, message: "Accepted: the permit is now tracked with its renewal dates.", target: `${text(form, "subject")}:${text(form, "templateId")}` });
      }
      case "dismiss": {
        const [type, subjectId] = text(form, "subject").split(":");
        await dismissProposal(shop.id, { type: type === "CORRIDOR" ? "CORRIDOR" : "NODE", id: subjectId }, text(form, "templateId"));
        return data<ActionResult>({ ok: true, message: "Dismissed: it will not be proposed again for this place.", target: `${text(form, "subject")}:${text(form, "templateId")}` });
      }
      default:
        return data<ActionResult>({ ok: false, target, field: "intent", message: "Unknown action: reload the page." }, { status: 400 });
    }
  } catch (error) {
    const key = intent === "accept" || intent === "dismiss" ? `${text(form, "subject")}:${text(form, "templateId")}` : target;
    if (error instanceof PermitInputError) return data<ActionResult>({ ok: false, target: key, field: error.field, message: error.message.replace(/^[\w.]+: /, "") }, { status: 400 });
    if (error instanceof StaleConfigError) return data<ActionResult>({ ok: false, target: key, field: "version", message: error.message }, { status: 409 });
    if (error instanceof PermitNotFoundError) return data<ActionResult>({ ok: false, target: key, field: "id", message: "That permit no longer exists: reload the page." }, { status: 404 });
    if (error instanceof Error && intent === "tick") return data<ActionResult>({ ok: false, target: key, field: "step", message: error.message }, { status: 400 });
    throw error;
  }
}

const TONE: Record<PermitRow["statusTone"], "success" | "attention" | "warning" | "critical"> = { success: "success", attention: "attention", warning: "warning", critical: "critical" };
const MARK_COLOUR: Record<string, string> = { VALID: "#29845a", RENEWAL_DUE: "#b28400", IN_GRACE: "#e86c00", LAPSED: "#c70a24", SUSPENDED: "#c70a24" };

/** Expiries over the next 12 months, one row per node, corridor or seller, marks coloured by status. */
function Timeline({ view }: { view: ComplianceView }) {
  const rows = view.timeline;
  if (rows.length === 0) {
    return (
      <Text as="p" tone="subdued">
        No permit expires in the next 12 months.
      </Text>
    );
  }
  const width = 900;
  const label = 200;
  const rowH = 34;
  const top = 26;
  const span = view.timelineTo - view.timelineFrom;
  const x = (at: number) => label + ((at - view.timelineFrom) / span) * (width - label - 16);
  const months: { at: number; name: string }[] = [];
  const start = new Date(view.timelineFrom);
  for (let i = 1; i <= 13; i++) {
    const at = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + i, 1);
    if (at > view.timelineTo) break;
    months.push({ at, name: new Date(at).toLocaleString("en-US", { month: "short", timeZone: "UTC" }) });
  }
  const now = Date.parse(`${view.today}T12:00:00Z`);
  const height = top + rows.length * rowH + 22;
  const summary = rows.map((r) => `${r.subject}: ${r.marks.map((m) => m.words).join("; ")}`).join(". ");
  return (
    <div style={{ overflowX: "auto" }}>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" style={{ minWidth: 560 }} role="img" aria-label={`Permit expiries over the next 12 months. ${summary}`}>
        {months.map((m) => (
          <g key={m.at}>
            <line x1={x(m.at)} x2={x(m.at)} y1={top - 6} y2={height - 16} stroke="#e3e3e3" />
            <text x={x(m.at) + 3} y={14} fontSize={11} fill="#616161">
              {m.name}
            </text>
          </g>
        ))}
        <line x1={x(now)} x2={x(now)} y1={top - 6} y2={height - 16} stroke="#303030" strokeDasharray="3 3" />
        <text x={x(now)} y={height - 4} fontSize={10} fill="#303030" textAnchor="middle">
          today
        </text>
        {rows.map((r, i) => {
          const y = top + i * rowH + rowH / 2;
          return (
            <g key={r.subject}>
              <text x={0} y={y + 4} fontSize={12} fill="#303030">
                {r.subject.length > 28 ? `${r.subject.slice(0, 27)}…` : r.subject}
              </text>
              <line x1={label} x2={width - 16} y1={y} y2={y} stroke="#ebebeb" strokeWidth={6} strokeLinecap="round" />
              {r.marks.map((m) => (
                <circle key={m.permitId} cx={x(m.at)} cy={y} r={7} fill={MARK_COLOUR[m.status]} stroke="#fff" strokeWidth={2}>
                  <title>{m.words}</title>
                </circle>
              ))}
            </g>
          );
        })}
      </svg>
      <InlineStack gap="300">
        {[
          ["VALID", "In force"],
          ["RENEWAL_DUE", "Renewal due"],
          ["IN_GRACE", "In grace period"],
          ["LAPSED", "Lapsed or suspended"],
        ].map(([status, words]) => (
          <InlineStack key={status} gap="100" blockAlign="center">
            <span aria-hidden style={{ display: "inline-block", width: 10, height: 10, borderRadius: 5, background: MARK_COLOUR[status] }} />
            <Text as="span" variant="bodySm" tone="subdued">
              {words}
            </Text>
          </InlineStack>
        ))}
      </InlineStack>
    </div>
  );
}

const errorFor = (result: ActionResult | undefined, target: string, field: string) => (result && !result.ok && result.target === target && result.field === field ? result.message : undefined);
const otherError = (result: ActionResult | undefined, target: string, fields: string[]) => (result && !result.ok && result.target === target && !fields.includes(result.field) ? result.message : undefined);

function DocumentUpload({ permitId }: { permitId: string }) {
  const upload = useFetcher<{ error?: string }>();
  return (
    <upload.Form method="post" action={`/app/permits/${permitId}/documents`} encType="multipart/form-data">
      <InlineStack gap="200" blockAlign="center">
        <label>
          <Text as="span" variant="bodySm">
            Attach a document (PDF or image, up to 10 MB){" "}
          </Text>
          <input type="file" name="file" accept="application/pdf,image/png,image/jpeg,image/webp" />
        </label>
        <Button submit size="slim" loading={upload.state !== "idle"}>
          Attach
        </Button>
      </InlineStack>
      {upload.data?.error ? (
        <Text as="p" tone="critical">
          {upload.data.error.replace(/^file: /, "")}
        </Text>
      ) : null}
    </upload.Form>
  );
}

function PermitCard({ p, result, busy }: { p: PermitRow; result: ActionResult | undefined; busy: boolean }) {
  const [renewing, setRenewing] = useState(false);
  const [editing, setEditing] = useState(false);
  const ok = result?.ok && result.target === p.id ? result.message : undefined;
  const failure = otherError(result, p.id, ["issuedOn", "expiresOn", "number", "issuer", "owner", "ownerEmail", "graceDays", "leadDays"]);
  return (
    <div data-permit={`${p.subject.name} · ${p.name}`}>
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="start" gap="200">
          <BlockStack gap="100">
            <InlineStack gap="200" blockAlign="center">
              <Text as="h3" variant="headingSm">
                {p.name}
              </Text>
              <Badge tone={TONE[p.statusTone]}>{p.statusTitle}</Badge>
            </InlineStack>
            <Text as="p" tone="subdued">
              {p.subject.href ? <Link to={p.subject.href}>{p.subject.name}</Link> : p.subject.name} · {p.jurisdiction}
              {p.number ? ` · No. ${p.number}` : ""}
              {p.issuer ? ` · ${p.issuer}` : ""}
            </Text>
          </BlockStack>
          <BlockStack gap="050" inlineAlign="end">
            <Text as="p">Expires {p.expiresWords}</Text>
            <Text as="p" variant="bodySm" tone="subdued">
              {p.when}
            </Text>
          </BlockStack>
        </InlineStack>
        {p.gatingNow ? (
          <Banner tone="critical" title="Out of service because of this permit">
            <p>{p.gatingNow}.</p>
          </Banner>
        ) : null}
        <Text as="p" variant="bodySm" tone="subdued">
          {p.recurrence}; issued {p.issuedWords}; grace {p.graceDays === 1 ? "1 day" : `${p.graceDays} days`}; renewal opens {p.leadDays} days ahead.{" "}
          {p.gates.length ? `When it lapses: ${p.gates.join(", ").toLowerCase()}.` : "It gates nothing: reminders only."}
          {p.owner ? ` Owner: ${p.owner}.` : ""}
        </Text>
        {p.task ? (
          <Box background="bg-surface-secondary" padding="300" borderRadius="200">
            <BlockStack gap="100">
              <Text as="h4" variant="headingXs">
                Renewal task{p.task.owner ? ` · ${p.task.owner}` : ""}
              </Text>
              {p.task.checklist.map((step, i) => (
                <Form method="post" key={i} preventScrollReset>
                  <input type="hidden" name="intent" value="tick" />
                  <input type="hidden" name="id" value={p.id} />
                  <input type="hidden" name="taskId" value={p.task!.id} />
                  <input type="hidden" name="step" value={i} />
                  <input type="hidden" name="done" value={step.done ? "0" : "1"} />
                  <InlineStack gap="200" blockAlign="center">
                    <Text as="span" tone={step.done ? "success" : undefined}>
                      {step.done ? "✓" : "○"} {step.text}
                    </Text>
                    <Button submit size="micro" variant="plain" disabled={busy} accessibilityLabel={`${step.done ? "Undo" : "Mark done"}: ${step.text}`}>
                      {step.done ? "Undo" : "Mark done"}
                    </Button>
                  </InlineStack>
                </Form>
              ))}
            </BlockStack>
          </Box>
        ) : null}
        {p.documents.length ? (
          <InlineStack gap="200">
            {p.documents.map((d) => (
              <a key={d.id} href={`/app/permits/documents/${d.id}`}>
                {d.fileName} ({Math.max(1, Math.round(d.sizeBytes / 1024))} KB)
              </a>
            ))}
          </InlineStack>
        ) : null}
        {ok ? <Banner tone="success">{ok}</Banner> : null}
        {failure ? <Banner tone="critical">{failure}</Banner> : null}
        {renewing ? (
          <BlockStack gap="200">
            <Form method="post" preventScrollReset>
              <input type="hidden" name="intent" value="renew" />
              <input type="hidden" name="id" value={p.id} />
              <input type="hidden" name="version" value={p.version} />
              <BlockStack gap="200">
                <InlineGrid columns={{ xs: 1, sm: 2 }} gap="200">
                  <FormTextField label="Issued on" type="date" name="issuedOn" autoComplete="off" defaultValue="" error={errorFor(result, p.id, "issuedOn")} />
                  <FormTextField label="Expires on" type="date" name="expiresOn" autoComplete="off" helpText="Leave empty if it is renewed on notice" error={errorFor(result, p.id, "expiresOn")} />
                </InlineGrid>
                <InlineStack gap="200">
                  <Button submit variant="primary" loading={busy}>
                    Renewed
                  </Button>
                  <Button onClick={() => setRenewing(false)}>Cancel</Button>
                </InlineStack>
              </BlockStack>
            </Form>
            <DocumentUpload permitId={p.id} />
          </BlockStack>
        ) : null}
        {editing ? (
          <Form method="post" preventScrollReset>
            <input type="hidden" name="intent" value="edit" />
            <input type="hidden" name="id" value={p.id} />
            <input type="hidden" name="version" value={p.version} />
            <BlockStack gap="200">
              <InlineGrid columns={{ xs: 1, sm: 3 }} gap="200">
                <FormTextField label="Number" name="number" autoComplete="off" defaultValue={p.fields.number ?? ""} error={errorFor(result, p.id, "number")} />
                <FormTextField label="Issuer" name="issuer" autoComplete="off" defaultValue={p.fields.issuer ?? ""} error={errorFor(result, p.id, "issuer")} />
                <FormTextField label="Owner" name="owner" autoComplete="off" defaultValue={p.fields.owner ?? ""} error={errorFor(result, p.id, "owner")} />
                <FormTextField label="Owner's email (gets the reminders)" type="email" name="ownerEmail" autoComplete="off" defaultValue={p.fields.ownerEmail ?? ""} error={errorFor(result, p.id, "ownerEmail")} />
                <FormTextField label="Grace period (days)" type="number" name="graceDays" autoComplete="off" defaultValue={String(p.graceDays)} error={errorFor(result, p.id, "graceDays")} />
                <FormTextField label="Renewal opens (days before expiry)" type="number" name="leadDays" autoComplete="off" defaultValue={String(p.leadDays)} error={errorFor(result, p.id, "leadDays")} />
              </InlineGrid>
              <InlineStack gap="200">
                <Button submit variant="primary" loading={busy}>
                  Save
                </Button>
                <Button onClick={() => setEditing(false)}>Cancel</Button>
              </InlineStack>
            </BlockStack>
          </Form>
        ) : null}
        {!renewing && !editing ? (
          <InlineStack gap="200">
            <Button onClick={() => setRenewing(true)}>Record the renewal</Button>
            <Button variant="plain" onClick={() => setEditing(true)}>
              Edit details
            </Button>
            <Form method="post" preventScrollReset>
              <input type="hidden" name="intent" value={p.status === "SUSPENDED" ? "unsuspend" : "suspend"} />
              <input type="hidden" name="id" value={p.id} />
              <input type="hidden" name="version" value={p.version} />
              {p.status === "SUSPENDED" ? null : <input type="hidden" name="suspendedReason" value="suspended by the issuer" />}
              <Button submit variant="plain" tone={p.status === "SUSPENDED" ? undefined : "critical"}>
                {p.status === "SUSPENDED" ? "Lift the suspension" : "Mark as suspended"}
              </Button>
            </Form>
          </InlineStack>
        ) : null}
      </BlockStack>
    </Card>
    </div>
  );
}

function AddPermit({ view, result, busy }: { view: ComplianceView; result: ActionResult | undefined; busy: boolean }) {
  const [kind, setKind] = useState(view.options.kinds[0]?.value ?? "");
  const [subject, setSubject] = useState(view.options.subjects[0]?.value ?? "");
  const [jurisdiction, setJurisdiction] = useState(view.options.jurisdictions[0]?.value ?? "");
  const [recurrence, setRecurrence] = useState("FIXED_TERM");
  const e = (field: string) => errorFor(result, "create", field);
  const ok = result?.ok && result.target === "create" ? result.message : undefined;
  const failure = otherError(result, "create", ["subjectId", "subjectType", "kind", "title", "jurisdiction", "number", "issuer", "issuedOn", "expiresOn", "recurrence", "graceDays", "leadDays", "owner", "ownerEmail", "gates"]);
  return (
    <Form method="post" preventScrollReset>
      <input type="hidden" name="intent" value="create" />
      <BlockStack gap="300">
        <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="300">
          <Select label="For" name="subject" options={view.options.subjects} value={subject} onChange={setSubject} error={e("subjectId") ?? e("subjectType")} />
          <Select label="Kind" name="kind" options={view.options.kinds} value={kind} onChange={setKind} error={e("kind")} />
          <FormTextField label="Name (for another permit)" name="title" autoComplete="off" error={e("title")} />
          <Select label="Jurisdiction" name="jurisdiction" options={view.options.jurisdictions} value={jurisdiction} onChange={setJurisdiction} error={e("jurisdiction")} />
          <FormTextField label="Number" name="number" autoComplete="off" error={e("number")} />
          <FormTextField label="Issuer" name="issuer" autoComplete="off" error={e("issuer")} />
          <FormTextField label="Issued on" type="date" name="issuedOn" autoComplete="off" error={e("issuedOn")} />
          <FormTextField label="Expires on" type="date" name="expiresOn" autoComplete="off" helpText="Empty only when it is renewed on notice" error={e("expiresOn")} />
          <Select label="How it recurs" name="recurrence" options={view.options.recurrences} value={recurrence} onChange={setRecurrence} error={e("recurrence")} />
          <FormTextField label="Grace period (days)" type="number" name="graceDays" autoComplete="off" placeholder="0" error={e("graceDays")} />
          <FormTextField label="Renewal opens (days before expiry)" type="number" name="leadDays" autoComplete="off" placeholder="60" error={e("leadDays")} />
          <FormTextField label="Owner" name="owner" autoComplete="off" error={e("owner")} />
          <FormTextField label="Owner's email (gets the reminders)" type="email" name="ownerEmail" autoComplete="off" error={e("ownerEmail")} />
        </InlineGrid>
        <BlockStack gap="100">
          <Text as="p" variant="bodyMd">
            When it lapses, take out of service:
          </Text>
          <InlineStack gap="400">
            {view.options.gates.map((g) => (
              <label key={g.value}>
                <input type="checkbox" name="gates" value={g.value} /> {g.label}
              </label>
            ))}
          </InlineStack>
          {e("gates") ? (
            <Text as="p" tone="critical">
              {e("gates")}
            </Text>
          ) : null}
        </BlockStack>
        {ok ? <Banner tone="success">{ok}</Banner> : null}
        {failure ? <Banner tone="critical">{failure}</Banner> : null}
        <InlineStack>
          <Button submit variant="primary" loading={busy}>
            Add the permit
          </Button>
        </InlineStack>
      </BlockStack>
    </Form>
  );
}

export default function Compliance() {
  const { view, reminders, uploaded } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const s = view.summary;
  const stats = [
    { label: "In force", value: s.valid, tone: undefined },
    { label: "Renewal due", value: s.due, tone: s.due ? "caution" : undefined },
    { label: "In grace period", value: s.grace, tone: s.grace ? "caution" : undefined },
    { label: "Lapsed or suspended", value: s.out, tone: s.out ? "critical" : undefined },
  ] as const;
  return (
    <AdminPage layout="data" title="Compliance" subtitle="Licences and permits of your hubs, corridors and sellers: a lapsed one takes what it covers out of checkout, routing and returns by itself, and renewing it brings it back at once.">
      <Layout>
        <Layout.Section>
          <StatCards stats={stats} />
        </Layout.Section>
        {uploaded ? (
          <Layout.Section>
            <Banner tone="success">The document is attached.</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Out of service right now
              </Text>
              {view.gatedNow.length === 0 ? (
                <Text as="p" tone="subdued">
                  Nothing: every permit that gates something is in force or in its grace period.
                </Text>
              ) : (
                <BlockStack gap="100">
                  {view.gatedNow.map((g) => (
                    <InlineStack key={g.permitId} gap="200" blockAlign="center" wrap={false}>
                      <Badge tone="critical">Out of service</Badge>
                      <Text as="p">{g.sentence}.</Text>
                    </InlineStack>
                  ))}
                </BlockStack>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Expiries over the next 12 months
              </Text>
              <Timeline view={view} />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Permits
            </Text>
            {view.permits.length === 0 ? (
              <Card>
                <Text as="p" tone="subdued">
                  No permit is tracked yet: accept the proposals below or add one.
                </Text>
              </Card>
            ) : null}
            {view.permits.map((p) => (
              <PermitCard key={p.id} p={p} result={result} busy={busy} />
            ))}
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                What your places usually need
              </Text>
              <Text as="p" tone="subdued">
                Proposed from each node's city and state and what it does (a hub, a micro-factory, a returns hub, a robot corridor). A fact marked as Nearhub&apos;s default is not from a source: check it with the issuer.
              </Text>
              {view.proposals.length === 0 ? (
                <Text as="p" tone="subdued">
                  Nothing more to propose for your nodes and corridors.
                </Text>
              ) : null}
              {view.proposals.map((pr) => {
                const key = `${pr.subject.type}:${pr.subject.id}:${pr.template.id}`;
                const mine = result && result.target === key ? result : undefined;
                return (
                  <Box key={key} padding="300" borderWidth="025" borderColor="border" borderRadius="200">
                    <BlockStack gap="200">
                      <InlineStack align="space-between" gap="200">
                        <BlockStack gap="050">
                          <Text as="h3" variant="headingSm">
                            {pr.name} for {pr.subject.name}
                          </Text>
                          <Text as="p" variant="bodySm" tone="subdued">
                            {pr.jurisdiction} · {pr.template.issuer} · {pr.template.termMonths ? `renewed every ${pr.template.termMonths} months` : "renewed on notice"}
                            {pr.template.feeMinor ? ` · fee ${formatMoney(pr.template.feeMinor, { currency: "USD" })}` : ""}
                          </Text>
                          <Text as="p" variant="bodySm" tone="subdued">
                            {pr.template.source.sourced ? `Source: ${pr.template.source.where}.` : `Nearhub's default: ${pr.template.source.where}.`}
                          </Text>
                        </BlockStack>
                      </InlineStack>
                      <InlineStack gap="200" blockAlign="end" wrap>
                        <Form method="post" preventScrollReset>
                          <input type="hidden" name="intent" value="accept" />
                          <input type="hidden" name="subject" value={`${pr.subject.type}:${pr.subject.id}`} />
                          <input type="hidden" name="templateId" value={pr.template.id} />
                          <InlineStack gap="200" blockAlign="end" wrap>
                            <FormTextField label="Issued on" type="date" name="issuedOn" autoComplete="off" defaultValue={view.today} error={mine && !mine.ok && mine.field === "issuedOn" ? mine.message : undefined} />
                            <FormTextField label="Expires on" type="date" name="expiresOn" autoComplete="off" defaultValue={pr.expiresOn ?? ""} error={mine && !mine.ok && mine.field === "expiresOn" ? mine.message : undefined} />
                            <FormTextField label="Number" name="number" autoComplete="off" />
                            <Button submit variant="primary" loading={busy} accessibilityLabel={`Accept ${pr.name} for ${pr.subject.name}`}>
                              Accept
                            </Button>
                          </InlineStack>
                        </Form>
                        <Form method="post" preventScrollReset>
                          <input type="hidden" name="intent" value="dismiss" />
                          <input type="hidden" name="subject" value={`${pr.subject.type}:${pr.subject.id}`} />
                          <input type="hidden" name="templateId" value={pr.template.id} />
                          <Button submit accessibilityLabel={`Dismiss ${pr.name} for ${pr.subject.name}`}>
                            Dismiss
                          </Button>
                        </Form>
                      </InlineStack>
                      {mine?.ok ? <Banner tone="success">{mine.message}</Banner> : null}
                      {mine && !mine.ok && !["issuedOn", "expiresOn"].includes(mine.field) ? <Banner tone="critical">{mine.message}</Banner> : null}
                    </BlockStack>
                  </Box>
                );
              })}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <Form method="post" preventScrollReset>
              <input type="hidden" name="intent" value="reminders" />
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Reminders
                </Text>
                <Text as="p" tone="subdued">
                  Nearhub reminds 60, 30, 7 and 1 days before a permit expires, and again when it lapses: on the Overview&apos;s to-do list, by email to
                  the address below (or the shop&apos;s contact email) and to the permit&apos;s owner, and by a webhook signed like every Nearhub webhook.
                  Each renewal opens a task with its checklist.
                </Text>
                <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
                  <FormTextField label="Reminder email" type="email" name="reminderEmail" autoComplete="email" defaultValue={reminders.reminderEmail ?? ""} error={errorFor(result, "reminders", "reminderEmail")} />
                  <FormTextField label="Reminder webhook URL" type="url" name="reminderWebhookUrl" autoComplete="off" defaultValue={reminders.reminderWebhookUrl ?? ""} error={errorFor(result, "reminders", "reminderWebhookUrl")} />
                </InlineGrid>
                {result?.ok && result.target === "reminders" ? <Banner tone="success">{result.message}</Banner> : null}
                <InlineStack>
                  <Button submit loading={busy}>
                    Save reminder settings
                  </Button>
                </InlineStack>
              </BlockStack>
            </Form>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Add a permit
              </Text>
              <AddPermit view={view} result={result} busy={busy} />
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </AdminPage>
  );
}

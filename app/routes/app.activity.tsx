// Activity: the shop's background jobs (ADR 0022): what runs now, what failed and will be tried
// again (with the message, Shopify's own where it sent one), what gave up (with a button to try it
// again), the catalogue sync's state, and when each scheduled job last ran.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineStack, Layout, Text } from "@shopify/polaris";
import { AdminPage } from "~/components/admin/AdminPage";
import { z } from "zod";
import { activityFor, retryDeadLetter, type ActivityRow } from "~/services/activity.server";
import { requireAdmin } from "~/services/auth.server";

export const meta: MetaFunction = () => [{ title: "Activity · Nearhub" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  return activityFor(shop);
}

const retrySchema = z.object({
  intent: z.literal("retry"),
  name: z.string().min(1).max(100),
  id: z.string().min(1).max(100),
});

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const parsed = retrySchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ ok: false, message: "Unknown action" }, { status: 400 });
  const ok = await retryDeadLetter(shop.id, parsed.data.name, parsed.data.id);
  return ok
    ? data({ ok: true, message: "Queued again: it runs in a moment." })
    : data({ ok: false, message: "That job is no longer waiting for a retry (it ran again, or was already retried)." }, { status: 409 });
}

const TONE: Record<ActivityRow["state"], "info" | "success" | "warning" | "critical" | undefined> = {
  waiting: undefined,
  running: "info",
  retrying: "warning",
  completed: "success",
  dead: "critical",
  cancelled: undefined,
};

function what(r: ActivityRow) {
  return (
    <BlockStack gap="050">
      <Text as="span" fontWeight="semibold">
        {r.label}
      </Text>
      {r.subject ? (
        <Text as="span" tone="subdued">
          {r.subject}
        </Text>
      ) : null}
    </BlockStack>
  );
}

function JobTable({ rows, withError, retry }: { rows: ActivityRow[]; withError?: boolean; retry?: boolean }) {
  const busy = useNavigation().formData?.get("intent") === "retry";
  return (
    <DataTable
      columnContentTypes={["text", "text", "text", ...(withError ? (["text"] as const) : []), ...(retry ? (["text"] as const) : [])]}
      headings={["Job", "State", "When", ...(withError ? ["Why"] : []), ...(retry ? [""] : [])]}
      rows={rows.map((r) => [
        what(r),
        <BlockStack gap="050" key="state">
          <Badge tone={TONE[r.state]}>{r.stateLabel}</Badge>
          {r.attempts ? (
            <Text as="span" tone="subdued" variant="bodySm">
              {r.attempts}
            </Text>
          ) : null}
        </BlockStack>,
        r.when,
        ...(withError ? [<Text as="span" key="why" breakWord>{r.lastError ?? ""}</Text>] : []),
        ...(retry
          ? [
              <Form method="post" key="retry">
                <input type="hidden" name="intent" value="retry" />
                <input type="hidden" name="name" value={r.name} />
                <input type="hidden" name="id" value={r.id} />
                <Button submit loading={busy} accessibilityLabel={`Try ${r.label} again`}>
                  Try again
                </Button>
              </Form>,
            ]
          : []),
      ])}
    />
  );
}

export default function Activity() {
  const view = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  return (
    <AdminPage layout="data" title="Activity" subtitle="Work Nearhub does in the background for your store: routing, returns, syncing, insights">
      <Layout>
        {answer ? (
          <Layout.Section>
            <Banner tone={answer.ok ? "success" : "warning"} title={answer.message} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Gave up ({view.dead.length})
              </Text>
              {view.dead.length === 0 ? (
                <Text as="p" tone="subdued">
                  Nothing: every job that failed was done on a later try.
                </Text>
              ) : (
                <>
                  <Text as="p" tone="subdued">
                    These failed on every try. Fix what the message says (a node without a Shopify location, the app&apos;s access), then try again.
                  </Text>
                  <JobTable rows={view.dead} withError retry />
                </>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Running now ({view.running.length}) and failing ({view.failures.length})
              </Text>
              {view.running.length + view.failures.length === 0 ? (
                <Text as="p" tone="subdued">
                  Nothing is running or waiting for another try.
                </Text>
              ) : (
                <JobTable rows={[...view.running, ...view.failures]} withError />
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Recent
              </Text>
              {view.recent.length === 0 ? (
                <Text as="p" tone="subdued">
                  No job has run for this store yet.
                </Text>
              ) : (
                <JobTable rows={view.recent} />
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Products and stock from Shopify
                </Text>
                {view.catalog ? (
                  <InlineStack gap="200" blockAlign="center">
                    <Badge tone={TONE[view.catalog.state]}>{view.catalog.stateLabel}</Badge>
                    <Text as="span" tone="subdued">
                      {view.catalog.when}
                    </Text>
                  </InlineStack>
                ) : (
                  <Text as="p" tone="subdued">
                    Not synced yet: it runs after install, or from the Network page.
                  </Text>
                )}
                {view.catalog?.lastError && view.catalog.state !== "completed" ? <Text as="p">{view.catalog.lastError}</Text> : null}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Order history from Shopify
                </Text>
                <InlineStack gap="200" blockAlign="center">
                  <Badge tone={view.orders.tone}>{view.orders.label}</Badge>
                </InlineStack>
                <Text as="p">{view.orders.sentence}</Text>
                {view.orders.state === "never" || view.orders.state === "failed" ? (
                  <Text as="p" tone="subdued">
                    It runs after install, or from the Insights page.
                  </Text>
                ) : null}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  On a schedule
                </Text>
                {view.schedules.map((s) => (
                  <BlockStack gap="050" key={s.name}>
                    <Text as="span" fontWeight="semibold">
                      {s.label}
                    </Text>
                    <Text as="span" tone="subdued">
                      {s.every}; {s.lastRun ? `last: ${s.state?.toLowerCase()}, ${s.lastRun}` : "not run yet"}
                    </Text>
                  </BlockStack>
                ))}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </AdminPage>
  );
}

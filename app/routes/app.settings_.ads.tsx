// Settings → Ad platforms: each platform's connection (account, state, the platform's words when it
// refused the token) with connect, reconnect and disconnect; the sandbox connects at once. Meta and
// Google connect through OAuth: the action answers the platform's authorize URL, opened in the top
// window (neither platform's consent page may be framed); the platform returns to
// /auth/ads/<platform>/callback, which comes back here.
//
// The file is app.settings_.ads (not app.settings.ads): the trailing underscore keeps the URL
// /app/settings/ads without nesting the page inside app.settings.tsx, which is a page of its own
// with no <Outlet />.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineStack, Layout, Text } from "@shopify/polaris";
import { z } from "zod";
import { AdminPage } from "~/components/admin/AdminPage";
import { AD_PLATFORM_LABELS, AD_PLATFORMS, type AdPlatform } from "~/core/promotions/types";
import { requireAdmin } from "~/services/auth.server";
import { AdConnectionError, adPlatformStates, connectSandbox, disconnectAd, startAdOAuth, type AdPlatformState } from "~/services/ads/connections.server";

export const meta: MetaFunction = () => [{ title: "Ad platforms · Settings · Nearhub" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  return { platforms: await adPlatformStates(shop.id), currency: shop.currency };
}

const actionSchema = z.object({
  intent: z.enum(["connect", "disconnect", "connect-sandbox"], { error: "intent: unknown action" }),
  platform: z.enum(AD_PLATFORMS, { error: "platform: must be META, GOOGLE or SANDBOX" }),
});

type ActionResult = { ok: true; authorizeUrl?: string; platform: AdPlatform; done?: string } | { ok: false; error: string; platform: AdPlatform | null };

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const form = await request.formData();
  const parsed = actionSchema.safeParse({ intent: form.get("intent"), platform: form.get("platform") });
  if (!parsed.success) return data<ActionResult>({ ok: false, error: parsed.error.issues[0].message, platform: null }, { status: 400 });
  const { intent, platform } = parsed.data;
  if (intent === "connect-sandbox" || (intent === "connect" && platform === "SANDBOX")) {
    await connectSandbox(shop.id, shop.currency);
    return data<ActionResult>({ ok: true, platform: "SANDBOX", done: "Sandbox connected: campaigns launched on it spend nothing." });
  }
  if (intent === "disconnect") {
    await disconnectAd(shop.id, platform);
    return data<ActionResult>({ ok: true, platform, done: `${AD_PLATFORM_LABELS[platform]} disconnected; Nearhub forgot its tokens.` });
  }
  try {
    const { url } = await startAdOAuth(shop.id, platform, "/app/settings/ads");
    // The URL carries a one-use state: never cached.
    return data<ActionResult>({ ok: true, platform, authorizeUrl: url }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    if (error instanceof AdConnectionError) return data<ActionResult>({ ok: false, error: error.message, platform }, { status: 400 });
    throw error;
  }
}

const DESCRIPTIONS: Record<AdPlatform, string> = {
  META: "Facebook and Instagram ads: one campaign with one ad set per hub circle, budgets in the ad account's currency.",
  GOOGLE: "Search campaigns with a proximity target around the hub. Access follows Nearhub's Google Cloud project (no developer token).",
  SANDBOX: "A pretend platform for the demo and for trying campaigns: same requests, deterministic results, no spend.",
};

export default function AdPlatformSettings() {
  const { platforms, currency } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const busy = navigation.state === "submitting" ? `${navigation.formData?.get("intent")}:${navigation.formData?.get("platform")}` : null;
  const connected = params.get("connected");
  const callbackError = params.get("error");

  return (
    <AdminPage layout="form" title="Ad platforms" backAction={{ content: "Settings", url: "/app/settings" }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {connected && (AD_PLATFORMS as readonly string[]).includes(connected) ? (
              <Banner tone="success" title={`${AD_PLATFORM_LABELS[connected as AdPlatform]} connected`} />
            ) : null}
            {callbackError ? (
              <Banner tone="critical" title="The platform was not connected">
                <p>{callbackError}</p>
              </Banner>
            ) : null}
            {actionData && !actionData.ok ? (
              <Banner tone="critical" title="Not done">
                <p>{actionData.error}</p>
              </Banner>
            ) : null}
            {actionData?.ok && actionData.done ? <Banner tone="success" title={actionData.done} /> : null}
            {actionData?.ok && actionData.authorizeUrl ? (
              <Banner tone="info" title={`Continue on ${AD_PLATFORM_LABELS[actionData.platform]}`}>
                <BlockStack gap="200">
                  <p>The platform asks you to sign in and allow Nearhub to manage your ads, then sends you back here.</p>
                  <InlineStack>
                    <Button url={actionData.authorizeUrl} target="_top" variant="primary">
                      Continue
                    </Button>
                  </InlineStack>
                </BlockStack>
              </Banner>
            ) : null}
            {platforms.map((p) => (
              <PlatformCard key={p.platform} state={p} currency={currency} busy={busy} />
            ))}
          </BlockStack>
        </Layout.Section>
      </Layout>
      <Box paddingBlockEnd="800" />
    </AdminPage>
  );
}

function StatusBadge({ state }: { state: AdPlatformState }) {
  const c = state.connection;
  if (!state.configured) return <Badge>Not configured</Badge>;
  if (!c || c.status === "DISCONNECTED") return <Badge>Not connected</Badge>;
  if (c.status === "RECONNECT") return <Badge tone="critical">Reconnect</Badge>;
  return <Badge tone="success">Connected</Badge>;
}

function PlatformCard({ state, currency, busy }: { state: AdPlatformState; currency: string; busy: string | null }) {
  const c = state.connection;
  const live = c && c.status !== "DISCONNECTED";
  const intentButton = (intent: string, label: string, variant?: "primary" | "secondary", tone?: "critical") => (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="platform" value={state.platform} />
      <Button submit variant={variant} tone={tone} loading={busy === `${intent}:${state.platform}`}>
        {label}
      </Button>
    </Form>
  );
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {state.label}
          </Text>
          <StatusBadge state={state} />
        </InlineStack>
        <Text as="p" tone="subdued">
          {DESCRIPTIONS[state.platform]}
        </Text>
        {live ? (
          <Text as="p">
            Account {c.accountName ? `${c.accountName} (${c.accountId})` : c.accountId} · budgets in {c.currency}
          </Text>
        ) : null}
        {c?.status === "RECONNECT" ? (
          <Banner tone="critical" title="The platform refused Nearhub's access">
            <p>{c.statusMessage ?? "Reconnect to let campaigns and guardrails reach the platform again."}</p>
          </Banner>
        ) : null}
        {!state.configured ? (
          <Text as="p" tone="subdued">
            {state.platform === "META"
              ? "Set META_APP_ID and META_APP_SECRET on the server to connect Meta."
              : "Set GOOGLE_ADS_CLIENT_ID and GOOGLE_ADS_CLIENT_SECRET on the server to connect Google Ads."}
          </Text>
        ) : (
          <InlineStack gap="200">
            {state.platform === "SANDBOX"
              ? live
                ? intentButton("disconnect", "Disconnect", undefined, "critical")
                : intentButton("connect-sandbox", `Connect the sandbox (${currency})`, "primary")
              : [
                  <div key="connect">{intentButton("connect", live ? (c.status === "RECONNECT" ? "Reconnect" : "Connect another account") : "Connect", c?.status === "RECONNECT" || !live ? "primary" : undefined)}</div>,
                  live ? <div key="disconnect">{intentButton("disconnect", "Disconnect", undefined, "critical")}</div> : null,
                ]}
          </InlineStack>
        )}
      </BlockStack>
    </Card>
  );
}

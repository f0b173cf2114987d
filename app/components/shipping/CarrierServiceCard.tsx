// Where live rates stand with Shopify: registered, refused for the store's plan, failed, or not
// tried yet; and the "Register / re-check" button. In demo mode there is no store to ask.
import { Form, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, InlineStack, List, Text } from "@shopify/polaris";

export type CarrierServiceStatus = "NOT_REGISTERED" | "ACTIVE" | "PLAN_NOT_ELIGIBLE" | "ERROR";

export interface CarrierServiceView {
  status: CarrierServiceStatus;
  id: string | null;
  message: string | null;
  checkedAt: string | null;
  callbackUrl: string;
  name: string;
}

const BADGES: Record<CarrierServiceStatus, { tone?: "success" | "warning" | "critical"; label: string }> = {
  NOT_REGISTERED: { label: "Not registered" },
  ACTIVE: { tone: "success", label: "Active" },
  PLAN_NOT_ELIGIBLE: { tone: "warning", label: "Plan not eligible" },
  ERROR: { tone: "critical", label: "Error" },
};

export function PlanNotEligibleBanner({ message }: { message: string | null }) {
  return (
    <Banner tone="warning" title="Your Shopify plan does not allow live shipping rates from apps yet">
      <BlockStack gap="200">
        <p>
          Shopify only asks apps like Nearhub for rates at checkout when the store has carrier-calculated shipping. You
          can get it in any of these ways:
        </p>
        <List>
          <List.Item>move to the Advanced plan or higher (it is included);</List.Item>
          <List.Item>
            stay on the Shopify plan but pay yearly, or ask Shopify Support to add carrier-calculated shipping to your
            monthly plan for a fee;
          </List.Item>
          <List.Item>development and test stores always have it.</List.Item>
        </List>
        <p>
          Then press “Register / re-check”. Meanwhile Nearhub’s delivery promise on product and cart pages (“Today by 8
          pm from the Brooklyn hub”) works on every plan, and your checkout keeps Shopify’s own shipping rates.
        </p>
        {message ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {message}
          </Text>
        ) : null}
      </BlockStack>
    </Banner>
  );
}

export function CarrierServiceCard({
  view,
  demo,
  result,
}: {
  view: CarrierServiceView;
  demo: boolean;
  /** What the last press of the button said (this request). */
  result?: { status: CarrierServiceStatus; message: string } | null;
}) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "register";
  const badge = BADGES[view.status];
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Live rates at checkout
            </Text>
            <Badge tone={badge.tone}>{badge.label}</Badge>
          </InlineStack>
          <Form method="post">
            <input type="hidden" name="intent" value="register" />
            <Button submit loading={busy} disabled={demo}>
              Register / re-check
            </Button>
          </Form>
        </InlineStack>
        <Text as="p" tone="subdued">
          Nearhub registers itself with Shopify as a carrier service named “{view.name}”. At checkout Shopify then sends
          each cart and address to <code>{view.callbackUrl}</code> and shows the options Nearhub prices. It is registered
          when the app is installed; press the button after changing plans or if something went wrong.
        </Text>
        {demo ? (
          <Banner tone="info" title="Registration needs a connected store">
            <p>
              This is the demo: there is no Shopify store to register live rates with. Connect a development store (see
              the README, “Connect a real Shopify development store”) and Nearhub registers itself on install. Everything
              else on these pages works here.
            </p>
          </Banner>
        ) : null}
        {!demo && view.status === "ACTIVE" ? (
          <Banner tone="success" title="Shopify asks Nearhub for rates at checkout">
            <BlockStack gap="100">
              <p>{view.message}</p>
              <p>
                Make sure “{view.name}” is added to your shipping zones in Shopify admin → Settings → Shipping and
                delivery → your shipping profile → Add rate → Use carrier or app to calculate rates. Shopify no longer adds
                new carrier services to your zones by itself.
              </p>
            </BlockStack>
          </Banner>
        ) : null}
        {!demo && view.status === "PLAN_NOT_ELIGIBLE" ? <PlanNotEligibleBanner message={view.message} /> : null}
        {!demo && view.status === "ERROR" ? (
          <Banner tone="critical" title="Registering live rates failed">
            <p>{view.message}</p>
            <p>Checkout shows Shopify’s own rates until this works. Press “Register / re-check” to try again.</p>
          </Banner>
        ) : null}
        {!demo && view.status === "NOT_REGISTERED" ? (
          <Banner tone="info" title="Not registered yet">
            <p>Press “Register / re-check” to register Nearhub’s live rates with Shopify.</p>
          </Banner>
        ) : null}
        {result && result.status !== view.status ? (
          <Text as="p" variant="bodySm">
            {result.message}
          </Text>
        ) : null}
        {view.checkedAt ? (
          <Text as="p" variant="bodySm" tone="subdued">
            Last checked {view.checkedAt}
            {view.id ? ` · ${view.id}` : ""}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}

/** @jsxImportSource preact */
// Nearhub's delivery promise under the shipping options: reads the shipping address and the
// cart lines, asks the app's backend with the checkout session token, and shows where each
// option ships from, when it arrives and what its price is made of. Loading shows a skeleton;
// a failed or slow backend shows one quiet line; nothing here can block or break checkout.
// The logic lives in ./promise-view (plain functions, tested in vitest).
import "@shopify/ui-extensions/preact";
import type { Api } from "@shopify/ui-extensions/purchase.checkout.shipping-option-list.render-after";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import {
  endpointOf,
  fetchPromise,
  planRequest,
  requestKey,
  viewOf,
  type AddressLike,
  type OptionView,
  type PromiseState,
  type View,
} from "./promise-view";

type Settings = { heading?: unknown; app_url?: unknown };

/** The merchant's settings; keys the merchant never filled in are absent, not empty. */
function readSettings(shopify: Api): Settings {
  const value = shopify.settings.value as Record<string, unknown> | undefined;
  if (!value) return {};
  return {
    heading: "heading" in value ? value.heading : undefined,
    app_url: "app_url" in value ? value.app_url : undefined,
  };
}

function api(): Api {
  return (globalThis as unknown as { shopify: Api }).shopify;
}

/** The shipping address, when this target and the app's data access provide it (reading an absent API throws in some hosts). */
function shippingAddress(shopify: Api): AddressLike | undefined {
  if (!("shippingAddress" in shopify) || !shopify.shippingAddress) return undefined;
  return shopify.shippingAddress.value;
}

function locale(shopify: Api): string | undefined {
  try {
    return shopify.localization.language.value.isoCode;
  } catch {
    return undefined;
  }
}

export default async () => {
  render(<DeliveryPromise />, document.body);
};

function DeliveryPromise() {
  const shopify = api();
  const settings = readSettings(shopify);
  const plan = planRequest(shippingAddress(shopify), shopify.lines.value, locale(shopify));
  const key = requestKey(plan);
  const [state, setState] = useState<PromiseState>(() => (plan.ok ? { kind: "loading" } : { kind: "idle", reason: plan.reason }));

  useEffect(() => {
    if (!plan.ok) {
      setState({ kind: "idle", reason: plan.reason });
      return;
    }
    let current = true;
    setState({ kind: "loading" });
    void fetchPromise(endpointOf(settings.app_url), plan.body, {
      fetch: (input, init) => fetch(input, init),
      token: () => shopify.sessionToken.get(),
    }).then((next) => {
      if (current) setState(next);
    });
    return () => {
      current = false;
    };
    // The key stands for the plan and the endpoint: ask again only when they change.
  }, [key, settings.app_url]);

  return <PromiseBlock view={viewOf(state, settings.heading)} />;
}

function PromiseBlock({ view }: { view: View }) {
  switch (view.kind) {
    case "hidden":
      return null;
    case "loading":
      return (
        <s-stack direction="block" gap="small-200">
          <s-heading>{view.heading}</s-heading>
          <s-skeleton-paragraph />
        </s-stack>
      );
    case "notice":
      return (
        <s-banner heading={view.heading} tone={view.tone}>
          <s-stack direction="block" gap="small-200">
            <s-text>{view.message}</s-text>
            {view.lines.map((line) => (
              <s-text key={line}>{line}</s-text>
            ))}
            {view.notes.map((note) => (
              <s-text key={note} color="subdued">
                {note}
              </s-text>
            ))}
          </s-stack>
        </s-banner>
      );
    case "options":
      return (
        <s-stack direction="block" gap="base">
          <s-heading>{view.heading}</s-heading>
          {view.options.map((o) => (
            <Option key={o.key} option={o} />
          ))}
          {view.notes.map((note) => (
            <s-text key={note} color="subdued">
              {note}
            </s-text>
          ))}
        </s-stack>
      );
  }
}

function Option({ option }: { option: OptionView }) {
  return (
    <s-stack direction="block" gap="small-200">
      <s-stack direction="inline" gap="small-200" alignItems="center">
        <s-text type="strong">{option.title}</s-text>
        {option.badges.map((b) => (
          <s-badge key={b}>{b}</s-badge>
        ))}
        <s-text>{option.price}</s-text>
      </s-stack>
      <s-text>{option.arrives}</s-text>
      {option.shipsFrom ? <s-text color="subdued">{option.shipsFrom}</s-text> : null}
      <s-details>
        <s-summary>What the price is made of</s-summary>
        <s-stack direction="block" gap="small-100">
          {option.costs.map((c) => (
            <s-text key={c.label} color="subdued">
              {c.label}: {c.amount}
            </s-text>
          ))}
          <s-text color="subdued">Delivery cost: {option.costTotal}</s-text>
          {option.steps.map((s) => (
            <s-text key={s.label} color="subdued">
              {s.label}: {s.amount}
            </s-text>
          ))}
          <s-text type="strong">You pay: {option.price}</s-text>
        </s-stack>
      </s-details>
    </s-stack>
  );
}

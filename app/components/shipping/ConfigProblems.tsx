// Banners for configuration saves and reads: a save refused because the settings changed since the
// page was opened (StaleConfigError), and stored settings that no longer read, with what to fix.
import type { ReactNode } from "react";
import { Banner, BlockStack, Layout, List, Text } from "@shopify/polaris";

/** A stored part that no longer reads, as the service reports it (ConfigProblem). */
export interface ConfigProblemView {
  part: string;
  key: string | null;
  label: string;
  issues: string[];
  fix: string;
}

export function ConfigProblemsBanner({ problems, title }: { problems: ConfigProblemView[]; title?: string }) {
  if (problems.length === 0) return null;
  return (
    <Banner tone="critical" title={title ?? "Stored settings that no longer read: checkout shows your backup rates until they are fixed"}>
      <List>
        {problems.map((p) => (
          <List.Item key={`${p.part}:${p.key ?? ""}`}>
            <BlockStack gap="100">
              <Text as="span" fontWeight="semibold">
                {p.label}
              </Text>
              <Text as="span">{p.issues.join("; ")}</Text>
              <Text as="span" tone="subdued">
                {p.fix}
              </Text>
            </BlockStack>
          </List.Item>
        ))}
      </List>
    </Banner>
  );
}

/** "Changed since you opened it": what was typed stays on the page; reloading shows the other change. */
export function StaleSaveBanner({ message, reloadUrl }: { message: string | null | undefined; reloadUrl: string }) {
  if (!message) return null;
  return (
    <Banner tone="warning" title="Not saved: changed since you opened it" action={{ content: "Reload", url: reloadUrl }}>
      <p>{message}</p>
      <p>What you typed is still below, so you can copy it before reloading.</p>
    </Banner>
  );
}

/**
 * The two notices a configuration page shows above its forms, as layout sections: a refused stale
 * save, and the stored parts it owns that no longer read, each with what the page offers for it
 * (`action`: a delete or reset button).
 */
export function SaveNotices<P extends ConfigProblemView>({
  stale,
  reloadUrl,
  problems,
  action,
}: {
  stale: string | null | undefined;
  reloadUrl: string;
  problems: P[];
  action?: (problem: P) => ReactNode;
}) {
  return (
    <>
      {stale ? (
        <Layout.Section>
          <StaleSaveBanner message={stale} reloadUrl={reloadUrl} />
        </Layout.Section>
      ) : null}
      {problems.length > 0 ? (
        <Layout.Section>
          <BlockStack gap="200">
            <ConfigProblemsBanner problems={problems} />
            {action ? problems.map((p) => <div key={`${p.part}:${p.key ?? ""}`}>{action(p)}</div>) : null}
          </BlockStack>
        </Layout.Section>
      ) : null}
    </>
  );
}

// Banners for configuration saves and reads: a save refused because the settings changed since the
// page was opened (StaleConfigError), and stored settings that no longer read, with what to fix.
import { Banner, BlockStack, List, Text } from "@shopify/polaris";

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

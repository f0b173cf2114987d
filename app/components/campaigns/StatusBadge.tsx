// A campaign's status as a Polaris Badge in words, with what Nearhub is waiting for or retrying.
import { Badge, InlineStack, Text } from "@shopify/polaris";
import type { CampaignSummary } from "~/services/campaigns/types";
import { statusWords } from "./format";

export function CampaignStatusBadge({ campaign }: { campaign: Pick<CampaignSummary, "status" | "wantStatus" | "pendingChange" | "lastError"> }) {
  const s = statusWords(campaign);
  return (
    <InlineStack gap="150" blockAlign="center" wrap>
      <Badge tone={s.tone}>{s.label}</Badge>
      {s.detail ? (
        <Text as="span" variant="bodySm" tone={campaign.lastError ? "critical" : "subdued"}>
          {s.detail}
        </Text>
      ) : null}
    </InlineStack>
  );
}
